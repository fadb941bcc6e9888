package pimforge.minilm;

import pimforge.params.HwParams;
import pimforge.params.ParamError;

/**
 * A LayerNorm whose output feeds banks with per-channel input scales s_i: the SFU normalizes the
 * same vector a second time with gamma_i 2^(k-F) / s_i and beta_i 2^(k-F) / s_i (a second
 * LOAD_NORM), which yields round(y_i / s_i * 2^k) in actBits; a requantization by 2^-k then gives
 * the bank input. k is the largest shift (at most actBits - inputBits, so that the NORM output
 * cannot saturate) for which the scaled gamma and beta still fit the SFU's gamma format: it keeps
 * their relative rounding error small.
 */
final class BankNorm {
  private final long[] gamma;
  private final long[] beta;
  private final FixedMultiplier down;
  private final long inMax;

  BankNorm(HwParams p, LayerNormWeights n, double[] scale) {
    int f = p.sfu().actFracBits();
    double gammaMax = StrictMath.scalb((double) ((1L << (p.sfu().gammaBits() - 1)) - 1), -p.sfu().gammaFracBits());
    double largest = 0;
    for (int i = 0; i < scale.length; i++) {
      largest = Math.max(largest, Math.max(Math.abs(n.gamma()[i]), Math.abs(n.beta()[i])) / scale[i]);
    }
    int k = p.sfu().actBits() - p.precision().inputBits();
    // 1e-9: fitGamma puts channels exactly at gammaMax.
    while (k >= 0 && largest * StrictMath.scalb(1.0, k - f) > gammaMax * (1 + 1e-9)) {
      k--;
    }
    if (k < 0) {
      throw new ParamError("sfu.gammaBits", "is " + p.sfu().gammaBits() + " with " + p.sfu().gammaFracBits()
          + " fraction bits: LayerNorm gamma / bank input scale reaches " + largest * StrictMath.scalb(1.0, -f));
    }
    this.gamma = new long[scale.length];
    this.beta = new long[scale.length];
    double unit = StrictMath.scalb(1.0, p.sfu().gammaFracBits() + k - f);
    for (int i = 0; i < scale.length; i++) {
      gamma[i] = Math.round(n.gamma()[i] / scale[i] * unit);
      beta[i] = Math.round(n.beta()[i] / scale[i] * unit);
    }
    this.down = k == 0 ? null : FixedMultiplier.of(p, StrictMath.scalb(1.0, -k));
    this.inMax = (1L << (p.precision().inputBits() - 1)) - 1;
  }

  /**
   * The scales raised where needed so that gamma_i 2^-F / s_i and beta_i 2^-F / s_i fit the SFU's
   * gamma format (a channel whose calibrated range is tiny against its gamma gets a coarser step).
   */
  static double[] fitGamma(HwParams p, LayerNormWeights n, double[] scale) {
    double gammaMax = StrictMath.scalb((double) ((1L << (p.sfu().gammaBits() - 1)) - 1), -p.sfu().gammaFracBits());
    double unit = StrictMath.scalb(1.0, -p.sfu().actFracBits());
    double[] s = scale.clone();
    for (int i = 0; i < s.length; i++) {
      s[i] = Math.max(s[i], Math.max(Math.abs(n.gamma()[i]), Math.abs(n.beta()[i])) * unit / gammaMax);
    }
    return s;
  }

  /** Bank inputs round(y_i / s_i), saturated to inputBits, of the LayerNorm of each vector of x. */
  long[][] apply(SfuOps sfu, long[][] x) {
    long[][] y = sfu.layerNorm(x, gamma, beta);
    for (int t = 0; t < y.length; t++) {
      if (down != null) {
        y[t] = sfu.requant(y[t], down);
      }
      for (int i = 0; i < y[t].length; i++) {
        y[t][i] = Math.max(-inMax, Math.min(inMax, y[t][i]));
      }
    }
    return y;
  }
}
