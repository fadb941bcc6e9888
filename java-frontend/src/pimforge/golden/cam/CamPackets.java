package pimforge.golden.cam;

import pimforge.golden.softmax.SoftmaxConfig;
import pimforge.params.HwParams;

/**
 * The stream packets of the CAM attention unit ({@link CamOp}), flattened to element values in
 * beat order (cam.lanes elements per beat), for the harness and the tests.
 */
public final class CamPackets {
  private CamPackets() {}

  /** CONFIGURE: multiplier, shift, zero padded to camDerived.configBeats beats. */
  public static long[] configure(HwParams p, SoftmaxConfig cfg) {
    long[] v = new long[p.camDerived().configBeats() * p.cam().lanes()];
    v[0] = cfg.multiplier();
    v[1] = cfg.shift();
    return v;
  }

  /** WRITE: header beat (row in element 0), the d key elements, the d value elements. */
  public static long[] write(HwParams p, int row, long[] key, long[] value) {
    int l = p.cam().lanes();
    int d = p.camDerived().headDim();
    long[] v = new long[l + 2 * d];
    v[0] = row;
    System.arraycopy(key, 0, v, l, d);
    System.arraycopy(value, 0, v, l + d, d);
    return v;
  }

  /** QUERY: header beat (row limit in element 0: rows 0..limit-1 may survive), the d query elements. */
  public static long[] query(HwParams p, int limit, long[] q) {
    int l = p.cam().lanes();
    long[] v = new long[l + q.length];
    v[0] = limit;
    System.arraycopy(q, 0, v, l, q.length);
    return v;
  }

  /** CLEAR: one beat of zeros. */
  public static long[] clear(HwParams p) {
    return new long[p.cam().lanes()];
  }

  /**
   * A query's answer as the unit sends it: topKBeats beats of indices (-1 = empty, also the
   * padding), topKBeats beats of scores, topKBeats of probabilities (padding 0), elementBeats of context.
   */
  public static long[] answer(HwParams p, CamAttentionModel.Answer a) {
    int l = p.cam().lanes();
    int section = p.camDerived().topKBeats() * l;
    long[] v = new long[p.camDerived().outBeats() * l];
    java.util.Arrays.fill(v, 0, section, -1);
    for (int i = 0; i < a.indices().length; i++) {
      v[i] = a.indices()[i];
      v[section + i] = a.scores()[i];
      v[2 * section + i] = a.probabilities()[i];
    }
    System.arraycopy(a.context(), 0, v, 3 * section, a.context().length);
    return v;
  }
}
