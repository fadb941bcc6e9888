package pimforge.kvcache;

/**
 * Float references for the KV quantizer, independent of {@link KvQuantizer}:
 * <ul>
 *   <li>{@link #powerOfTwo}: the documented symmetric power-of-two scheme re-derived in double
 *       (step = the smallest power of two 2^e, e >= 0, with max|x| / 2^e <= 2^(b-1); prune
 *       |x| <= threshold * step; round half away from zero), which the golden integer model must
 *       match exactly;
 *   <li>{@link #kivi}: KIVI's asymmetric min-max group quantization in double (REFERENCE.md section
 *       5: scale = (max - min) / (2^b - 1), clamp then round, x' = q * scale + min), after Titanus'
 *       pruning step (entries with |x| <= the absolute threshold read 0), to compare errors with.
 * </ul>
 */
final class QuantReferences {
  private QuantReferences() {}

  /** Result of a float quantization of one group: the dequantized values and the pruned flags. */
  record Result(double[] values, boolean[] pruned, double step) {}

  static Result powerOfTwo(double[] x, int bits, int thresholdSteps) {
    double qmax = Math.pow(2, bits - 1);
    double maxAbs = 0;
    for (double v : x) {
      maxAbs = Math.max(maxAbs, Math.abs(v));
    }
    int e = 0;
    while (maxAbs / Math.pow(2, e) > qmax) {
      e++;
    }
    double step = Math.pow(2, e);
    double[] out = new double[x.length];
    boolean[] pruned = new boolean[x.length];
    for (int i = 0; i < x.length; i++) {
      if (Math.abs(x[i]) <= thresholdSteps * step) {
        pruned[i] = true;
      } else {
        out[i] = Math.signum(x[i]) * Math.floor(Math.abs(x[i]) / step + 0.5) * step + 0.0; // no -0.0
      }
    }
    return new Result(out, pruned, step);
  }

  static Result kivi(double[] x, int bits, double absThreshold) {
    double mn = Double.POSITIVE_INFINITY;
    double mx = Double.NEGATIVE_INFINITY;
    for (double v : x) {
      mn = Math.min(mn, v);
      mx = Math.max(mx, v);
    }
    double levels = Math.pow(2, bits) - 1;
    double scale = (mx - mn) / levels;
    double[] out = new double[x.length];
    boolean[] pruned = new boolean[x.length];
    for (int i = 0; i < x.length; i++) {
      if (Math.abs(x[i]) <= absThreshold) {
        pruned[i] = true;
      } else if (scale == 0) {
        out[i] = x[i];
      } else {
        double q = Math.min(levels, Math.max(0, Math.rint((x[i] - mn) / scale)));
        out[i] = q * scale + mn;
      }
    }
    return new Result(out, pruned, scale);
  }
}
