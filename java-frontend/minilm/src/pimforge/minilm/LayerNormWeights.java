package pimforge.minilm;

/** LayerNorm scale (gamma, PyTorch "weight") and shift (beta, PyTorch "bias"). */
public record LayerNormWeights(float[] gamma, float[] beta) {

  public LayerNormWeights {
    if (gamma.length != beta.length) {
      throw new IllegalArgumentException("gamma has " + gamma.length + " values, beta " + beta.length);
    }
  }

  public int size() {
    return gamma.length;
  }

  /** (x - mean) / sqrt(var + eps) * gamma + beta, with biased variance as in PyTorch; stats in double. */
  public float[] apply(float[] x, double eps) {
    double mean = 0;
    for (float v : x) {
      mean += v;
    }
    mean /= x.length;
    double var = 0;
    for (float v : x) {
      var += (v - mean) * (v - mean);
    }
    var /= x.length;
    double inv = 1.0 / Math.sqrt(var + eps);
    float[] y = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i] = (float) ((x[i] - mean) * inv * gamma[i] + beta[i]);
    }
    return y;
  }
}
