package pimforge.minilm;

/** Host-side conversions around the accelerator (float in, float out) and small helpers. */
final class Quant {
  private Quant() {}

  /** round(x / scale), saturated to +-qmax: quantizes a float tensor entering the accelerator. */
  static long[][] quantize(float[][] x, double scale, long qmax) {
    long[][] q = new long[x.length][];
    for (int t = 0; t < x.length; t++) {
      q[t] = quantize(x[t], scale, qmax);
    }
    return q;
  }

  static long[] quantize(float[] x, double scale, long qmax) {
    long[] q = new long[x.length];
    for (int i = 0; i < x.length; i++) {
      q[i] = Math.max(-qmax, Math.min(qmax, Math.round(x[i] / scale)));
    }
    return q;
  }

  static float[][] dequantize(long[][] q, double scale) {
    float[][] x = new float[q.length][];
    for (int t = 0; t < q.length; t++) {
      x[t] = new float[q[t].length];
      for (int i = 0; i < q[t].length; i++) {
        x[t][i] = (float) (q[t][i] * scale);
      }
    }
    return x;
  }

  static int[] toInts(long[] v) {
    int[] r = new int[v.length];
    for (int i = 0; i < v.length; i++) {
      r[i] = Math.toIntExact(v[i]);
    }
    return r;
  }

  /** Smallest e with maxAbs / 2^e <= qmax: a power-of-two scale 2^e covering the range. */
  static int pow2Exponent(double maxAbs, long qmax) {
    return maxAbs <= 0 ? -30 : (int) Math.ceil(Math.log(maxAbs / qmax) / Math.log(2) - 1e-12);
  }
}
