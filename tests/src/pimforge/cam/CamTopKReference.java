package pimforge.cam;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import pimforge.params.HwParams;

/**
 * The CAM unit's survivors written from the definition with sorting, sharing no code with the
 * golden model: match count = number of positions where (q > 0) == (key > 0); code =
 * floor(count * (2^b - 1) / d); best = highest code, ties to the lower index; row i lives in tile
 * i mod T; with 2 stages every tile's perTileKeep best rows, then the k best of those; with 1 stage
 * the k best rows overall.
 */
final class CamTopKReference {
  private CamTopKReference() {}

  /** Row indices of the survivors, best first (fewer than topK when fewer rows are written). */
  static List<Integer> survivors(HwParams p, long[][] keys, long[] q) {
    int r = p.cam().rowsPerTile();
    int d = q.length;
    long top = (1L << p.cam().matchAdcBits()) - 1;
    long[] code = new long[keys.length];
    for (int i = 0; i < keys.length; i++) {
      if (keys[i] != null) {
        int count = 0;
        for (int j = 0; j < d; j++) {
          if ((q[j] > 0) == (keys[i][j] > 0)) {
            count++;
          }
        }
        code[i] = Math.floorDiv(count * top, d);
      }
    }
    Comparator<Integer> best = Comparator.<Integer>comparingLong(i -> -code[i]).thenComparing(i -> i);
    List<Integer> candidates = new ArrayList<>();
    int perTile = p.cam().stages() == 2 ? p.camDerived().perTileKeep() : r;
    int tiles = keys.length / r;
    for (int t = 0; t < tiles; t++) {
      List<Integer> tile = new ArrayList<>();
      for (int i = 0; i < keys.length; i++) {
        if (i % tiles == t && keys[i] != null) {
          tile.add(i);
        }
      }
      tile.sort(best);
      candidates.addAll(tile.subList(0, Math.min(perTile, tile.size())));
    }
    candidates.sort(best);
    return candidates.subList(0, Math.min(p.cam().topK(), candidates.size()));
  }

  /** The k best written rows overall (no per-tile pruning), for comparison. */
  static List<Integer> global(HwParams p, long[][] keys, long[] q) {
    HwParams oneStage = p.withCam(new pimforge.params.CamParams(true, p.cam().rowsPerTile(), p.cam().topK(), 1,
        p.cam().matchAdcBits(), p.cam().valueBits(), p.cam().keyBits(), p.cam().cols(), p.cam().lanes(), false));
    return survivors(oneStage, keys, q);
  }
}
