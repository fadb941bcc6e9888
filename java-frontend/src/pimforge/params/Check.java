package pimforge.params;

/** Range checks that throw {@link ParamError} naming the field and the allowed range. */
public final class Check {
  private Check() {}

  public static int range(String field, int value, int min, int max) {
    if (value < min || value > max) {
      throw new ParamError(field, "is " + value + ", allowed " + min + ".." + max);
    }
    return value;
  }

  public static long range(String field, long value, long min, long max) {
    if (value < min || value > max) {
      throw new ParamError(field, "is " + value + ", allowed " + min + ".." + max);
    }
    return value;
  }

  public static double range(String field, double value, double min, double max) {
    if (!(value >= min && value <= max)) {
      throw new ParamError(field, "is " + value + ", allowed " + min + ".." + max);
    }
    return value;
  }

  public static int powerOfTwo(String field, int value, int min, int max) {
    range(field, value, min, max);
    if (Integer.bitCount(value) != 1) {
      throw new ParamError(field, "is " + value + ", allowed a power of two in " + min + ".." + max);
    }
    return value;
  }

  public static <T> T present(String field, T value) {
    if (value == null) {
      throw new ParamError(field, "is missing");
    }
    return value;
  }

  /** Fails with {@code message} on {@code field} unless {@code condition} holds. */
  public static void that(boolean condition, String field, String message) {
    if (!condition) {
      throw new ParamError(field, message);
    }
  }

  /** ceil(log2(n)) for n >= 1: bits needed to count n distinct values 0..n-1. */
  public static int ceilLog2(long n) {
    return n <= 1 ? 0 : 64 - Long.numberOfLeadingZeros(n - 1);
  }
}
