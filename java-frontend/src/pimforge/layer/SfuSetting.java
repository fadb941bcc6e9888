package pimforge.layer;

import pimforge.params.HwParams;
import pimforge.params.ParamError;

/**
 * One SFU configure packet: requantization M, S (Y = round(acc * M >> S)) and the residual shifts
 * (Y = round(((a << shiftA) + (b << shiftB)) >> shiftOut)).
 */
public record SfuSetting(long m, int shift, int shiftA, int shiftB, int shiftOut) {

  /** The most precise M / 2^S for a real rescale factor: the largest S whose M fits multiplierBits. */
  public static SfuSetting requant(HwParams p, double factor, String what) {
    if (!(factor > 0) || Double.isInfinite(factor)) {
      throw new IllegalArgumentException(what + ": rescale factor must be > 0, is " + factor);
    }
    long limit = 1L << p.sfu().multiplierBits();
    for (int s = 63; s >= 0; s--) {
      long m = Math.round(factor * StrictMath.scalb(1.0, s));
      if (m < limit) {
        return new SfuSetting(Math.max(1, m), s, 0, 0, 0);
      }
    }
    throw new ParamError("sfu.multiplierBits", "is " + p.sfu().multiplierBits() + ": the " + what
        + " requantization factor " + factor + " needs a larger multiplier");
  }

  /** Residual shifts; throws a ParamError when they exceed the SFU's shift registers. */
  public static SfuSetting residual(int shiftA, int shiftB, int shiftOut, String what) {
    if (shiftA > 15 || shiftB > 15 || shiftOut > 31 || shiftA < 0 || shiftB < 0 || shiftOut < 0) {
      throw new ParamError("sfu.actBits", "the " + what + " residual add needs shifts a=" + shiftA + " b=" + shiftB
          + " out=" + shiftOut + ", allowed 0..15, 0..15, 0..31 (operand scales too far apart)");
    }
    return new SfuSetting(0, 0, shiftA, shiftB, shiftOut);
  }

  /** The element-wise product's output shift (MULTIPLY: Y = round((a * b) >> shiftOut)). */
  public static SfuSetting multiply(int shiftOut, String what) {
    if (shiftOut < 0 || shiftOut > 31) {
      throw new ParamError("sfu.actBits", "the " + what + " product needs an output shift of " + shiftOut
          + ", allowed 0..31 (operand scales too far apart)");
    }
    return new SfuSetting(0, 0, 0, 0, shiftOut);
  }

  /** The real factor this requantization applies. */
  public double factor() {
    return m / StrictMath.scalb(1.0, shift);
  }

  /** The configure packet's values M, S, shiftA, shiftB, shiftOut. */
  public long[] values() {
    return new long[] {m, shift, shiftA, shiftB, shiftOut};
  }
}
