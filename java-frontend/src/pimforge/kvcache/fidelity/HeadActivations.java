package pimforge.kvcache.fidelity;

/**
 * One attention head's float activations over a sequence, in token order: the query, key and value
 * of every token, each {@code [tokens][headDim]} (row t = token t, already projected, no scaling).
 */
public record HeadActivations(float[][] q, float[][] k, float[][] v) {

  public HeadActivations {
    if (q.length == 0 || q.length != k.length || q.length != v.length) {
      throw new IllegalArgumentException("q, k, v have " + q.length + ", " + k.length + ", " + v.length
          + " tokens; expected the same number, at least 1");
    }
    int d = q[0].length;
    for (float[][] m : new float[][][] {q, k, v}) {
      for (float[] row : m) {
        if (row.length != d) {
          throw new IllegalArgumentException("row of " + row.length + " channels, expected headDim " + d);
        }
      }
    }
  }

  public int tokens() {
    return q.length;
  }

  public int headDim() {
    return q[0].length;
  }
}
