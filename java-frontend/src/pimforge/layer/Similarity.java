package pimforge.layer;

/** Cosine similarity and max error of two matrices (golden model vs float reference). */
public final class Similarity {
  private Similarity() {}

  /** Cosine over all elements; the rows of {@code b} set the width compared. */
  public static double cosine(double[][] a, double[][] b) {
    double ab = 0;
    double aa = 0;
    double bb = 0;
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < b[i].length; j++) {
        ab += a[i][j] * b[i][j];
        aa += a[i][j] * a[i][j];
        bb += b[i][j] * b[i][j];
      }
    }
    return ab / Math.sqrt(aa * bb);
  }

  public static double maxAbsError(double[][] a, double[][] b) {
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < a[i].length; j++) {
        m = Math.max(m, Math.abs(a[i][j] - b[i][j]));
      }
    }
    return m;
  }
}
