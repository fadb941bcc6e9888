package pimforge.minilm;

/**
 * A dense layer y = x W + b with W stored [in][out], the layout of the ONNX MatMul initializers
 * (PyTorch's nn.Linear keeps the transpose).
 */
public record Linear(float[][] weight, float[] bias) {

  public Linear {
    if (weight.length == 0 || weight[0].length != bias.length) {
      throw new IllegalArgumentException("weight is " + weight.length + " x "
          + (weight.length == 0 ? 0 : weight[0].length) + ", bias has " + bias.length);
    }
  }

  public int inFeatures() {
    return weight.length;
  }

  public int outFeatures() {
    return bias.length;
  }

  /** y = x W + b, summed in double and rounded once to float. */
  public float[] apply(float[] x) {
    if (x.length != inFeatures()) {
      throw new IllegalArgumentException("input has " + x.length + " features, layer takes " + inFeatures());
    }
    double[] acc = new double[outFeatures()];
    for (int i = 0; i < x.length; i++) {
      double xi = x[i];
      float[] row = weight[i];
      for (int o = 0; o < acc.length; o++) {
        acc[o] += xi * row[o];
      }
    }
    float[] y = new float[acc.length];
    for (int o = 0; o < y.length; o++) {
      y[o] = (float) (acc[o] + bias[o]);
    }
    return y;
  }
}
