package pimforge.params;

/**
 * Quantities of the softmax unit that follow from the parameters (design.json "softmaxDerived").
 * The Chisel generator, the golden model, the co-simulation and the C header read them from here.
 *
 * @param maskValue the raw score that marks a masked position: -2^(inputBits-1)
 * @param productBits unsigned bits of (max - score) * multiplier: inputBits + scaleBits
 * @param maxShift largest runtime shift: productBits
 * @param shiftBits bits of the runtime shift register
 * @param lutIndexBits log2(expLutEntries)
 * @param expEntryBits unsigned bits of an exp entry (1.0 = 2^expLutBits included)
 * @param rowBeats beats of the longest row: ceil(attention.maxSeqLen / lanes) (the row buffer depth)
 * @param sumBits unsigned bits of the row sum of exp entries: rowBeats * lanes * 2^expLutBits fits
 * @param reciprocalBits bits of R = floor(2^dividendLog2 / sum): outputBits + reciprocalGuardBits + 1;
 *     also the divider's cycles (one quotient bit per cycle)
 * @param dividendLog2 expLutBits + outputBits + reciprocalGuardBits
 * @param normalizeShift right shift of e * R to an output probability: expLutBits + reciprocalGuardBits
 * @param outputElementBits signed bits of an output stream element (outputBits + 1, value never negative)
 * @param configValues values of a configure packet: multiplier, shift
 * @param configBeats beats of a configure packet (values padded with zeros to whole beats)
 */
public record SoftmaxDerived(
    long maskValue,
    int productBits,
    int maxShift,
    int shiftBits,
    int lutIndexBits,
    int expEntryBits,
    int rowBeats,
    int sumBits,
    int reciprocalBits,
    int dividendLog2,
    int normalizeShift,
    int outputElementBits,
    int configValues,
    int configBeats) {

  public static final int CONFIG_VALUES = 2;

  static SoftmaxDerived of(SoftmaxParams s, AttentionParams a) {
    int product = s.inputBits() + s.scaleBits();
    int rowBeats = (a.maxSeqLen() + s.lanes() - 1) / s.lanes();
    long maxSum = ((long) rowBeats * s.lanes()) << s.expLutBits();
    return new SoftmaxDerived(
        -(1L << (s.inputBits() - 1)),
        product,
        product,
        Check.ceilLog2(product + 1L),
        Integer.numberOfTrailingZeros(s.expLutEntries()),
        s.expLutBits() + 1,
        rowBeats,
        64 - Long.numberOfLeadingZeros(maxSum),
        s.outputBits() + s.reciprocalGuardBits() + 1,
        s.expLutBits() + s.outputBits() + s.reciprocalGuardBits(),
        s.expLutBits() + s.reciprocalGuardBits(),
        s.outputBits() + 1,
        CONFIG_VALUES,
        (CONFIG_VALUES + s.lanes() - 1) / s.lanes());
  }
}
