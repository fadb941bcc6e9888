package pimforge.golden.sfu;

import pimforge.params.HwParams;
import pimforge.params.SfuDerived;
import pimforge.params.SfuParams;

/**
 * The activation lookup table, shared by the Chisel generator (its ROM) and the golden model.
 * The input x is a signed actBits integer with actFracBits fraction bits; its whole range
 * [-2^(A-1), 2^(A-1)) is the table's (clamped) range. Entry i (0..entries, one past the last
 * segment so the last segment can interpolate) is round((f(x_i) + o) * 2^lutBits) at
 * x_i = (i * 2^lutStepBits - 2^(A-1)) / 2^actFracBits, o = sfuDerived.activationOffset *
 * 2^-actFracBits (interpolation and rounding carry o through exactly: the output is the
 * offset-free output plus activationOffset LSBs). Empty for RELU (no table).
 */
public final class ActivationLut {
  private ActivationLut() {}

  public static long[] entries(HwParams p) {
    SfuParams s = p.sfu();
    SfuDerived d = p.sfuDerived();
    if (d.activation() == pimforge.params.ModelShape.Activation.RELU) {
      return new long[0];
    }
    long[] t = new long[s.activationLutEntries() + 1];
    for (int i = 0; i < t.length; i++) {
      double x = ((long) i * (1L << d.lutStepBits()) - (1L << (s.actBits() - 1))) / Math.pow(2, s.actFracBits());
      t[i] = Math.round(ActivationFunctions.apply(d.activation(), x) * Math.pow(2, s.lutBits()))
          + ((long) d.activationOffset() << (s.lutBits() - s.actFracBits()));
    }
    return t;
  }
}
