package pimforge.golden.sfu;

import pimforge.params.HwParams;
import pimforge.params.ModelShape;
import pimforge.params.SfuDerived;
import pimforge.params.SfuParams;

/**
 * GELU / GELU_TANH / SiLU by table lookup with linear interpolation ({@link ActivationLut}); RELU
 * directly. u = x + 2^(A-1); segment i = u >> step, t = u mod 2^step;
 * Y = sat(round((L[i] * 2^step + (L[i+1] - L[i]) * t) >> (lutBits + step - actFracBits))).
 */
public final class Activation {
  private final SfuParams s;
  private final SfuDerived d;
  private final long[] lut;

  public Activation(HwParams p) {
    this.s = p.sfu();
    this.d = p.sfuDerived();
    this.lut = ActivationLut.entries(p);
  }

  public long apply(long element) {
    long x = Fixed.signedLow(element, s.actBits());
    if (d.activation() == ModelShape.Activation.RELU) {
      return Math.max(0, x);
    }
    int step = d.lutStepBits();
    long u = x + (1L << (s.actBits() - 1));
    int i = (int) (u >> step);
    long t = u & ((1L << step) - 1);
    long y = (lut[i] << step) + (lut[i + 1] - lut[i]) * t;
    return Fixed.saturate(Fixed.roundShift(y, s.lutBits() + step - s.actFracBits()), s.actBits());
  }
}
