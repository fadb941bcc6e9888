package pimforge.params;

import java.math.BigInteger;

/**
 * Quantities of the crossbar tile and bank that follow from the parameters. Computed here once;
 * the Chisel generators, the golden model, the co-simulation harness and the reports all read
 * them from this record (and design.json shows them under "derived").
 *
 * @param adcLosslessBits ADC bits needed for an exact column sum of a full-scale column
 * @param adcLossless true when the configured ADC is exact
 * @param adcShift SCALE mode: log2 of the ADC step (0 when lossless or CLIP)
 * @param adcMaxCode largest ADC output code
 * @param columnSumBits width of a raw column sum
 * @param adcsPerTile ADCs per tile: lanes * columnGroups * slices (physical columns read per cycle)
 * @param physicalColumnsPerTile cols * columnGroups * slices
 * @param wordsPerTile column words per tile (cols / lanes); one word is read per compute step
 * @param bankInputs inputs of a bank: tileGridRows * rows
 * @param bankOutputs outputs of a bank: tileGridCols * cols
 * @param streamElementBits signed bits of one stream element carrying a weight or an input
 * @param accumulatorBits signed bits that hold every bank result exactly (no overflow possible)
 */
public record XbarDerived(
    int adcLosslessBits,
    boolean adcLossless,
    int adcShift,
    int adcMaxCode,
    int columnSumBits,
    int adcsPerTile,
    int physicalColumnsPerTile,
    int wordsPerTile,
    int bankInputs,
    int bankOutputs,
    int streamElementBits,
    int accumulatorBits) {

  /** Largest accumulator width the golden model (long) and the harness (uint64) carry. */
  public static final int MAX_ACCUMULATOR_BITS = 62;

  static XbarDerived of(Precision p, CrossbarParams x, BankParams b) {
    int lossless = p.adcLosslessBits(x.rows());
    boolean exact = p.adcBits() >= lossless;
    int shift = exact || p.adcMode() == Precision.AdcMode.CLIP ? 0 : lossless - p.adcBits();
    int maxCode = exact ? (int) ((long) x.rows() * ((1L << p.bitsPerCell()) - 1)) : (1 << p.adcBits()) - 1;
    int perWeight = p.columnGroups() * p.slices();
    int acc = accumulatorBits(p, x, b, new AdcTransfer(exact, p.adcMode(), shift, maxCode));
    if (acc > MAX_ACCUMULATOR_BITS) {
      throw new ParamError("precision", "needs a " + acc + "-bit accumulator, allowed at most "
          + MAX_ACCUMULATOR_BITS + " (lower weightBits, inputBits, crossbar.rows or bank.tileGridRows)");
    }
    return new XbarDerived(lossless, exact, shift, maxCode, lossless, x.lanes() * perWeight,
        x.cols() * perWeight, x.cols() / x.lanes(), b.tileGridRows() * x.rows(),
        b.tileGridCols() * x.cols(), Math.max(p.weightBits(), p.inputBits()), acc);
  }

  /** The ADC transfer function: column sum in, reconstructed column sum out. */
  public AdcTransfer adc(Precision p) {
    return new AdcTransfer(adcLossless, p.adcMode(), adcShift, adcMaxCode);
  }

  /**
   * Worst-case |result| of a bank: every ADC at its largest output for every input bit, summed
   * with the bit weights, plus the OFFSET correction, times the tiles whose partial sums add.
   */
  private static int accumulatorBits(Precision p, CrossbarParams x, BankParams b, AdcTransfer adc) {
    BigInteger perBit = BigInteger.ZERO;
    for (int s = 0; s < p.slices(); s++) {
      long fullColumn = (long) x.rows() * ((1L << p.sliceBits(s)) - 1);
      perBit = perBit.add(BigInteger.valueOf(adc.apply(fullColumn)).shiftLeft(s * p.bitsPerCell()));
    }
    perBit = perBit.multiply(BigInteger.valueOf(p.columnGroups()));
    BigInteger tile = perBit.multiply(BigInteger.ONE.shiftLeft(p.inputBits()).subtract(BigInteger.ONE));
    if (p.signedScheme() == Precision.SignedScheme.OFFSET) {
      BigInteger offset = BigInteger.ONE.shiftLeft(p.weightBits() - 1)
          .multiply(BigInteger.valueOf(x.rows())).shiftLeft(p.inputBits() - 1);
      tile = tile.add(offset);
    }
    BigInteger bank = tile.multiply(BigInteger.valueOf(b.tileGridRows()));
    return bank.bitLength() + 1;
  }
}
