package pimforge.golden.sfu;

import pimforge.params.SfuParams;

/**
 * Residual add with scale alignment: Y = sat_actBits(round(((a << shiftA) + (b << shiftB)) >> shiftOut)),
 * a and b signed residualBits operands.
 */
public final class ResidualAdd {
  private ResidualAdd() {}

  public static long apply(SfuParams p, long a, long b, int shiftA, int shiftB, int shiftOut) {
    long sum = (Fixed.signedLow(a, p.residualBits()) << shiftA) + (Fixed.signedLow(b, p.residualBits()) << shiftB);
    return Fixed.saturate(Fixed.roundShift(sum, shiftOut), p.actBits());
  }
}
