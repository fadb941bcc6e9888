package pimforge.golden.cam;

import java.util.Arrays;
import pimforge.golden.softmax.SoftmaxConfig;
import pimforge.golden.softmax.SoftmaxModel;
import pimforge.params.CamDerived;
import pimforge.params.CamParams;
import pimforge.params.HwParams;

/**
 * Bit-exact golden model of the CAM attention unit (hw/src/pimforge/hw/cam/CamAttention.scala).
 * With N = camDerived.keys rows, d = model.headDim, R = cam.rowsPerTile, b = cam.matchAdcBits,
 * k = cam.topK, a query q (d signed keyBits elements) yields:
 * <ol>
 *   <li>bits: a key or query element x becomes the bit x > 0 (CAMformer's sign binarization);
 *   <li>match count of row r: c_r = popcount(XNOR(q bits, key bits of r)) over the d bits
 *       (= (d + Hamming similarity) / 2, Hamming similarity = d - 2 * Hamming distance);
 *   <li>code_r = {@link MatchAdc}: floor(c_r * (2^b - 1) / d);
 *   <li>order: row a before row b when code_a > code_b, or equal codes and a < b (ties to the lower
 *       key index); empty rows (never written since reset or CLEAR) and rows at or past the query's
 *       row limit never survive (limit = the causal mask of a prefill: query t sees rows 0..t);
 *   <li>layout: row r lives in tile r mod T at position r / T (T = camDerived.tiles), so rows
 *       written in order (a prefill's tokens, a cache's lowest free slots) spread over every tile;
 *   <li>2 stages: each tile of R rows passes its camDerived.perTileKeep best rows, the final stage
 *       keeps the k best of those candidates (so a row can miss the survivors while beating one of
 *       them, when its tile had perTileKeep better rows: CAMformer's per-tile pruning); 1 stage:
 *       the k best rows overall;
 *   <li>score of survivor i: its code, or with cam.rescore the exact dot product of q with the
 *       survivor's stored full-precision key;
 *   <li>probabilities: the softmax unit's row ({@link SoftmaxModel}, {@link CamSoftmax}) over the k
 *       scores in survivor order, an empty survivor slot masked (probability 0);
 *   <li>context_j = clamp((sum_i p_i * v_{idx_i, j} + 2^(O-1)) >> O) to signed valueBits, O =
 *       softmax.outputBits (round half up of the p-weighted sum; exact accumulation in accBits).
 * </ol>
 */
public final class CamAttentionModel {
  private final HwParams p;
  private final CamParams c;
  private final CamDerived dv;
  private final int[] adc;
  private final long[][] keys;
  private final long[][] values;
  private final boolean[] valid;
  private final SoftmaxModel softmax;

  /** One query's answer; index -1 marks an empty survivor slot (fewer than k rows written). */
  public record Answer(int[] indices, long[] scores, long[] probabilities, long[] context) {}

  public CamAttentionModel(HwParams p) {
    this.p = p;
    this.c = p.cam();
    this.dv = p.camDerived();
    if (dv == null) {
      throw new IllegalArgumentException("cam.enabled is false");
    }
    this.adc = MatchAdc.codes(dv.headDim(), c.matchAdcBits());
    this.keys = new long[dv.keys()][];
    this.values = new long[dv.keys()][];
    this.valid = new boolean[dv.keys()];
    this.softmax = new SoftmaxModel(CamSoftmax.params(p));
  }

  /** CONFIGURE: the softmax scale of the survivors' scores. */
  public void configure(SoftmaxConfig cfg) {
    softmax.configure(cfg);
  }

  /** WRITE: key (d signed keyBits elements) and value (d signed valueBits elements) into {@code row}. */
  public void write(int row, long[] key, long[] value) {
    checkVector(key, c.keyBits(), "key");
    checkVector(value, c.valueBits(), "value");
    keys[row] = key.clone();
    values[row] = value.clone();
    valid[row] = true;
  }

  /** CLEAR: every row empty. */
  public void clear() {
    Arrays.fill(valid, false);
  }

  /** The match-line ADC code of {@code row} for {@code query} (the row must hold a key). */
  public int code(long[] query, int row) {
    int count = 0;
    for (int j = 0; j < dv.headDim(); j++) {
      count += (query[j] > 0) == (keys[row][j] > 0) ? 1 : 0;
    }
    return adc[count];
  }

  /** QUERY over every row: {@code query(q, camDerived.keys)}. */
  public Answer query(long[] q) {
    return query(q, dv.keys());
  }

