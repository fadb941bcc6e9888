package pimforge.layer;

import java.util.ArrayList;
import java.util.List;
import pimforge.params.HwParams;

/**
 * A bank's LoadWeights packet (PimBank header): tile by tile (row-major over the grid), within a
 * tile row by row, within a row {@code lanes} columns per beat. Matrices are [bankInputs][bankOutputs].
 */
public final class BankWeightStream {
  private BankWeightStream() {}

  /** Beats of one packet. */
  public static int beats(HwParams p) {
    return p.bank().tileGridRows() * p.bank().tileGridCols() * p.crossbar().rows() * p.derived().wordsPerTile();
  }

  /** The packet of a bank matrix (zero beyond the matrix given, so a smaller block is padded). */
  public static List<long[]> of(HwParams p, int[][] w) {
    int rows = p.crossbar().rows();
    int cols = p.crossbar().cols();
    int lanes = p.crossbar().lanes();
    List<long[]> beats = new ArrayList<>(beats(p));
    for (int ti = 0; ti < p.bank().tileGridRows(); ti++) {
      for (int tj = 0; tj < p.bank().tileGridCols(); tj++) {
        for (int r = 0; r < rows; r++) {
          for (int word = 0; word < cols / lanes; word++) {
            long[] beat = new long[lanes];
            int in = ti * rows + r;
            for (int l = 0; l < lanes; l++) {
              int out = tj * cols + word * lanes + l;
              beat[l] = in < w.length && out < w[in].length ? w[in][out] : 0;
            }
            beats.add(beat);
          }
        }
      }
    }
    return beats;
  }

  /** Beat index of weight (in, out) within the packet. */
  public static int beatOf(HwParams p, int in, int out) {
    int rows = p.crossbar().rows();
    int cols = p.crossbar().cols();
    int words = p.derived().wordsPerTile();
    int tile = (in / rows) * p.bank().tileGridCols() + out / cols;
    return (tile * rows + in % rows) * words + (out % cols) / p.crossbar().lanes();
  }
}
