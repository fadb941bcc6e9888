package pimforge.params;

/**
 * Attention as associative memory (RTL pimforge.hw.cam.CamAttention, golden
 * pimforge.golden.cam.CamAttentionModel): sign-binarized keys in CAM tiles, a Hamming search of
 * one tile per cycle read through a match-line ADC, top-k in one or two stages, softmax over the
 * survivors and the weighted sum of their V rows. Cross-field rules (key capacity, head dimension,
 * ADC width) are checked by {@link CamDerived} when {@code enabled}.
 *
 * @param enabled use CAM attention instead of dense attention
 * @param rowsPerTile keys held by one CAM tile, searched in one step (power of two, 4..1024)
 * @param topK keys kept by the final top-k stage (1..1024)
 * @param stages top-k stages: 1 (one global sorter) or 2 (per tile, then final)
 * @param matchAdcBits resolution of the match-line ADC (1..12)
 * @param valueBits precision of V in the weighted sum, signed (4..16)
 * @param keyBits bits of a full-precision query or key element, signed (2..16); only its sign
 *     reaches the CAM, the whole value the re-scoring
 * @param cols cells per CAM row: the largest head dimension a tile holds (power of two, 8..1024)
 * @param lanes elements per stream beat, and multiply-accumulators of the weighted sum and the
 *     re-scoring (power of two, 1..64)
 * @param rescore re-score the survivors with their stored full-precision keys before the softmax
 *     (CAM as a filter; exact dot products over the top-k)
 */
public record CamParams(boolean enabled, int rowsPerTile, int topK, int stages, int matchAdcBits, int valueBits,
    int keyBits, int cols, int lanes, boolean rescore) {
  public static final CamParams DEFAULT = new CamParams(false, 16, 32, 2, 6, 16, 8, 64, 8, false);

  public CamParams {
    Check.powerOfTwo("cam.rowsPerTile", rowsPerTile, 4, 1024);
    Check.range("cam.topK", topK, 1, 1024);
    Check.range("cam.stages", stages, 1, 2);
    Check.range("cam.matchAdcBits", matchAdcBits, 1, 12);
    Check.range("cam.valueBits", valueBits, 4, 16);
    Check.range("cam.keyBits", keyBits, 2, 16);
    Check.powerOfTwo("cam.cols", cols, 8, 1024);
    Check.powerOfTwo("cam.lanes", lanes, 1, 64);
  }

  /** The same parameters with {@code lanes} set. */
  public CamParams withLanes(int l) {
    return new CamParams(enabled, rowsPerTile, topK, stages, matchAdcBits, valueBits, keyBits, cols, l, rescore);
  }

  /** The same parameters with {@code enabled} set. */
  public CamParams withEnabled(boolean on) {
    return new CamParams(on, rowsPerTile, topK, stages, matchAdcBits, valueBits, keyBits, cols, lanes, rescore);
  }
}