  /**
   * QUERY: survivors, their scores and probabilities, and the context vector.
   *
   * @param limit rows 0..limit-1 may survive (0..camDerived.keys)
   */
  public Answer query(long[] q, int limit) {
    int k = c.topK();
    int[] list = survivors(q, limit);
    long[] scores = new long[k];
    long[] row = new long[dv.softmaxBeats() * p.softmax().lanes()];
    Arrays.fill(row, CamSoftmax.params(p).softmaxDerived().maskValue());
    for (int i = 0; i < k; i++) {
      if (list[i] >= 0) {
        scores[i] = c.rescore() ? dot(q, keys[list[i]]) : code(q, list[i]);
        row[i] = scores[i];
      }
    }
    long[] probs = Arrays.copyOf(softmax.row(row), k);
    int o = p.softmax().outputBits();
    long lo = -(1L << (c.valueBits() - 1));
    long hi = (1L << (c.valueBits() - 1)) - 1;
    long[] context = new long[dv.headDim()];
    for (int j = 0; j < context.length; j++) {
      long acc = 0;
      for (int i = 0; i < k; i++) {
        if (list[i] >= 0) {
          acc += probs[i] * values[list[i]][j];
        }
      }
      context[j] = Math.max(lo, Math.min(hi, (acc + (1L << (o - 1))) >> o));
    }
    return new Answer(list, scores, probs, context);
  }

  /**
   * The survivors of a query, best first, -1 for an empty slot (steps 1-5 above): each tile's
   * candidates in tile order merged into the sorted list.
   */
  public int[] survivors(long[] q) {
    return survivors(q, dv.keys());
  }

  /** The survivors among rows 0..limit-1 (see {@link #query(long[], int)}). */
  public int[] survivors(long[] q, int limit) {
    checkVector(q, c.keyBits(), "query");
    if (limit < 0 || limit > dv.keys()) {
      throw new IllegalArgumentException("row limit " + limit + " outside 0.." + dv.keys());
    }
    int[] codes = new int[dv.keys()];
    boolean[] eligible = new boolean[dv.keys()];
    for (int row = 0; row < codes.length; row++) {
      eligible[row] = valid[row] && row < limit;
      codes[row] = eligible[row] ? code(q, row) : -1;
    }
    int[] list = new int[c.topK()];
    Arrays.fill(list, -1);
    for (int t = 0; t < dv.tiles(); t++) {
      for (int row : tileCandidates(codes, eligible, t)) {
        insert(codes, list, row);
      }
    }
    return list;
  }

  /** Row at position {@code i} of tile {@code t}: t + i * T (the layout above). */
  public static int row(CamDerived d, int tile, int i) {
    return tile + i * d.tiles();
  }

  /** The rows tile {@code t} passes on: perTileKeep picks of the best remaining row. */
  private int[] tileCandidates(int[] codes, boolean[] eligible, int t) {
    int r = c.rowsPerTile();
    int keep = dv.perTileKeep();
    int[] picked = new int[keep];
    int n = 0;
    boolean[] taken = new boolean[r];
    for (int pick = 0; pick < keep; pick++) {
      int best = -1;
      for (int i = 0; i < r; i++) {
        if (eligible[row(dv, t, i)] && !taken[i] && (best < 0 || before(codes, row(dv, t, i), row(dv, t, best)))) {
          best = i;
        }
      }
      if (best < 0) {
        break;
      }
      taken[best] = true;
      picked[n++] = row(dv, t, best);
    }
    return Arrays.copyOf(picked, n);
  }

  /** Inserts {@code row} into the sorted survivor list (a shift-register priority queue), dropping the last. */
  private void insert(int[] codes, int[] list, int row) {
    int pos = 0;
    while (pos < list.length && list[pos] >= 0 && before(codes, list[pos], row)) {
      pos++;
    }
    if (pos < list.length) {
      System.arraycopy(list, pos, list, pos + 1, list.length - pos - 1);
      list[pos] = row;
    }
  }

  /** Row a ranks before row b: higher code, or equal code and lower index. */
  private static boolean before(int[] codes, int a, int b) {
    int ca = codes[a];
    int cb = codes[b];
    return ca > cb || (ca == cb && a < b);
  }

  private long dot(long[] q, long[] key) {
    long s = 0;
    for (int j = 0; j < q.length; j++) {
      s += q[j] * key[j];
    }
    return s;
  }

  private void checkVector(long[] v, int bits, String what) {
    if (v.length != dv.headDim()) {
      throw new IllegalArgumentException(what + " of " + v.length + " elements, model.headDim is " + dv.headDim());
    }
    for (long x : v) {
      if (x < -(1L << (bits - 1)) || x >= (1L << (bits - 1))) {
        throw new IllegalArgumentException(what + " element " + x + " does not fit " + bits + " signed bits");
      }
    }
  }
}
