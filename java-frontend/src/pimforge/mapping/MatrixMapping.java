package pimforge.mapping;

/**
 * How one weight matrix (inputs x outputs) of one layer is laid out on crossbar tiles and banks.
 * Tiles, banks, bytes and cells are those of one copy; a matrix with {@code copies} > 1 (the FFN
 * of every expert of a mixture-of-experts layer) occupies that many times as much.
 *
 * @param name matrix name (q, k, v, o, ffnUp, ffnGate, ffnDown, router; once per model:
 *     embeddingProjection, patchEmbedding)
 * @param inputs rows of the weight matrix (the dimension fed into the crossbar rows)
 * @param outputs columns of the weight matrix
 * @param tileGridRows ceil(inputs / crossbar.rows)
 * @param tileGridCols ceil(outputs / crossbar.cols)
 * @param tiles tileGridRows * tileGridCols
 * @param banks ceil(tileGridRows / bank.tileGridRows) * ceil(tileGridCols / bank.tileGridCols)
 * @param cellUtilisation inputs * outputs / (tiles * rows * cols), 0..1
 * @param weightBytes ceil(inputs * outputs * weightBits / 8)
 * @param physicalCells tiles * rows * cols * slices * columnGroups
 * @param copies identical copies of this matrix (experts of a MoE layer), 1 otherwise
 */
public record MatrixMapping(
    String name, int inputs, int outputs, int tileGridRows, int tileGridCols, long tiles, long banks,
    double cellUtilisation, long weightBytes, long physicalCells, int copies) {

  /** One copy. */
  public MatrixMapping(String name, int inputs, int outputs, int tileGridRows, int tileGridCols, long tiles,
      long banks, double cellUtilisation, long weightBytes, long physicalCells) {
    this(name, inputs, outputs, tileGridRows, tileGridCols, tiles, banks, cellUtilisation, weightBytes, physicalCells,
        1);
  }

  /** Weights (matrix entries) of all copies: inputs x outputs x copies. */
  public long weights() {
    return (long) inputs * outputs * copies;
  }

  /** The same matrix counted {@code n} times. */
  public MatrixMapping times(int n) {
    return new MatrixMapping(name, inputs, outputs, tileGridRows, tileGridCols, tiles, banks, cellUtilisation,
        weightBytes, physicalCells, n);
  }
}
