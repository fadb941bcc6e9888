package pimforge.golden.softmax;

/** Double-precision softmax, the accuracy reference for {@link SoftmaxModel}. */
public final class SoftmaxReference {
  private SoftmaxReference() {}

  /**
   * softmax(scale * scores) over the unmasked positions; masked positions and a fully masked row
   * give 0 (the unit's convention).
   */
  public static double[] softmax(long[] scores, boolean[] masked, double scale) {
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < scores.length; i++) {
      if (!masked[i]) {
        max = Math.max(max, scores[i] * scale);
      }
    }
    double[] out = new double[scores.length];
    double sum = 0;
    for (int i = 0; i < scores.length; i++) {
      out[i] = masked[i] ? 0 : Math.exp(scores[i] * scale - max);
      sum += out[i];
    }
    for (int i = 0; i < scores.length && sum > 0; i++) {
      out[i] /= sum;
    }
    return out;
  }
}
