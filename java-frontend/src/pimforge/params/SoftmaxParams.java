package pimforge.params;

/**
 * Hybrid softmax: max-finder, exp lookup, sum, reciprocal, normalize, in fixed point (generator
 * arrives with the encoder-layer issue).
 *
 * @param expLutEntries entries of the exp lookup table (power of two, 16..4096)
 * @param expLutBits fraction bits of each exp entry (4..24)
 * @param outputBits bits of each probability (unsigned fraction, 4..16)
 */
public record SoftmaxParams(int expLutEntries, int expLutBits, int outputBits) {
  public static final SoftmaxParams DEFAULT = new SoftmaxParams(256, 16, 8);

  public SoftmaxParams {
    Check.powerOfTwo("softmax.expLutEntries", expLutEntries, 16, 4096);
    Check.range("softmax.expLutBits", expLutBits, 4, 24);
    Check.range("softmax.outputBits", outputBits, 4, 16);
  }
}
