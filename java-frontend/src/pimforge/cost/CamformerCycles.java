package pimforge.cost;

/**
 * CAMformer's public analytical cycle model of one attention (one query against N keys; REFERENCE.md
 * section 5, CAMformer arXiv 2511.19740, the authors' MIT-licensed model): T = N / R tiles of R rows,
 * keys programmed 4 rows per cycle, a 1-cycle search per tile, 8 BF16 MACs. At N = 1024, d = 64,
 * k = 32, R = 16: 327 + 134 + 260 = 721 cycles.
 *
 * @param association T * (R/4 + 1) + 7 (programming the tile's keys, then searching it)
 * @param normalization 6 + 4k (softmax over the k survivors)
 * @param contextualization d * k / 8 + 4 (weighted sum of k V rows on 8 MACs)
 */
public record CamformerCycles(long association, long normalization, long contextualization) {
  /** Rows programmed per cycle in the authors' model. */
  public static final int ROWS_PER_CYCLE = 4;
  /** BF16 multiply-accumulators in the authors' model. */
  public static final int MACS = 8;

  public static CamformerCycles of(int keys, int headDim, int topK, int rowsPerTile) {
    long tiles = keys / rowsPerTile;
    return new CamformerCycles(tiles * (rowsPerTile / ROWS_PER_CYCLE + 1) + 7, 6 + 4L * topK,
        (long) headDim * topK / MACS + 4);
  }

  /** Cycles per attention (the stages one after the other, as the authors add them). */
  public long total() {
    return association + normalization + contextualization;
  }
}
