package pimforge.kvcache;

/**
 * Probabilities of a KV-cache score row by the plain softmax definition, in double precision (not
 * the hardware softmax unit; for stimuli and synthetic cost runs): K, V and q are read as fixed
 * point with inputBits - 3 fraction bits (range [-4, 4)), so a logit is
 * {@code score * 2^-2(inputBits - 3) / sqrt(headDim)}; {@code p = exp(logit - max) / sum}, rounded to
 * the nearest multiple of 2^-probabilityBits and clamped to 2^probabilityBits - 1; masked (empty)
 * slots get 0.
 */
public final class PlainSoftmax {
  private PlainSoftmax() {}

  public static long[] of(KvCacheLayout layout, long[] scores) {
    double scale = Math.scalb(1.0, -2 * (layout.inputBits() - 3)) / Math.sqrt(layout.headDim());
    double max = Double.NEGATIVE_INFINITY;
    for (long s : scores) {
      if (s != layout.maskScore()) {
        max = Math.max(max, s * scale);
      }
    }
    double[] e = new double[scores.length];
    double sum = 0;
    for (int i = 0; i < scores.length; i++) {
      if (scores[i] != layout.maskScore()) {
        e[i] = Math.exp(scores[i] * scale - max);
        sum += e[i];
      }
    }
    long one = 1L << layout.probabilityBits();
    long[] p = new long[scores.length];
    for (int i = 0; i < p.length; i++) {
      p[i] = sum == 0 ? 0 : Math.min(one - 1, Math.round(e[i] / sum * one));
    }
    return p;
  }
}
