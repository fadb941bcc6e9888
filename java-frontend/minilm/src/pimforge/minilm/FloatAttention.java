package pimforge.minilm;

/** Float multi-head attention (no padding) for calibration; same math as {@link FloatEncoder}. */
final class FloatAttention {
  private FloatAttention() {}

  static float[][] context(float[][] q, float[][] k, float[][] v, int heads) {
    int n = q.length;
    int dim = q[0].length / heads;
    double scale = 1.0 / Math.sqrt(dim);
    float[][] ctx = new float[n][q[0].length];
    double[] prob = new double[n];
    for (int h = 0; h < heads; h++) {
      int off = h * dim;
      for (int i = 0; i < n; i++) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
          double dot = 0;
          for (int d = 0; d < dim; d++) {
            dot += (double) q[i][off + d] * k[j][off + d];
          }
          prob[j] = dot * scale;
          max = Math.max(max, prob[j]);
        }
        double total = 0;
        for (int j = 0; j < n; j++) {
          prob[j] = Math.exp(prob[j] - max);
          total += prob[j];
        }
        for (int d = 0; d < dim; d++) {
          double acc = 0;
          for (int j = 0; j < n; j++) {
            acc += prob[j] * v[j][off + d];
          }
          ctx[i][off + d] = (float) (acc / total);
        }
      }
    }
    return ctx;
  }
}
