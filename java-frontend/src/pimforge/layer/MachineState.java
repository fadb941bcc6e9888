package pimforge.layer;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import pimforge.golden.PimBankModel;
import pimforge.golden.sfu.Fixed;
import pimforge.golden.sfu.SfuModel;
import pimforge.golden.softmax.SoftmaxModel;
import pimforge.kvcache.KvCacheLayout;
import pimforge.kvcache.KvCacheModel;
import pimforge.kvcache.KvEvictionModel;
import pimforge.params.HwParams;

/**
 * The golden layer top's state, which the opcodes' {@link OpcodeSpec#execute} work on: the
 * scratchpad, one {@link PimBankModel} per plan bank, the softmax and SFU unit models, the AXI
 * streams of the current run and the XBAR_WRITES count.
 */
final class MachineState {
  final HwParams p;
  final LayerPlan plan;
  final int lanes;
  final Scratchpad sp;
  final PimBankModel[] banks;
  final SoftmaxModel softmax;
  final SfuModel sfu;
  /** One KV-cache controller per KV head when kvCache.enabled, else null. */
  final KvCacheModel[] kv;
  /** One CAM attention unit per KV head when cam.enabled, else null. */
  final pimforge.golden.cam.CamAttentionModel[] cam;
  Deque<long[]> in = new ArrayDeque<>();
  List<long[]> out = new ArrayList<>();
  long crossbarWrites;
  /** The POSITION register (LayerRegisters.POSITION): END adds its a field. */
  long position;

  MachineState(HwParams p, LayerPlan plan) {
    this.p = p;
    this.plan = plan;
    this.lanes = plan.lanes();
    this.sp = new Scratchpad(plan.scratchWords(), lanes, plan.elementBits());
    this.banks = new PimBankModel[plan.banks().size()];
    for (int i = 0; i < banks.length; i++) {
      banks[i] = new PimBankModel(p);
    }
    this.softmax = new SoftmaxModel(p);
    this.sfu = new SfuModel(p);
    if (p.kvCache().enabled()) {
      this.kv = new KvCacheModel[p.model().numKvHeads()];
      for (int h = 0; h < kv.length; h++) {
        // Keys arrive rotated (RoPE runs before the cache), so they keep their original positions.
        kv[h] = new KvCacheModel(KvCacheLayout.of(p), KvEvictionModel.RopeConvention.ORIGINAL);
      }
    } else {
      this.kv = null;
    }
    if (p.cam().enabled()) {
      this.cam = new pimforge.golden.cam.CamAttentionModel[p.model().numKvHeads()];
      for (int h = 0; h < cam.length; h++) {
        cam[h] = new pimforge.golden.cam.CamAttentionModel(p);
      }
    } else {
      this.cam = null;
    }
  }

  /** The next s_axis beat. */
  long[] take() {
    long[] beat = in.poll();
    if (beat == null) {
      throw new IllegalStateException("s_axis ran out of beats");
    }
    if (beat.length != lanes) {
      throw new IllegalArgumentException("s_axis beat of " + beat.length + " elements, expected " + lanes);
    }
    return beat;
  }

  /** Writes weights [bankInputs][bankOutputs] into a bank's crossbars. */
  void load(int bank, int[][] w) {
    banks[bank].loadWeights(w);
    crossbarWrites += (long) w.length * w[0].length;
  }

  /**
   * {@code n} elements from sp[w ..] (ceil(n / lanes) words) as a unit's input:
   * satSym(roundShift(x, shift), bits) (the KV and CAM engines' requantization on the way in).
   */
  long[] satSymIn(int w, int n, int shift, int bits) {
    long[] v = sp.readBeats(w, (n + lanes - 1) / lanes);
    long max = (1L << (bits - 1)) - 1;
    long[] x = new long[n];
    for (int c = 0; c < n; c++) {
      x[c] = Math.max(-max, Math.min(max, Fixed.roundShift(v[c], shift)));
    }
    return x;
  }

  /** SFU input elements are sat(v, sfu.accBits). */
  long[] accIn(long[] v) {
    return Arrays.stream(v).map(e -> Fixed.saturate(e, p.sfu().accBits())).toArray();
  }
}
