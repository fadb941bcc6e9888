package pimforge.cosim;

import java.util.Random;
import pimforge.params.BankParams;
import pimforge.params.CrossbarParams;
import pimforge.params.HwParams;
import pimforge.params.Precision;
import pimforge.params.Precision.AdcMode;
import pimforge.params.Precision.SignedScheme;

/**
 * Draws random crossbar/bank configurations for co-simulation: rows and cols 16..256, 1/2/4 bits
 * per cell, 4/8-bit weights and inputs, both signed schemes, ADCs from above lossless down to
 * several bits lossy. {@code cellBudget} caps rows x ADCs x tiles (the cells the simulator sums
 * per cycle), which is what Verilator's build time grows with.
 */
public final class BankConfigSampler {
  private static final int[] SIZES = {16, 32, 64, 128, 256};
  private static final int[] CELL_BITS = {1, 2, 4};
  private static final int[] DATA_BITS = {4, 8};

  private BankConfigSampler() {}

  public static HwParams sample(HwParams base, long seed, int cellBudget) {
    Random rnd = new Random(seed);
    int rows = SIZES[rnd.nextInt(SIZES.length)];
    int cols = SIZES[rnd.nextInt(SIZES.length)];
    int weightBits = DATA_BITS[rnd.nextInt(DATA_BITS.length)];
    int inputBits = DATA_BITS[rnd.nextInt(DATA_BITS.length)];
    int cellBits = CELL_BITS[rnd.nextInt(CELL_BITS.length)];
    SignedScheme scheme = rnd.nextBoolean() ? SignedScheme.OFFSET : SignedScheme.DIFFERENTIAL;
    AdcMode mode = rnd.nextBoolean() ? AdcMode.SCALE : AdcMode.CLIP;
    Precision probe = new Precision(weightBits, inputBits, cellBits, 16, mode, scheme);
    int lossless = probe.adcLosslessBits(rows);
    int[] offsets = {2, 0, 0, -1, -2, -3, -4}; // above lossless, exact, then lossier
    int adcBits = Math.max(1, Math.min(16, lossless + offsets[rnd.nextInt(offsets.length)]));
    Precision prec = new Precision(weightBits, inputBits, cellBits, adcBits, mode, scheme);

    int cellsPerWeight = prec.slices() * prec.columnGroups();
    int gridRows = 1 + rnd.nextInt(2);
    int gridCols = 1 + rnd.nextInt(3);
    while (gridRows * gridCols > 1 && rows * cellsPerWeight * gridRows * gridCols > cellBudget) {
      if (gridCols > 1) {
        gridCols--;
      } else {
        gridRows--;
      }
    }
    int lanes = 1;
    int maxLanes = Math.min(Math.min(rows, cols), 16);
    while (lanes * 2 <= maxLanes && rows * cellsPerWeight * lanes * 2 * gridRows * gridCols <= cellBudget) {
      lanes *= 2;
    }
    lanes = 1 << rnd.nextInt(Integer.numberOfTrailingZeros(lanes) + 1); // any power of two up to the cap
    return base.withPrecision(prec).withCrossbar(new CrossbarParams(rows, cols, lanes))
        .withBank(new BankParams(gridRows, gridCols, base.bank().banks()));
  }

  /** One line describing the crossbar/bank part of a configuration. */
  public static String describe(HwParams p) {
    Precision q = p.precision();
    return "rows=" + p.crossbar().rows() + " cols=" + p.crossbar().cols() + " lanes=" + p.crossbar().lanes()
        + " grid=" + p.bank().tileGridRows() + "x" + p.bank().tileGridCols()
        + " w" + q.weightBits() + " x" + q.inputBits() + " cell" + q.bitsPerCell()
        + " adc" + q.adcBits() + "/" + p.derived().adcLosslessBits() + " " + q.adcMode() + " " + q.signedScheme();
  }
}
