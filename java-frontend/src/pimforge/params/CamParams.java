package pimforge.params;

/**
 * Attention as associative memory: binary keys in a CAM, Hamming search, hierarchical top-k
 * (generator arrives with the CAM-attention issue).
 *
 * @param enabled use CAM attention instead of dense attention
 * @param rowsPerTile keys held by one CAM tile (power of two, 4..1024)
 * @param topK keys kept by the final top-k stage (1..1024)
 * @param stages top-k stages: 1 (one global sorter) or 2 (per tile, then final)
 * @param matchAdcBits resolution of the match-line ADC (1..12)
 * @param valueBits precision of V in the weighted sum (4..16)
 */
public record CamParams(boolean enabled, int rowsPerTile, int topK, int stages, int matchAdcBits, int valueBits) {
  public static final CamParams DEFAULT = new CamParams(false, 16, 32, 2, 6, 16);

  public CamParams {
    Check.powerOfTwo("cam.rowsPerTile", rowsPerTile, 4, 1024);
    Check.range("cam.topK", topK, 1, 1024);
    Check.range("cam.stages", stages, 1, 2);
    Check.range("cam.matchAdcBits", matchAdcBits, 1, 12);
    Check.range("cam.valueBits", valueBits, 4, 16);
  }
}
