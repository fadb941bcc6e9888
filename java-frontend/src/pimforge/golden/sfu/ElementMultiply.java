package pimforge.golden.sfu;

import pimforge.params.SfuParams;

/**
 * Element-wise product of two activations (SwiGLU / GeGLU: act(x W_gate) * (x W_up)):
 * Y = sat_actBits(round((a * b) >> shiftOut)), a and b signed actBits operands, shiftOut the
 * runtime register of CONFIGURE (0..31), rounding half up as everywhere in the SFU
 * ({@link Fixed#roundShift}). With a in 2^-actFracBits and b in 2^eB units the product is in
 * 2^(shiftOut + eB - actFracBits) units.
 */
public final class ElementMultiply {
  private ElementMultiply() {}

  public static long apply(SfuParams p, long a, long b, int shiftOut) {
    long prod = Fixed.signedLow(a, p.actBits()) * Fixed.signedLow(b, p.actBits());
    return Fixed.saturate(Fixed.roundShift(prod, shiftOut), p.actBits());
  }
}
