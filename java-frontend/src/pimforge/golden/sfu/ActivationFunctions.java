package pimforge.golden.sfu;

import pimforge.params.ModelShape;

/** Double-precision activation functions: the LUT generator's source and the accuracy reference. */
public final class ActivationFunctions {
  private ActivationFunctions() {}

  public static double apply(ModelShape.Activation a, double x) {
    return switch (a) {
      case GELU -> 0.5 * x * (1 + erf(x / Math.sqrt(2)));
      case GELU_TANH -> 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
      case SILU -> x / (1 + Math.exp(-x));
      case RELU -> Math.max(0, x);
    };
  }

  /** erf to about 1e-15: Maclaurin series below 2.5, continued fraction of erfc above. */
  public static double erf(double x) {
    double z = Math.abs(x);
    double r;
    if (z < 2.5) {
      double sum = 0;
      double term = z; // z^(2n+1) (-1)^n / n!
      for (int n = 0; n < 60; n++) {
        sum += term / (2 * n + 1);
        term *= -z * z / (n + 1);
      }
      r = 2 / Math.sqrt(Math.PI) * sum;
    } else {
      double k = z; // erfc(z) = exp(-z^2)/sqrt(pi) / (z + (1/2)/(z + 1/(z + (3/2)/(z + ...))))
      for (int n = 80; n >= 1; n--) {
        k = z + (n / 2.0) / k;
      }
      r = 1 - Math.exp(-z * z) / Math.sqrt(Math.PI) / k;
    }
    return x < 0 ? -r : r;
  }
}
