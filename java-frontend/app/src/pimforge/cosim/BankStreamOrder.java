package pimforge.cosim;

import pimforge.params.HwParams;

/** The order in which the bank's host protocol carries a weight matrix (see PimBank.scala). */
final class BankStreamOrder {
  private BankStreamOrder() {}

  /** weights[input][output] flattened tile by tile (row-major grid), row by row, word by word, lane by lane. */
  static long[] weightStream(HwParams p, int[][] weights) {
    int rows = p.crossbar().rows();
    int cols = p.crossbar().cols();
    int gridRows = p.bank().tileGridRows();
    int gridCols = p.bank().tileGridCols();
    long[] stream = new long[gridRows * gridCols * rows * cols];
    int n = 0;
    for (int i = 0; i < gridRows; i++) {
      for (int j = 0; j < gridCols; j++) {
        for (int r = 0; r < rows; r++) {
          for (int c = 0; c < cols; c++) { // words of `lanes` consecutive columns, in order
            stream[n++] = weights[i * rows + r][j * cols + c];
          }
        }
      }
    }
    return stream;
  }
}
