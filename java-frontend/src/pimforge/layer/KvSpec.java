package pimforge.layer;

import java.util.Set;
import pimforge.golden.sfu.Fixed;
import pimforge.kvcache.KvCacheLayout;
import pimforge.kvcache.KvCacheOp;
import pimforge.params.HwParams;

/**
 * KV, cmd = {@link KvCacheOp} on the KV-cache controller of head {@code bank} (golden
 * pimforge.kvcache.KvCacheModel; RTL pimforge.hw.layer.KvEngine). Beats per vector: headDim /
 * lanes (K, V, q, context), slot rows ceil(capacity / lanes) (scores, probabilities), APPEND results
 * ceil(4 / lanes). Requantization: into the controller satSym(roundShift(x, shift), inputBits);
 * out of it sat(roundShift(y, a), elementBits); an empty slot's score becomes the softmax mask value.
 */
final class KvSpec implements OpcodeSpec {

  /** Beats of one APPEND result (4 words). */
  static int resultBeats(int lanes) {
    return (KvCacheLayout.APPEND_RESULT_WORDS + lanes - 1) / lanes;
  }

  /** Words read (in) and written (out) per iteration. */
  private static int[] beats(HwParams p, Instruction i) {
    KvCacheLayout l = KvCacheLayout.of(p);
    int vec = l.vectorBeats(l.headDim());
    int slots = l.vectorBeats(l.capacity());
    return switch (i.cmd()) {
      case KvCacheOp.APPEND -> new int[] {vec, resultBeats(l.lanes())};
      case KvCacheOp.SCORES -> new int[] {vec, slots};
      case KvCacheOp.CONTEXT -> new int[] {slots, vec};
      default -> throw new IllegalArgumentException("no KV command " + i.cmd() + " in the layer top");
    };
  }

  /**
   * A lower bound, not the duration (LayerTiming#exact is then false): per iteration the command,
   * the input and output beats and one cycle per slot (the controller's eviction scan, or one slot
   * read per cycle). Sealing, record reads and the memory latency come on top, data-dependent.
   */
  @Override
  public long duration(TimingContext t, int index, Instruction i) {
    int[] b = beats(t.p(), i);
    int inBeats = b[0] * (i.cmd() == KvCacheOp.APPEND ? 2 : 1);
    return (long) i.repeat() * (1 + inBeats + b[1] + KvCacheLayout.of(t.p()).capacity());
  }

  /** Sealing, record reads and the memory latency make every KV duration a lower bound. */
  @Override
  public boolean exactDuration(Instruction i) {
    return false;
  }

  @Override
  public Footprint footprint(HwParams p, Instruction i) {
    if (i.bank() >= p.model().numKvHeads()) {
      throw new IllegalArgumentException("KV head " + i.bank() + " outside 0.." + (p.model().numKvHeads() - 1));
    }
    int[] b = beats(p, i);
    int n = i.repeat();
    WordRanges reads = new WordRanges().addStrided(i.src(), b[0], i.srcStep(), n);
    if (i.cmd() == KvCacheOp.APPEND) {
      reads.addStrided(i.src2(), b[0], i.srcStep(), n);
    }
    String unit = "kv" + i.bank();
    return new Footprint(reads, new WordRanges().addStrided(i.dst(), b[1], i.dstStep(), n), Set.of(unit), Set.of(unit));
  }

  @Override
  public void execute(MachineState m, Instruction i) {
    if (m.kv == null) {
      throw new IllegalArgumentException("KV instruction in a layer top without kvCache.enabled");
    }
    if (i.bank() >= m.kv.length) {
      throw new IllegalArgumentException("KV head " + i.bank() + " outside 0.." + (m.kv.length - 1));
    }
    var kv = m.kv[i.bank()];
    KvCacheLayout l = kv.layout();
    int[] b = beats(m.p, i);
    int d = l.headDim();
    for (int it = 0; it < i.repeat(); it++) {
      int src = i.src() + it * i.srcStep();
      long[] y;
      switch (i.cmd()) {
        case KvCacheOp.APPEND -> y = kv.append(in(m, src, d, i.shift(), l), in(m, i.src2() + it * i.srcStep(), d,
            i.shift(), l));
        case KvCacheOp.SCORES -> {
          y = kv.scores(in(m, src, d, i.shift(), l));
          long mask = m.p.softmaxDerived().maskValue();
          for (int s = 0; s < y.length; s++) {
            y[s] = y[s] == l.maskScore() ? mask : Fixed.roundShift(y[s], i.a());
          }
        }
        default -> {
          long[] raw = m.sp.readBeats(src, b[0]);
          long[] p = new long[l.capacity()];
          long pMax = (1L << l.probabilityBits()) - 1;
          for (int s = 0; s < p.length; s++) {
            p[s] = Math.max(0, Math.min(pMax, raw[s]));
          }
          y = kv.context(p);
          for (int c = 0; c < y.length; c++) {
            y[c] = Fixed.roundShift(y[c], i.a());
          }
        }
      }
      long[] padded = java.util.Arrays.copyOf(y, b[1] * m.lanes);
      m.sp.writeBeats(i.dst() + it * i.dstStep(), padded);
    }
  }

  /** headDim elements from sp[w ..], requantized into the controller: satSym(roundShift(x, shift), inputBits). */
  private static int[] in(MachineState m, int w, int d, int shift, KvCacheLayout l) {
    return java.util.Arrays.stream(m.satSymIn(w, d, shift, l.inputBits())).mapToInt(Math::toIntExact).toArray();
  }

  /** Words moved between the scratchpad and the controller. */
  @Override
  public void countEvents(EventContext c, Instruction i, long[] e) {
    int[] b = beats(c.p(), i);
    int readsPerIt = b[0] * (i.cmd() == KvCacheOp.APPEND ? 2 : 1);
    EventContext.add(e, Event.SCRATCH_READ_WORDS, (long) i.repeat() * readsPerIt);
    EventContext.add(e, Event.SCRATCH_WRITE_WORDS, (long) i.repeat() * b[1]);
  }
}
