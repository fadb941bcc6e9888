package pimforge.golden;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import pimforge.params.BankParams;
import pimforge.params.CrossbarParams;
import pimforge.params.HwParams;
import pimforge.params.Precision;
import pimforge.params.Precision.AdcMode;
import pimforge.params.Precision.SignedScheme;

/** The golden model against plain integer arithmetic (the float-free reference of a bank). */
class PimBankModelTest {

  /** With a lossless ADC every scheme and slicing must give exactly x W (DIFFERENTIAL: clamped W). */
  @ParameterizedTest(name = "rows {0} cols {1} cell {2} w{3} x{4} {5}")
  @CsvSource({
      "16, 16, 1, 8, 8, OFFSET", "16, 16, 2, 8, 8, DIFFERENTIAL", "32, 16, 4, 8, 4, OFFSET",
      "64, 32, 4, 4, 8, DIFFERENTIAL", "8, 8, 3, 8, 8, OFFSET", "16, 8, 2, 5, 3, DIFFERENTIAL",
      "128, 16, 1, 16, 16, OFFSET"})
  void losslessAdcIsExactMatrixProduct(int rows, int cols, int cell, int wBits, int xBits, SignedScheme scheme) {
    HwParams p = Fixtures.bank(new Precision(wBits, xBits, cell, 16, AdcMode.CLIP, scheme),
        new CrossbarParams(rows, cols, 4), new BankParams(2, 3, 1));
    assertTrue(p.derived().adcLossless());
    Random rnd = new Random(7);
    int[][] w = randomMatrix(rnd, p.derived().bankInputs(), p.derived().bankOutputs(), wBits);
    PimBankModel bank = new PimBankModel(p);
    bank.loadWeights(w);
    for (int t = 0; t < 5; t++) {
      int[] x = randomVector(rnd, p.derived().bankInputs(), xBits);
      assertArrayEquals(exact(x, w, p.precision().weightMin()), bank.multiply(x));
      // MULTIPLY_UNSIGNED: the same bits read as 0..2^xBits - 1.
      int[] u = new int[x.length];
      for (int i = 0; i < x.length; i++) {
        u[i] = x[i] & ((1 << xBits) - 1);
      }
      assertArrayEquals(exact(u, w, p.precision().weightMin()), bank.multiply(u, true));
    }
  }

  /** A lossy ADC loses at most its rounding/clipping error per column and plane. */
  @ParameterizedTest(name = "adc {0} {1}")
  @CsvSource({"5, SCALE", "4, SCALE", "3, SCALE", "5, CLIP", "4, CLIP"})
  void lossyAdcErrorIsBoundedAndNonZero(int adcBits, AdcMode mode) {
    HwParams p = Fixtures.bank(new Precision(8, 8, 2, adcBits, mode, SignedScheme.OFFSET),
        new CrossbarParams(32, 16, 4), new BankParams(1, 1, 1));
    assertEquals(7, p.derived().adcLosslessBits());
    Random rnd = new Random(11);
    int[][] w = randomMatrix(rnd, 32, 16, 8);
    PimBankModel bank = new PimBankModel(p);
    bank.loadWeights(w);
    long worst = 0;
    for (int t = 0; t < 20; t++) {
      int[] x = randomVector(rnd, 32, 8);
      long[] want = exact(x, w, p.precision().weightMin());
      long[] got = bank.multiply(x);
      for (int c = 0; c < want.length; c++) {
        worst = Math.max(worst, Math.abs(want[c] - got[c]));
      }
    }
    assertTrue(worst > 0, "a lossy ADC must change some result");
    if (mode == AdcMode.SCALE) {
      // each of 8 planes x 4 slices errs by at most step/2, weighted 2^bit * 4^slice
      long step = 1L << p.derived().adcShift();
      long bound = (step / 2) * 255 * (1 + 4 + 16 + 64);
      assertTrue(worst <= bound, "error " + worst + " above bound " + bound);
    }
  }

  static long[] exact(int[] x, int[][] w, int weightMin) {
    long[] y = new long[w[0].length];
    for (int r = 0; r < x.length; r++) {
      for (int c = 0; c < y.length; c++) {
        y[c] += (long) x[r] * Math.max(w[r][c], weightMin);
      }
    }
    return y;
  }

  static int[][] randomMatrix(Random rnd, int rows, int cols, int bits) {
    int[][] w = new int[rows][cols];
    for (int[] row : w) {
      for (int c = 0; c < cols; c++) {
        row[c] = rnd.nextInt(1 << bits) - (1 << (bits - 1));
      }
    }
    return w;
  }

  static int[] randomVector(Random rnd, int n, int bits) {
    int[] x = new int[n];
    for (int i = 0; i < n; i++) {
      x[i] = rnd.nextInt(1 << bits) - (1 << (bits - 1));
    }
    return x;
  }
}
