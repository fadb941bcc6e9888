package pimforge.layer;

import java.util.Set;
import pimforge.golden.cam.CamAttentionModel;
import pimforge.golden.cam.CamOp;
import pimforge.golden.cam.CamSchedule;
import pimforge.golden.sfu.Fixed;
import pimforge.params.CamDerived;
import pimforge.params.HwParams;

/**
 * CAM, cmd = {@link CamOp} on the CAM attention unit of KV head {@code bank} (golden
 * {@link CamAttentionModel}; RTL pimforge.hw.layer.CamEngine). Beats per vector: headDim / lanes
 * (cam.lanes = crossbar.lanes in the layer top). Requantization into the unit: key and query
 * satSym(roundShift(x, shift), cam.keyBits), value satSym(roundShift(x, a), cam.valueBits); out of
 * it sat(y << a, elementBits) (the context in V's units brought to the scale of a P V product).
 *
 * <p>Hazards: the survivors a query selects are run-time data, but they select CAM rows and V
 * rows inside the unit, never scratchpad words: every CAM instruction's scratchpad footprint is
 * static (and the unit itself is a named resource), so the wait masks stay exact.
 */
public final class CamSpec implements OpcodeSpec {
  /** Element of a KV APPEND result word that holds the slot (KvCacheOp: outcome, slot, ...). */
  public static final int APPEND_SLOT_ELEMENT = 1;

  /** WRITE with b = ROW_FROM_APPEND takes its row from the KV APPEND result at sp[dst']. */
  public static final int ROW_FROM_APPEND = 1;

  /** Largest context left shift of a QUERY (the engine takes the a field's low 5 bits). */
  public static final int MAX_CONTEXT_SHIFT = 31;

  /**
   * Every CAM transaction takes exactly CamSchedule's cycles (checked in Verilator), except a WRITE
   * whose row comes from a KV APPEND: a refused append sends nothing.
   */
  @Override
  public boolean exactDuration(Instruction i) {
    return !(i.cmd() == CamOp.WRITE && i.b() == ROW_FROM_APPEND);
  }

  @Override
  public long duration(TimingContext t, int index, Instruction i) {
    HwParams p = t.p();
    long per = switch (i.cmd()) {
      case CamOp.CONFIGURE -> CamSchedule.configCycles(p);
      case CamOp.CLEAR -> CamSchedule.clearCycles(p);
      // An indirect write of a refused append sends nothing: one cycle is all that is certain.
      case CamOp.WRITE -> i.b() == ROW_FROM_APPEND ? 1 : CamSchedule.writeCycles(p);
      default -> CamSchedule.query(p).total();
    };
    return per * iterations(i);
  }

  /** CONFIGURE and CLEAR send their packet once; WRITE and QUERY repeat. */
  private static int iterations(Instruction i) {
    return i.cmd() == CamOp.CONFIGURE || i.cmd() == CamOp.CLEAR ? 1 : i.repeat();
  }

  @Override
  public Footprint footprint(HwParams p, Instruction i) {
    if (p.camDerived() == null) {
      throw new IllegalArgumentException("CAM instruction in a layer top without cam.enabled");
    }
    if (i.bank() >= p.model().numKvHeads()) {
      throw new IllegalArgumentException("CAM head " + i.bank() + " outside 0.." + (p.model().numKvHeads() - 1));
    }
    CamDerived d = p.camDerived();
    if (i.cmd() < 0 || i.cmd() > CamOp.QUERY) {
      throw new IllegalArgumentException("no CAM command " + i.cmd() + " (CamOp 0.." + CamOp.QUERY + ")");
    }
    if (i.cmd() == CamOp.WRITE && i.b() != ROW_FROM_APPEND && (i.b() != 0 || i.len() + i.repeat() > d.keys())) {
      throw new IllegalArgumentException("CAM WRITE rows " + i.len() + ".." + (i.len() + i.repeat() - 1) + " (b = " + i.b()
          + ") outside 0.." + (d.keys() - 1));
    }
    if (i.cmd() == CamOp.QUERY && i.a() > MAX_CONTEXT_SHIFT) {
      throw new IllegalArgumentException("CAM QUERY context shift a = " + i.a() + ", allowed 0.." + MAX_CONTEXT_SHIFT);
    }
    int vec = d.elementBeats();
    int n = iterations(i);
    WordRanges reads = new WordRanges();
    WordRanges writes = new WordRanges();
    switch (i.cmd()) {
      case CamOp.CONFIGURE -> reads.addStrided(i.src(), d.configBeats(), 0, 1);
      case CamOp.WRITE -> {
        reads.addStrided(i.src(), vec, i.srcStep(), n).addStrided(i.src2(), vec, i.srcStep(), n);
        if (i.b() == ROW_FROM_APPEND) {
          reads.addStrided(i.dst(), 1, i.dstStep(), n);
        }
      }
      case CamOp.QUERY -> {
        reads.addStrided(i.src(), vec, i.srcStep(), n);
        writes.addStrided(i.dst(), vec, i.dstStep(), n);
      }
      default -> { }
    }
    String unit = "cam" + i.bank();
    return new Footprint(reads, writes, Set.of(unit), Set.of(unit));
  }

