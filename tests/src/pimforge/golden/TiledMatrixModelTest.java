package pimforge.golden;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import pimforge.params.BankParams;
import pimforge.params.CrossbarParams;
import pimforge.params.HwParams;
import pimforge.params.Precision;

/** A matrix larger than a bank, with ragged edges, on bank models. */
class TiledMatrixModelTest {
  private static final int IN = 70;
  private static final int OUT = 45;

  @Test
  void losslessShortcutEqualsTheBankModelsBlockByBlock() {
    HwParams p = Fixtures.bank(new Precision(8, 8, 2, 16, Precision.AdcMode.CLIP, Precision.SignedScheme.DIFFERENTIAL),
        new CrossbarParams(16, 16, 4), new BankParams(2, 1, 1));
    Random rnd = new Random(3);
    int[][] w = PimBankModelTest.randomMatrix(rnd, IN, OUT, 8);
    TiledMatrixModel m = new TiledMatrixModel(p, w);
    for (int t = 0; t < 4; t++) {
      int[] x = PimBankModelTest.randomVector(rnd, IN, 8);
      assertArrayEquals(blockwise(p, w, x), m.multiply(x));
      assertArrayEquals(PimBankModelTest.exact(x, w, p.precision().weightMin()), m.multiply(x));
    }
  }

  @Test
  void lossyAdcGoesThroughTheBanks() {
    HwParams p = Fixtures.bank(new Precision(8, 8, 2, 4, Precision.AdcMode.SCALE, Precision.SignedScheme.OFFSET),
        new CrossbarParams(16, 16, 4), new BankParams(2, 2, 1));
    Random rnd = new Random(4);
    int[][] w = PimBankModelTest.randomMatrix(rnd, IN, OUT, 8);
    TiledMatrixModel m = new TiledMatrixModel(p, w);
    int[] x = PimBankModelTest.randomVector(rnd, IN, 8);
    assertArrayEquals(blockwise(p, w, x), m.multiply(x));
    assertFalse(Arrays.equals(PimBankModelTest.exact(x, w, p.precision().weightMin()), m.multiply(x)),
        "a 4-bit ADC must lose something");
  }

  /** Independent re-implementation: pad the whole matrix, run every block on a fresh bank model. */
  private static long[] blockwise(HwParams p, int[][] w, int[] x) {
    int bi = p.derived().bankInputs();
    int bo = p.derived().bankOutputs();
    long[] y = new long[OUT];
    for (int r0 = 0; r0 < IN; r0 += bi) {
      for (int c0 = 0; c0 < OUT; c0 += bo) {
        int[][] block = new int[bi][bo];
        int[] chunk = new int[bi];
        for (int r = 0; r < bi; r++) {
          chunk[r] = r0 + r < IN ? x[r0 + r] : 0;
          for (int c = 0; c < bo; c++) {
            block[r][c] = r0 + r < IN && c0 + c < OUT ? w[r0 + r][c0 + c] : 0;
          }
        }
        PimBankModel bank = new PimBankModel(p);
        bank.loadWeights(block);
        long[] part = bank.multiply(chunk);
        for (int c = 0; c < bo && c0 + c < OUT; c++) {
          y[c0 + c] += part[c];
        }
      }
    }
    return y;
  }
}
