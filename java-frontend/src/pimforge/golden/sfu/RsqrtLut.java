package pimforge.golden.sfu;

import pimforge.params.SfuParams;

/**
 * The reciprocal-square-root table, shared by the Chisel generator and the golden model. A
 * non-zero D is written D = m * 4^e with m in [1, 4); mq = floor(m * 2^k) (k = rsqrtLutBits) lies in
 * [2^k, 4 * 2^k) and entry mq - 2^k is round(2^rsqrtBits / sqrt((mq + 1/2) / 2^k)), the rsqrt at
 * the middle of the bin.
 */
public final class RsqrtLut {
  private RsqrtLut() {}

  public static long[] entries(SfuParams s) {
    int k = s.rsqrtLutBits();
    long[] t = new long[3 << k];
    for (int i = 0; i < t.length; i++) {
      double m = ((1L << k) + i + 0.5) / (1L << k);
      t[i] = Math.round(Math.pow(2, s.rsqrtBits()) / Math.sqrt(m));
    }
    return t;
  }
}
