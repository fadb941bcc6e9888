package pimforge.kvcache.fidelity;

/**
 * Full-precision causal attention with a full cache, from the definition (scaled dot-product
 * attention, Vaswani et al., with a causal mask): for every token t,
 * {@code out_t = sum_{j <= t} softmax_j(q_t . k_j / sqrt(d)) v_j}, the softmax over all past tokens
 * and t itself. Double precision throughout; the yardstick of the KV-cache fidelity measurement.
 */
public final class ReferenceAttention {
  private ReferenceAttention() {}

  /** The context of every token, {@code [tokens][headDim]}. */
  public static double[][] causal(HeadActivations a) {
    int n = a.tokens();
    int d = a.headDim();
    double scale = 1.0 / Math.sqrt(d);
    double[][] out = new double[n][d];
    double[] w = new double[n];
    for (int t = 0; t < n; t++) {
      double max = Double.NEGATIVE_INFINITY;
      for (int j = 0; j <= t; j++) {
        double dot = 0;
        for (int c = 0; c < d; c++) {
          dot += (double) a.q()[t][c] * a.k()[j][c];
        }
        w[j] = dot * scale;
        max = Math.max(max, w[j]);
      }
      double total = 0;
      for (int j = 0; j <= t; j++) {
        w[j] = Math.exp(w[j] - max);
        total += w[j];
      }
      for (int j = 0; j <= t; j++) {
        double p = w[j] / total;
        for (int c = 0; c < d; c++) {
          out[t][c] += p * a.v()[j][c];
        }
      }
    }
    return out;
  }
}
