package pimforge.kvcache.fidelity;

import pimforge.kvcache.KvCacheLayout;
import pimforge.kvcache.KvCacheModel;
import pimforge.kvcache.KvEvictionModel.RopeConvention;

/**
 * Decodes one head token by token through the KV-cache controller's golden model
 * ({@link KvCacheModel}), with a float softmax between SCORES and CONTEXT. Step t:
 * <ol>
 *   <li>APPEND token t's key and value (integers at their tensor scales; the policy may evict, FULL
 *       may refuse);
 *   <li>SCORES with token t's integer query: {@code s_slot = q . k'} (k' the dequantized key);
 *   <li>softmax in double over the valid slots of {@code s_slot * scale_q * scale_k / sqrt(d)};
 *   <li>each probability to an unsigned probabilityBits code, {@code round(p * 2^probabilityBits)}
 *       (half up) clamped to {@code 2^probabilityBits - 1}, 0 for empty slots (what the softmax
 *       unit sends; HEAVY_HITTER accumulates these codes);
 *   <li>CONTEXT: {@code sum_slot code * v'}, back to float as {@code * scale_v / 2^probabilityBits}
 *       (no renormalization by the rounded row sum, as in hardware).
 * </ol>
 * A refused token (FULL at its budget) still queries the cache: its context covers the first
 * budgetTokens tokens only.
 */
public final class CompressedDecode {
  private CompressedDecode() {}

  /**
   * @param context per token, {@code [tokens][headDim]}, in the units of the float values
   * @param counters the controller's counters after the last step
   */
  public record Result(double[][] context, KvCacheModel.Counters counters) {}

  /**
   * @param q integer queries {@code [tokens][headDim]}, signed layout.inputBits()
   * @param k integer keys, same shape and width
   * @param v integer values, same shape and width
   * @param qs scale of q, ks of k, vs of v (real value of one integer step)
   */
  public static Result run(KvCacheLayout layout, int[][] q, int[][] k, int[][] v, double qs, double ks, double vs) {
    KvCacheModel cache = new KvCacheModel(layout, RopeConvention.ORIGINAL);
    int d = layout.headDim();
    int pb = layout.probabilityBits();
    long pMax = (1L << pb) - 1;
    double logitScale = qs * ks / Math.sqrt(d);
    double ctxScale = vs / (1L << pb);
    int slots = layout.capacity();
    double[] w = new double[slots];
    double[][] out = new double[q.length][d];
    for (int t = 0; t < q.length; t++) {
      cache.append(k[t], v[t]);
      long[] s = cache.scores(q[t]);
      boolean[] valid = cache.eviction().validSlots();
      double max = Double.NEGATIVE_INFINITY;
      for (int i = 0; i < slots; i++) {
        if (valid[i]) {
          w[i] = s[i] * logitScale;
          max = Math.max(max, w[i]);
        }
      }
      double total = 0;
      for (int i = 0; i < slots; i++) {
        if (valid[i]) {
          w[i] = Math.exp(w[i] - max);
          total += w[i];
        }
      }
      long[] codes = new long[slots];
      for (int i = 0; i < slots; i++) {
        if (valid[i]) {
          codes[i] = Math.min(pMax, (long) Math.floor(w[i] / total * (1L << pb) + 0.5));
        }
      }
      long[] ctx = cache.context(codes);
      for (int c = 0; c < d; c++) {
        out[t][c] = ctx[c] * ctxScale;
      }
    }
    return new Result(out, cache.counters());
  }
}
