package pimforge.minilm;

/**
 * Per-channel scales of a bank input (SmoothQuant-style migration): input i enters the bank as
 * round(x_i / s_i), and s_i is folded into row i of every weight matrix that reads it, so the
 * hardware only sees other weights. With t_i = xmax_i^alpha / wmax_i^(1 - alpha) and s_i = c t_i,
 * c is the smallest factor that brings every calibrated channel within +-qmax: alpha = 1 gives each
 * channel its full input range, lower alpha moves part of an outlier channel's range into its weights.
 */
final class ChannelScales {
  private ChannelScales() {}

  /**
   * @param xmax calibrated max |x_i| per channel
   * @param weights the layers that read x (max |W_ij| over all of them sets wmax_i)
   */
  static double[] of(double[] xmax, double alpha, long qmax, Linear... weights) {
    int n = xmax.length;
    double[] t = new double[n];
    double c = 0;
    for (int i = 0; i < n; i++) {
      double wmax = 0;
      for (Linear l : weights) {
        for (float v : l.weight()[i]) {
          wmax = Math.max(wmax, Math.abs(v));
        }
      }
      double x = Math.max(xmax[i], 1e-6);
      t[i] = Math.pow(x, alpha) / Math.pow(Math.max(wmax, 1e-6), 1 - alpha);
      c = Math.max(c, x / t[i] / qmax);
    }
    for (int i = 0; i < n; i++) {
      t[i] *= c;
    }
    return t;
  }
}
