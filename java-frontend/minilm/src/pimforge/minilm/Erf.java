package pimforge.minilm;

/**
 * The error function, which the JDK lacks. Uses the everywhere-convergent series of Abramowitz and
 * Stegun 7.1.6, erf(x) = 2/sqrt(pi) * exp(-x^2) * sum_n 2^n x^(2n+1) / (1*3*...*(2n+1)), whose terms
 * are all positive (no cancellation), so the sum is good to double precision. Beyond |x| = 6,
 * 1 - erf(x) < 3e-17 and the result is +-1.
 */
public final class Erf {
  private Erf() {}

  private static final double TWO_OVER_SQRT_PI = 2.0 / Math.sqrt(Math.PI);

  public static double erf(double x) {
    if (Double.isNaN(x)) {
      return x;
    }
    double ax = Math.abs(x);
    if (ax >= 6.0) {
      return Math.signum(x);
    }
    double x2 = ax * ax;
    double term = ax; // n = 0
    double sum = term;
    for (int n = 1; n < 500; n++) {
      term *= 2.0 * x2 / (2 * n + 1);
      sum += term;
      if (term < sum * 1e-17) {
        break;
      }
    }
    return Math.copySign(TWO_OVER_SQRT_PI * Math.exp(-x2) * sum, x);
  }
}
