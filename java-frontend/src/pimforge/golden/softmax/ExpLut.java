package pimforge.golden.softmax;

import pimforge.params.SoftmaxParams;

/**
 * The exp lookup table of the softmax unit, used by both the golden model and the Chisel
 * generator (which builds its ROM from this method), so both sides hold identical contents.
 *
 * <p>Entry i = floor(exp(-i * 2^-logitFracBits) * 2^expLutBits + 1/2) (round half up), i in
 * 0..expLutEntries-1. Entry 0 is exactly 2^expLutBits (1.0). Distances at or beyond the table give
 * exp = 0. {@link StrictMath} makes the contents identical on every JVM.
 */
public final class ExpLut {
  private ExpLut() {}

  public static long[] entries(SoftmaxParams s) {
    long[] lut = new long[s.expLutEntries()];
    double step = StrictMath.scalb(1.0, -s.logitFracBits());
    double one = StrictMath.scalb(1.0, s.expLutBits());
    for (int i = 0; i < lut.length; i++) {
      lut[i] = (long) StrictMath.floor(StrictMath.exp(-i * step) * one + 0.5);
    }
    return lut;
  }
}
