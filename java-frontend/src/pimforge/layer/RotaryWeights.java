package pimforge.layer;

import pimforge.golden.sfu.RopeTable;

/**
 * The qRot / kRot bank contents of a rotary layer: W with each head's columns replaced by their
 * rotation partners (RopeTable.partner: rotate_half or rotate_every_two, negated where the
 * definition negates, zero past rotaryDim), so that x (W P) = rotate(x W) exactly in integers.
 */
final class RotaryWeights {
  private RotaryWeights() {}

  /** W [in][heads * headDim] with columns permuted and negated per head. */
  static int[][] partnerColumns(int[][] w, RopeTable rope) {
    int hd = rope.headDim();
    int[][] out = new int[w.length][w[0].length];
    for (int c = 0; c < w[0].length; c++) {
      int[] pt = rope.partner(c % hd);
      int src = c - c % hd + pt[0];
      for (int r = 0; r < w.length; r++) {
        out[r][c] = pt[1] * w[r][src];
      }
    }
    return out;
  }

  /** The bias vector [heads * headDim] permuted the same way. */
  static long[] partnerBias(long[] b, RopeTable rope) {
    int hd = rope.headDim();
    long[] out = new long[b.length];
    for (int c = 0; c < b.length; c++) {
      int[] pt = rope.partner(c % hd);
      out[c] = pt[1] * b[c - c % hd + pt[0]];
    }
    return out;
  }
}
