package pimforge.golden.sfu;

import pimforge.params.SfuParams;

/** Requantization of an accumulator: Y = sat_actBits((acc * M + 2^(S-1)) >> S), round half up. */
public final class Requant {
  private Requant() {}

  /** @param acc a signed accBits accumulator; m unsigned multiplierBits; s 0..63 */
  public static long apply(SfuParams p, long acc, long m, int s) {
    return Fixed.saturate(Fixed.roundShift(Fixed.signedLow(acc, p.accBits()) * m, s), p.actBits());
  }
}
