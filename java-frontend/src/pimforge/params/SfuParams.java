package pimforge.params;

/**
 * Special-function unit: requantization, residual add, LayerNorm/RMSNorm, GELU/SiLU/ReLU.
 * Which activation and which norm the hardware implements follows {@code model.activation} and
 * {@code model.norm}; the numbers that follow from these fields and the model live in
 * {@link SfuDerived}.
 *
 * @param lanes elements per stream beat (power of two, 1..64; must divide model.hiddenSize)
 * @param accBits signed bits of an input stream element (accumulators to requantize), 16..48
 * @param actBits signed bits of an activation (requant, residual, norm and activation outputs), 4..16
 * @param actFracBits fraction bits of an activation (activation LUT input/output, norm output)
 * @param multiplierBits unsigned bits of the runtime requantization multiplier M, 2..31
 * @param residualBits signed bits of each residual-add operand, actBits..accBits
 * @param activationLutEntries segments of the GELU/SiLU table (power of two, 16..4096, at most 2^actBits)
 * @param lutBits fraction bits of each lookup entry (4..24)
 * @param normBits signed bits of the normalized value (x - mean) / sigma before gamma/beta (8..32)
 * @param rsqrtLutBits the rsqrt table has 3 * 2^rsqrtLutBits entries over the mantissa [1, 4) (2..12)
 * @param rsqrtBits fraction bits of each rsqrt entry (8..24)
 * @param gammaBits signed bits of gamma and beta (4..24)
 * @param gammaFracBits fraction bits of gamma and beta (0..gammaBits-1)
 */
public record SfuParams(
    int lanes,
    int accBits,
    int actBits,
    int actFracBits,
    int multiplierBits,
    int residualBits,
    int activationLutEntries,
    int lutBits,
    int normBits,
    int rsqrtLutBits,
    int rsqrtBits,
    int gammaBits,
    int gammaFracBits) {
  /**
   * 14.7 activations (range +-64 in steps of 1/128), 1024 GELU segments (the fewest the 1/2 LSB rule
   * allows at 14.7): the residual stream of a real encoder (all-MiniLM-L6-v2: outlier channels near
   * 220 at the LayerNorm input, most values near 1) needs the range and the fine LayerNorm input;
   * the old 8.4 default gave a sentence-embedding cosine of 0.4, 14.7 gives 0.995 at 8-bit banks.
   */
  public static final SfuParams DEFAULT = new SfuParams(4, 32, 14, 7, 16, 16, 1024, 16, 20, 6, 16, 16, 12);

  public SfuParams {
    Check.powerOfTwo("sfu.lanes", lanes, 1, 64);
    Check.range("sfu.accBits", accBits, 16, 48);
    Check.range("sfu.actBits", actBits, 4, 16);
    Check.range("sfu.actFracBits", actFracBits, 0, actBits - 2);
    Check.range("sfu.multiplierBits", multiplierBits, 2, 31);
    Check.range("sfu.multiplierBits", multiplierBits, 2, Math.min(31, accBits - 1)); // M travels as one stream element
    Check.range("sfu.residualBits", residualBits, actBits, accBits);
    Check.powerOfTwo("sfu.activationLutEntries", activationLutEntries, 16, Math.min(4096, 1 << actBits));
    Check.range("sfu.lutBits", lutBits, Math.max(4, actFracBits + 1), 24);
    Check.range("sfu.normBits", normBits, 8, 32);
    Check.range("sfu.rsqrtLutBits", rsqrtLutBits, 2, 12);
    Check.range("sfu.rsqrtBits", rsqrtBits, 8, 24);
    Check.range("sfu.gammaBits", gammaBits, 4, 24);
    Check.range("sfu.gammaFracBits", gammaFracBits, 0, gammaBits - 1);
  }
}
