package pimforge.golden;

import pimforge.params.HwParams;
import pimforge.params.Precision;

/**
 * Bit-exact model of {@code pimforge.hw.bank.PimBank}: a grid of tiles computing y = x W with W of
 * bankInputs x bankOutputs; tiles of one grid column add their partial sums, then the OFFSET
 * correction 2^(W-1) * sum(x) is subtracted.
 */
public final class PimBankModel {
  private final HwParams p;
  private final CrossbarTileModel[][] tiles;

  public PimBankModel(HwParams p) {
    this.p = p;
    int gridRows = p.bank().tileGridRows();
    int gridCols = p.bank().tileGridCols();
    this.tiles = new CrossbarTileModel[gridRows][gridCols];
    for (int i = 0; i < gridRows; i++) {
      for (int j = 0; j < gridCols; j++) {
        tiles[i][j] = new CrossbarTileModel(p);
      }
    }
  }

  /** Loads the whole bank matrix, weights[input][output]. */
  public void loadWeights(int[][] weights) {
    int rows = p.crossbar().rows();
    int cols = p.crossbar().cols();
    requireShape(weights.length, p.derived().bankInputs(), "weight rows");
    for (int in = 0; in < weights.length; in++) {
      requireShape(weights[in].length, p.derived().bankOutputs(), "weight columns");
      for (int out = 0; out < weights[in].length; out++) {
        tiles[in / rows][out / cols].writeWeight(in % rows, out % cols, weights[in][out]);
      }
    }
  }

  /** y = x W as the bank computes it (ADC effects included), x two's complement (MULTIPLY). */
  public long[] multiply(int[] x) {
    return multiply(x, false);
  }

  /**
   * y = x W; {@code unsignedInputs} (MULTIPLY_UNSIGNED): x in 0..2^inputBits - 1, the top bit
   * plane added instead of subtracted.
   */
  public long[] multiply(int[] x, boolean unsignedInputs) {
    int rows = p.crossbar().rows();
    int cols = p.crossbar().cols();
    requireShape(x.length, p.derived().bankInputs(), "inputs");
    long correction = 0;
    if (p.precision().signedScheme() == Precision.SignedScheme.OFFSET) {
      long sum = 0;
      for (int v : x) {
        sum += v;
      }
      correction = sum << (p.precision().weightBits() - 1);
    }
    long[] y = new long[p.derived().bankOutputs()];
    for (int i = 0; i < tiles.length; i++) {
      int[] chunk = java.util.Arrays.copyOfRange(x, i * rows, (i + 1) * rows);
      for (int j = 0; j < tiles[i].length; j++) {
        long[] partial = tiles[i][j].accumulate(chunk, unsignedInputs);
        for (int c = 0; c < cols; c++) {
          y[j * cols + c] += partial[c];
        }
      }
    }
    for (int o = 0; o < y.length; o++) {
      y[o] -= correction;
    }
    return y;
  }

  private static void requireShape(int actual, int expected, String what) {
    if (actual != expected) {
      throw new IllegalArgumentException(what + ": " + actual + ", expected " + expected);
    }
  }
}
