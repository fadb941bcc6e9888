package pimforge.params;

/**
 * Hybrid softmax unit: one row of raw attention scores per packet; row max by comparison, scaled
 * distance to the max, exp by lookup table, sum, reciprocal by integer division, normalization,
 * all in fixed point (formats in README "Softmax unit"; derived widths in {@link SoftmaxDerived}).
 *
 * @param inputBits bits of a raw score (signed; the most negative value marks a masked position), 4..32
 * @param lanes scores per stream beat (power of two, 1..64)
 * @param scaleBits bits of the runtime scale multiplier (unsigned), 1..min(24, inputBits - 1)
 * @param logitFracBits fraction bits of the scaled distance to the row max; the exp LUT step is
 *     2^-logitFracBits, so the table covers distances 0..expLutEntries * 2^-logitFracBits, 0..12
 * @param expLutEntries entries of the exp lookup table (power of two, 16..4096)
 * @param expLutBits fraction bits of each exp entry (entry 0 = 1.0 = 2^expLutBits), 4..24
 * @param reciprocalGuardBits reciprocal bits beyond the output precision (the reciprocal of the
 *     row sum has outputBits + reciprocalGuardBits + 1 bits), 0..16
 * @param outputBits bits of each probability (unsigned fraction, 1.0 saturates to 2^outputBits - 1), 4..16
 */
public record SoftmaxParams(int inputBits, int lanes, int scaleBits, int logitFracBits, int expLutEntries,
    int expLutBits, int reciprocalGuardBits, int outputBits) {
  public static final SoftmaxParams DEFAULT = new SoftmaxParams(20, 4, 16, 5, 512, 16, 4, 8);

  public SoftmaxParams {
    Check.range("softmax.inputBits", inputBits, 4, 32);
    Check.powerOfTwo("softmax.lanes", lanes, 1, 64);
    Check.range("softmax.scaleBits", scaleBits, 1, Math.min(24, inputBits - 1));
    Check.range("softmax.logitFracBits", logitFracBits, 0, 12);
    Check.powerOfTwo("softmax.expLutEntries", expLutEntries, 16, 4096);
    Check.range("softmax.expLutBits", expLutBits, 4, 24);
    Check.range("softmax.reciprocalGuardBits", reciprocalGuardBits, 0, 16);
    Check.range("softmax.outputBits", outputBits, 4, 16);
  }
}
