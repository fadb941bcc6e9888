package pimforge.minilm;

import pimforge.params.HwParams;

/**
 * A real rescale factor as the SFU's requantization registers hold it: M / 2^S with M unsigned
 * sfu.multiplierBits and S in 0..63. The largest S whose M still fits is the most precise choice.
 */
record FixedMultiplier(long m, int shift) {

  static FixedMultiplier of(HwParams p, double real) {
    if (!(real > 0)) {
      throw new IllegalArgumentException("rescale factor must be > 0, is " + real);
    }
    long limit = 1L << p.sfu().multiplierBits();
    for (int s = 63; s >= 0; s--) {
      long m = Math.round(real * StrictMath.scalb(1.0, s));
      if (m < limit) {
        return new FixedMultiplier(Math.max(1, m), s);
      }
    }
    throw new IllegalArgumentException("rescale factor " + real + " too large for sfu.multiplierBits "
        + p.sfu().multiplierBits());
  }
}