  @Override
  public void execute(MachineState m, Instruction i) {
    if (m.cam == null) {
      throw new IllegalArgumentException("CAM instruction in a layer top without cam.enabled");
    }
    CamAttentionModel cam = m.cam[i.bank()];
    CamDerived d = m.p.camDerived();
    int hd = d.headDim();
    switch (i.cmd()) {
      case CamOp.CONFIGURE -> {
        long[] packet = m.sp.readBeats(i.src(), d.configBeats());
        cam.configure(new pimforge.golden.softmax.SoftmaxConfig(packet[0], (int) packet[1]));
      }
      case CamOp.CLEAR -> cam.clear();
      case CamOp.WRITE -> {
        for (int it = 0; it < i.repeat(); it++) {
          long row = i.b() == ROW_FROM_APPEND ? m.sp.readBeats(i.dst() + it * i.dstStep(), 1)[APPEND_SLOT_ELEMENT]
              : i.len() + it;
          if (row < 0) {
            continue; // the append was refused: nothing enters the CAM
          }
          long[] key = m.satSymIn(i.src() + it * i.srcStep(), hd, i.shift(), m.p.cam().keyBits());
          long[] value = m.satSymIn(i.src2() + it * i.srcStep(), hd, i.a(), m.p.cam().valueBits());
          cam.write(Math.toIntExact(row), key, value);
        }
      }
      default -> {
        for (int it = 0; it < i.repeat(); it++) {
          int limit = (int) Math.min(d.keys(), (long) i.len() + (long) it * i.b());
          long[] q = m.satSymIn(i.src() + it * i.srcStep(), hd, i.shift(), m.p.cam().keyBits());
          long[] ctx = cam.query(q, limit).context();
          long[] out = new long[ctx.length];
          for (int j = 0; j < ctx.length; j++) {
            out[j] = Fixed.saturate(ctx[j] << i.a(), m.plan.elementBits());
          }
          m.sp.writeBeats(i.dst() + it * i.dstStep(), out);
        }
      }
    }
  }

  /** Words moved between the scratchpad and the unit. */
  @Override
  public void countEvents(EventContext c, Instruction i, long[] e) {
    CamDerived d = c.p().camDerived();
    int vec = d.elementBeats();
    long n = iterations(i);
    long reads = switch (i.cmd()) {
      case CamOp.CONFIGURE -> d.configBeats();
      case CamOp.WRITE -> n * (2L * vec + (i.b() == ROW_FROM_APPEND ? 1 : 0));
      case CamOp.QUERY -> n * vec;
      default -> 0;
    };
    EventContext.add(e, Event.SCRATCH_READ_WORDS, reads);
    EventContext.add(e, Event.SCRATCH_WRITE_WORDS, i.cmd() == CamOp.QUERY ? n * vec : 0);
    EventContext.add(e, Event.CAM_QUERIES, i.cmd() == CamOp.QUERY ? n : 0);
    EventContext.add(e, Event.CAM_KEY_WRITES, i.cmd() == CamOp.WRITE ? n : 0);
  }
}
