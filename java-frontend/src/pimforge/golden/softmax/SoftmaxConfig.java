package pimforge.golden.softmax;

import pimforge.params.HwParams;
import pimforge.params.SoftmaxDerived;
import pimforge.params.SoftmaxParams;

/**
 * Runtime configuration of the softmax unit: the scaled distance of a score to the row max is
 * {@code t = ((max - score) * multiplier + half) >> shift} (half = 2^(shift-1), 0 for shift 0),
 * in units of 2^-logitFracBits of a real logit. So one raw score unit is worth
 * {@code multiplier / 2^(shift + logitFracBits)} real logit units: the product of the upstream
 * quantization scales and 1/sqrt(d_head).
 *
 * @param multiplier unsigned, 0..2^scaleBits - 1
 * @param shift 0..softmaxDerived.maxShift
 */
public record SoftmaxConfig(long multiplier, int shift) {

  /** Validates against the unit's parameters; throws IllegalArgumentException when out of range. */
  public SoftmaxConfig checked(HwParams p) {
    SoftmaxParams s = p.softmax();
    if (multiplier < 0 || multiplier >= (1L << s.scaleBits())) {
      throw new IllegalArgumentException("multiplier " + multiplier + " outside 0.." + ((1L << s.scaleBits()) - 1));
    }
    if (shift < 0 || shift > p.softmaxDerived().maxShift()) {
      throw new IllegalArgumentException("shift " + shift + " outside 0.." + p.softmaxDerived().maxShift());
    }
    return this;
  }

  /** Real logit units per raw score unit that this configuration applies. */
  public double scale(HwParams p) {
    return multiplier / StrictMath.scalb(1.0, shift + p.softmax().logitFracBits());
  }

  /**
   * The most precise configuration for a real scale (logit units per raw score unit, > 0): the
   * largest shift whose multiplier round(scale * 2^(shift + logitFracBits)) still fits scaleBits.
   */
  public static SoftmaxConfig forScale(HwParams p, double scale) {
    if (!(scale > 0)) {
      throw new IllegalArgumentException("scale must be > 0, is " + scale);
    }
    SoftmaxParams s = p.softmax();
    SoftmaxDerived d = p.softmaxDerived();
    for (int shift = d.maxShift(); shift >= 0; shift--) {
      long m = Math.round(scale * StrictMath.scalb(1.0, shift + s.logitFracBits()));
      if (m < (1L << s.scaleBits())) {
        return new SoftmaxConfig(Math.max(1, m), shift);
      }
    }
    throw new IllegalArgumentException("scale " + scale + " too large for scaleBits " + s.scaleBits());
  }

  /** The configure packet's values: multiplier, shift, zero-padded to whole beats. */
  public long[] packet(HwParams p) {
    long[] v = new long[p.softmaxDerived().configBeats() * p.softmax().lanes()];
    v[0] = multiplier;
    v[1] = shift;
    return v;
  }
}
