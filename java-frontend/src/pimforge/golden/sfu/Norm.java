package pimforge.golden.sfu;

import pimforge.params.HwParams;
import pimforge.params.ModelShape;
import pimforge.params.SfuDerived;
import pimforge.params.SfuParams;

/**
 * LayerNorm / RMSNorm in integers, without a division. With N elements x (signed actBits),
 * S1 = sum x, S2 = sum x^2: LayerNorm uses D = N*S2 - S1^2 = N^2 var and num = N*x - S1; RMSNorm
 * D = N*S2 and num = N*x (S1 taken as 0). Then (x - mean)/sigma = num / sqrt(D) = num * rsqrt(D):
 * D = m * 4^e (e = msb(D) / 2), R = RsqrtLut[floor(D * 2^k / 4^e) - 2^k],
 * z = sat_normBits(round(num * R >> (e + zShiftBase))) with zFracBits fraction bits (D = 0 gives
 * z = 0: the vector is constant, or all zero), and Y = sat_actBits(round((z * gamma + beta << zFracBits)
 * >> outShift)). Epsilon is not added: a non-zero D is at least N - 1, so model.normEps (1e-5 and
 * below, in units of the activation LSB^2 at least 2^-2*actFracBits) is below the datapath's resolution.
 */
public final class Norm {
  private final SfuParams s;
  private final SfuDerived d;
  private final long[] rsqrt;

  public Norm(HwParams p) {
    this.s = p.sfu();
    this.d = p.sfuDerived();
    this.rsqrt = RsqrtLut.entries(s);
  }

  /** Statistics of a vector: D and S1 (0 for RMSNorm). */
  public record Stats(long d, long s1) {}

  /** The rsqrt of a non-zero D: table entry R and exponent e. */
  public record Rsqrt(long r, int e) {}

  public Stats stats(long[] x) {
    long s1 = 0;
    long s2 = 0;
    for (long e : x) {
      long v = Fixed.signedLow(e, s.actBits());
      s1 += v;
      s2 += v * v;
    }
    long n = d.vectorLength();
    return d.norm() == ModelShape.Norm.LAYERNORM ? new Stats(n * s2 - s1 * s1, s1) : new Stats(n * s2, 0);
  }

  public Rsqrt rsqrt(long dv) {
    if (dv == 0) {
      return new Rsqrt(0, 0);
    }
    int e = (63 - Long.numberOfLeadingZeros(dv)) / 2;
    int k = s.rsqrtLutBits();
    long mq = 2 * e >= k ? dv >> (2 * e - k) : dv << (k - 2 * e);
    return new Rsqrt(rsqrt[(int) (mq - (1L << k))], e);
  }

  /** Normalizes x (N elements) with gamma/beta (signed gammaBits, gammaFracBits fraction bits). */
  public long[] apply(long[] x, long[] gamma, long[] beta) {
    Stats st = stats(x);
    Rsqrt r = rsqrt(st.d());
    long[] y = new long[x.length];
    for (int i = 0; i < x.length; i++) {
      long num = d.vectorLength() * Fixed.signedLow(x[i], s.actBits()) - st.s1();
      long z = Fixed.saturate(Fixed.roundShift(num * r.r(), r.e() + d.zShiftBase()), s.normBits());
      long g = Fixed.signedLow(gamma[i], s.gammaBits());
      long b = Fixed.signedLow(beta[i], s.gammaBits());
      y[i] = Fixed.saturate(Fixed.roundShift(z * g + (b << d.zFracBits()), d.outShift()), s.actBits());
    }
    return y;
  }
}
