package pimforge.minilm;

import pimforge.golden.sfu.SfuModel;
import pimforge.golden.sfu.SfuOp;
import pimforge.params.HwParams;

/**
 * The SFU golden model driven by command packets, as the host would: every requantization,
 * residual add, LayerNorm and GELU of the quantized encoder goes through {@link SfuModel#run}.
 */
final class SfuOps {
  private final HwParams p;
  private final SfuModel sfu;

  SfuOps(HwParams p) {
    this.p = p;
    this.sfu = new SfuModel(p);
  }

  /** Y = sat(round(acc * M >> S)) for every element. */
  long[] requant(long[] acc, FixedMultiplier f) {
    configure(f.m(), f.shift(), 0, 0, 0);
    return sfu.run(SfuOp.REQUANT, acc);
  }

  /** Y = sat(round(((a << shiftA) + (b << shiftB)) >> shiftOut)); the packet interleaves a and b beat by beat. */
  long[] residual(long[] a, long[] b, int shiftA, int shiftB, int shiftOut) {
    configure(0, 0, shiftA, shiftB, shiftOut);
    int lanes = p.sfu().lanes();
    long[] packet = new long[2 * a.length];
    for (int beat = 0; beat < a.length / lanes; beat++) {
      System.arraycopy(a, beat * lanes, packet, 2 * beat * lanes, lanes);
      System.arraycopy(b, beat * lanes, packet, (2 * beat + 1) * lanes, lanes);
    }
    return sfu.run(SfuOp.RESIDUAL, packet);
  }

  /** Loads gamma/beta (signed gammaBits, gammaFracBits fraction bits), then normalizes each vector. */
  long[][] layerNorm(long[][] x, long[] gamma, long[] beta) {
    long[] packet = new long[2 * gamma.length];
    System.arraycopy(gamma, 0, packet, 0, gamma.length);
    System.arraycopy(beta, 0, packet, gamma.length, beta.length);
    sfu.run(SfuOp.LOAD_NORM, packet);
    long[][] y = new long[x.length][];
    for (int t = 0; t < x.length; t++) {
      y[t] = sfu.run(SfuOp.NORM, x[t]);
    }
    return y;
  }

  /** The model's activation (GELU erf for MiniLM) on actBits.actFracBits values. */
  long[] activate(long[] x) {
    return sfu.run(SfuOp.ACTIVATE, x);
  }

  private void configure(long m, int s, int shiftA, int shiftB, int shiftOut) {
    sfu.run(SfuOp.CONFIGURE, new long[] {m, s, shiftA, shiftB, shiftOut});
  }
}
