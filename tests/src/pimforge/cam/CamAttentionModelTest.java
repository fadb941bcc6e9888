package pimforge.cam;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import pimforge.golden.cam.CamAttentionModel;
import pimforge.golden.cam.MatchAdc;
import pimforge.params.CamParams;
import pimforge.params.HwParams;
import pimforge.params.SoftmaxParams;

/** The golden model's top-k against a sort-based reference, and its properties. */
class CamAttentionModelTest {
  /** CAMformer's point: 1024 keys, d 64, top-32, tiles of 16, 2 stages, 6-bit ADC, 8 lanes. */
  static final HwParams CAMFORMER = CamConfigs.of(1, 1024, SoftmaxParams.DEFAULT,
      new CamParams(true, 16, 32, 2, 6, 16, 8, 64, 8, false));

  @Test
  void survivorsMatchSortReference() {
    List<HwParams> configs = new ArrayList<>(CamConfigs.CONFIGS);
    configs.add(CAMFORMER);
    Random rnd = new Random(10);
    for (HwParams p : configs) {
      int n = p.camDerived().keys();
      int queries = n > 100 ? 20 : 60;
      int differ = 0;
      double recall = 0;
      for (int q = 0; q < queries; q++) {
        CamAttentionModel golden = new CamAttentionModel(p);
        CamStimulus stim = new CamStimulus(p, rnd);
        long[][] keys = new long[n][];
        boolean sparse = q % 4 == 3; // some rows left empty
        for (int i = 0; i < n; i++) {
          if (!sparse || rnd.nextInt(3) == 0) {
            keys[i] = stim.key();
            golden.write(i, keys[i], stim.value());
          }
        }
        long[] query = stim.key();
        CamAttentionModel.Answer a = golden.query(query);
        List<Integer> want = CamTopKReference.survivors(p, keys, query);
        int[] padded = new int[p.cam().topK()];
        Arrays.fill(padded, -1);
        for (int i = 0; i < want.size(); i++) {
          padded[i] = want.get(i);
        }
        assertArrayEquals(padded, a.indices(), CamConfigs.describe(p) + " query " + q);
        for (int i = 0; i < want.size() && !p.cam().rescore(); i++) {
          assertEquals(golden.code(query, want.get(i)), a.scores()[i]);
        }
        List<Integer> global = CamTopKReference.global(p, keys, query);
        differ += global.equals(want) ? 0 : 1;
        recall += global.isEmpty() ? 1 : want.stream().filter(global::contains).count() / (double) global.size();
      }
      System.out.println(String.format("%s: survivors differ from the global top-k in %d of %d queries, recall %.3f",
          CamConfigs.describe(p), differ, queries, recall / queries));
      if (p == CAMFORMER) {
        assertTrue(differ > 0, "per-tile pruning never mattered: the stimulus does not test it");
      }
    }
  }

  @Test
  void queryEqualToStoredKeyMatchesEveryBit() {
    Random rnd = new Random(11);
    for (HwParams p : CamConfigs.CONFIGS) {
      int d = p.camDerived().headDim();
      int b = p.cam().matchAdcBits();
      assertEquals((1 << b) - 1, MatchAdc.codes(d, b)[d]);
      CamAttentionModel golden = new CamAttentionModel(p);
      CamStimulus stim = new CamStimulus(p, rnd);
      long[][] keys = new long[p.camDerived().keys()][];
      for (int i = 0; i < keys.length; i++) {
        keys[i] = stim.key();
        golden.write(i, keys[i], stim.value());
      }
      for (int t = 0; t < 10; t++) {
        int row = rnd.nextInt(keys.length);
        assertEquals((1 << b) - 1, golden.code(keys[row], row), "match count d gives the top code");
        int[] idx = golden.query(keys[row]).indices();
        boolean tiedBelow = Arrays.stream(idx).filter(i -> i >= 0 && i < row).count() == idx.length;
        assertTrue(tiedBelow || Arrays.stream(idx).anyMatch(i -> i == row),
            CamConfigs.describe(p) + ": row " + row + " queried with its own key is not a survivor");
      }
    }
  }

