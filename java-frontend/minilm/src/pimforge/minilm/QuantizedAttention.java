package pimforge.minilm;

import pimforge.golden.TiledMatrixModel;
import pimforge.golden.softmax.SoftmaxConfig;
import pimforge.golden.softmax.SoftmaxModel;
import pimforge.params.HwParams;

/**
 * Multi-head attention on the unit golden models. Per head: scores = Q K^T on a
 * {@link TiledMatrixModel} with K^T stationary (int Q x int K, exact in the accumulator); the
 * {@link SoftmaxModel} with runtime scale s_q * s_k / sqrt(headDim) and padding keys masked;
 * context = P V on a TiledMatrixModel with V stationary. Probabilities are unsigned outputBits
 * fractions, which do not fit the bank's signed inputs: they enter offset by 2^(inputBits-1),
 * (p - off) V, and off * (1 V) (an all-ones input through the same bank, once per head) is added
 * back in the accumulator, so the product stays exact. If outputBits > inputBits, p is first
 * rounded to inputBits. The context is requantized by the SFU back to V's scale (|ctx| <= max |v|).
 */
final class QuantizedAttention {
  private final HwParams p;
  private final SoftmaxModel softmax;
  private final int heads;

  QuantizedAttention(HwParams p, int heads) {
    this.p = p;
    this.softmax = new SoftmaxModel(p);
    this.heads = heads;
  }

  /**
   * @param q, k, v [tokens][hidden] integers of real scale sq, sk, sv (k, v within the weight range)
   * @param mask 1 for real tokens, 0 for padding keys
   * @return context [tokens][hidden] with real scale sv
   */
  long[][] context(SfuOps sfu, long[][] q, long[][] k, long[][] v, double sq, double sk, int[] mask) {
    int n = q.length;
    int dim = q[0].length / heads;
    softmax.configure(SoftmaxConfig.forScale(p, sq * sk / Math.sqrt(dim)));
    int inBits = p.precision().inputBits();
    int drop = Math.max(0, p.softmax().outputBits() - inBits);
    long off = 1L << (inBits - 1);
    long maskValue = p.softmaxDerived().maskValue();
    long scoreMax = (1L << (p.softmax().inputBits() - 1)) - 1;
    FixedMultiplier toV = FixedMultiplier.of(p, StrictMath.scalb(1.0, -(p.softmax().outputBits() - drop)));
    long[][] ctx = new long[n][q[0].length];
    int[] ones = new int[n];
    java.util.Arrays.fill(ones, 1);
    for (int h = 0; h < heads; h++) {
      int o = h * dim;
      int[][] kT = new int[dim][n];
      int[][] vh = new int[n][dim];
      for (int j = 0; j < n; j++) {
        for (int d = 0; d < dim; d++) {
          kT[d][j] = Math.toIntExact(k[j][o + d]);
          vh[j][d] = Math.toIntExact(v[j][o + d]);
        }
      }
      TiledMatrixModel scores = new TiledMatrixModel(p, kT);
      TiledMatrixModel values = new TiledMatrixModel(p, vh);
      long[] vSum = values.multiply(ones);
      long[] acc = new long[n * dim];
      for (int i = 0; i < n; i++) {
        long[] s = scores.multiply(Quant.toInts(java.util.Arrays.copyOfRange(q[i], o, o + dim)));
        for (int j = 0; j < n; j++) {
          s[j] = mask[j] == 0 ? maskValue : Math.max(maskValue + 1, Math.min(scoreMax, s[j]));
        }
        long[] prob = softmax.row(s);
        int[] x = new int[n];
        for (int j = 0; j < n; j++) {
          long pj = drop == 0 ? prob[j] : Math.min(2 * off - 1, (prob[j] + (1L << (drop - 1))) >> drop);
          x[j] = (int) (pj - off);
        }
        long[] y = values.multiply(x);
        for (int d = 0; d < dim; d++) {
          acc[i * dim + d] = y[d] + off * vSum[d];
        }
      }
      long[] c = sfu.requant(acc, toV);
      for (int i = 0; i < n; i++) {
        System.arraycopy(c, i * dim, ctx[i], o, dim);
      }
    }
    return ctx;
  }
}
