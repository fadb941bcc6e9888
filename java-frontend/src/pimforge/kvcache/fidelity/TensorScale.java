package pimforge.kvcache.fidelity;

/**
 * A symmetric per-tensor integer scale, as the layer top keeps one static scale per scratchpad
 * tensor: {@code x ~= scale * n} with n a signed integer of {@code bits} bits in
 * {@code -(2^(bits-1) - 1) .. 2^(bits-1) - 1}.
 *
 * @param scale real value of one integer step (> 0)
 * @param bits integer width, 2..16
 */
public record TensorScale(double scale, int bits) {

  public TensorScale {
    if (!(scale > 0) || bits < 2 || bits > 16) {
      throw new IllegalArgumentException("scale " + scale + " bits " + bits + ": need scale > 0, bits 2..16");
    }
  }

  /** Largest integer magnitude used: 2^(bits-1) - 1. */
  public int maxInt() {
    return (1 << (bits - 1)) - 1;
  }

  /**
   * The scale that maps the largest magnitude over all given tensors ({@code [rows][cols]} each) to
   * {@link #maxInt()}: {@code max|x| / (2^(bits-1) - 1)} (a calibration on the very data measured,
   * so no clipping; 1.0 if every entry is 0).
   */
  public static TensorScale fit(int bits, Iterable<float[][]> tensors) {
    double max = 0;
    for (float[][] m : tensors) {
      for (float[] row : m) {
        for (float x : row) {
          max = Math.max(max, Math.abs(x));
        }
      }
    }
    int top = (1 << (bits - 1)) - 1;
    return new TensorScale(max > 0 ? max / top : 1.0, bits);
  }

  /** Integers of a matrix: round(x / scale), half away from zero, clamped to +-{@link #maxInt()}. */
  public int[][] toInts(float[][] x) {
    int[][] r = new int[x.length][];
    for (int i = 0; i < x.length; i++) {
      r[i] = new int[x[i].length];
      for (int j = 0; j < x[i].length; j++) {
        long n = Math.round(Math.abs(x[i][j]) / scale);
        r[i][j] = (int) Math.copySign(Math.min(n, maxInt()), x[i][j]);
      }
    }
    return r;
  }
}