  /**
   * Permuting the rows permutes the survivors' indices and leaves scores, probabilities and the
   * context unchanged, when no two rows tie (lossless ADC, distinct match counts). With 2 stages the
   * permutation moves whole tiles and rows within a tile (a row moved to another tile could be
   * pruned against other rows: the per-tile design).
   */
  @Test
  void permutingKeysPermutesIndices() {
    Random rnd = new Random(12);
    for (int stages = 1; stages <= 2; stages++) {
      HwParams p = CamConfigs.of(1, 64, SoftmaxParams.DEFAULT, new CamParams(true, 8, 8, stages, 7, 12, 8, 64, 8, false));
      int n = 64;
      int r = 8;
      long[] q = new long[64];
      for (int j = 0; j < q.length; j++) {
        q[j] = rnd.nextInt(255) - 127;
      }
      List<Integer> flips = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        flips.add(i);
      }
      Collections.shuffle(flips, rnd);
      long[][] keys = new long[n][];
      long[][] values = new long[n][];
      for (int i = 0; i < n; i++) {
        keys[i] = q.clone();
        for (int j : pick(rnd, flips.get(i))) {
          keys[i][j] = keys[i][j] > 0 ? -rnd.nextInt(128) : 1 + rnd.nextInt(127); // sign flipped
        }
        values[i] = new long[64];
        for (int j = 0; j < 64; j++) {
          values[i][j] = rnd.nextInt(4096) - 2048;
        }
      }
      int[] perm = permutation(rnd, n, r, stages == 2);
      CamAttentionModel a = new CamAttentionModel(p);
      CamAttentionModel b = new CamAttentionModel(p);
      a.configure(pimforge.golden.softmax.SoftmaxConfig.forScale(pimforge.golden.cam.CamSoftmax.params(p), 0.1));
      b.configure(pimforge.golden.softmax.SoftmaxConfig.forScale(pimforge.golden.cam.CamSoftmax.params(p), 0.1));
      for (int i = 0; i < n; i++) {
        a.write(i, keys[i], values[i]);
        b.write(perm[i], keys[i], values[i]);
      }
      CamAttentionModel.Answer x = a.query(q);
      CamAttentionModel.Answer y = b.query(q);
      int[] mapped = Arrays.stream(x.indices()).map(i -> perm[i]).toArray();
      assertArrayEquals(mapped, y.indices(), "stages " + stages);
      assertArrayEquals(x.scores(), y.scores());
      assertArrayEquals(x.probabilities(), y.probabilities());
      assertArrayEquals(x.context(), y.context());
      assertTrue(Arrays.stream(x.probabilities()).filter(v -> v > 0).count() > 1, "degenerate softmax");
    }
  }

  /**
   * Causality: a query with row limit t answers exactly as a CAM in which only rows 0..t-1 were
   * ever written (what a causal prefill relies on), and the limit changes the answer somewhere.
   */
  @Test
  void rowLimitActsAsIfLaterRowsWereNeverWritten() {
    Random rnd = new Random(11);
    for (HwParams p : CamConfigs.CONFIGS) {
      int n = p.camDerived().keys();
      CamStimulus stim = new CamStimulus(p, rnd);
      long[][] keys = new long[n][];
      long[][] values = new long[n][];
      CamAttentionModel full = new CamAttentionModel(p);
      var cfg = stim.config();
      full.configure(cfg);
      for (int i = 0; i < n; i++) {
        keys[i] = stim.key();
        values[i] = stim.value();
        full.write(i, keys[i], values[i]);
      }
      int changed = 0;
      for (int t = 0; t <= n; t++) {
        CamAttentionModel prefix = new CamAttentionModel(p);
        prefix.configure(cfg);
        for (int i = 0; i < t; i++) {
          prefix.write(i, keys[i], values[i]);
        }
        long[] q = stim.key();
        CamAttentionModel.Answer want = prefix.query(q);
        CamAttentionModel.Answer got = full.query(q, t);
        assertArrayEquals(want.indices(), got.indices(), CamConfigs.describe(p) + " limit " + t);
        assertArrayEquals(want.probabilities(), got.probabilities());
        assertArrayEquals(want.context(), got.context());
        changed += Arrays.equals(got.indices(), full.query(q).indices()) ? 0 : 1;
      }
      assertTrue(changed > n / 2, "the limit rarely mattered: " + changed);
    }
  }

  /** {@code count} distinct positions of 0..63. */
  private static List<Integer> pick(Random rnd, int count) {
    List<Integer> all = new ArrayList<>();
    for (int j = 0; j < 64; j++) {
      all.add(j);
    }
    Collections.shuffle(all, rnd);
    return all.subList(0, count);
  }

  /**
   * A random permutation of 0..n-1; with {@code byTile}, whole tiles (row i in tile i mod T) and rows
   * within each tile.
   */
  private static int[] permutation(Random rnd, int n, int r, boolean byTile) {
    List<Integer> tiles = new ArrayList<>();
    for (int t = 0; t < n / r; t++) {
      tiles.add(t);
    }
    Collections.shuffle(tiles, rnd);
    List<Integer> all = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      all.add(i);
    }
    Collections.shuffle(all, rnd);
    int[] perm = new int[n];
    for (int t = 0; t < n / r; t++) {
      List<Integer> within = new ArrayList<>();
      for (int i = 0; i < r; i++) {
        within.add(i);
      }
      Collections.shuffle(within, rnd);
      int count = n / r;
      for (int i = 0; i < r; i++) {
        perm[t + i * count] = byTile ? tiles.get(t) + within.get(i) * count : all.get(t * r + i);
      }
    }
    return perm;
  }
}
