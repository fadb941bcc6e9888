package pimforge.layer;

import java.util.Set;
import pimforge.golden.sfu.Fixed;
import pimforge.golden.softmax.SoftmaxConfig;
import pimforge.golden.softmax.SoftmaxOp;
import pimforge.golden.softmax.SoftmaxSchedule;
import pimforge.params.HwParams;

/**
 * SOFTMAX, cmd = {@link SoftmaxOp}. CONFIGURE: the packet sp[src ..] len beats, 1 + len cycles.
 * ROW, each iteration it: the row sp[src' ..] (len beats) with element e >= valid(it) = a + it*b
 * masked (replaced by maskValue; b = 1 gives the causal mask, row i of a block that starts at
 * token a-1 sees keys 0..a-1+i), the others less the ALiBi penalty round((valid - 1 - e) * src2 /
 * 2^shift) (src2 = 0: none, see {@link Alibi}) and clamped to [maskValue + 1, 2^(inputBits-1) - 1];
 * the probabilities (len beats) go to sp[dst' ..]; repeat * SoftmaxSchedule.rowCycles(len) cycles.
 */
final class SoftmaxSpec implements OpcodeSpec {
  /**
   * CONFIGURE: len words read. ROW: repeat*len words read and written; per element 2 multiplies
   * and 2 adds (exponent scale and normalization; max and sum), one more of each with an ALiBi slope.
   */
  @Override
  public void countEvents(EventContext c, Instruction i, long[] e) {
    if (i.cmd() == SoftmaxOp.CONFIGURE) {
      EventContext.add(e, Event.SCRATCH_READ_WORDS, i.len());
      return;
    }
    long beats = (long) i.repeat() * i.len();
    long el = beats * c.lanes();
    int alibi = i.src2() != 0 ? 1 : 0;
    EventContext.add(e, Event.SCRATCH_READ_WORDS, beats);
    EventContext.add(e, Event.SCRATCH_WRITE_WORDS, beats);
    EventContext.add(e, Event.SOFTMAX_ELEMENTS, el);
    EventContext.add(e, Event.MULTS_32B, (2 + alibi) * el);
    EventContext.add(e, Event.ADDS_32B, (2 + alibi) * el);
  }

  @Override
  public long duration(TimingContext t, int index, Instruction i) {
    if (i.len() == 0) {
      return 1;
    }
    if (i.cmd() == SoftmaxOp.CONFIGURE) {
      return 1 + i.len();
    }
    int rowBeats = t.p().softmaxDerived().rowBeats();
    TimingContext.require(i.len() <= rowBeats, index,
        "softmax row of " + i.len() + " beats, the unit holds " + rowBeats);
    return i.repeat() * SoftmaxSchedule.rowCycles(t.p(), i.len());
  }

  @Override
  public Footprint footprint(HwParams p, Instruction i) {
    if (i.cmd() == SoftmaxOp.CONFIGURE) {
      return new Footprint(new WordRanges().add(i.src(), i.src() + i.len()), new WordRanges(), Set.of(),
          Set.of("softmax"));
    }
    int n = i.repeat();
    return new Footprint(new WordRanges().addStrided(i.src(), i.len(), i.srcStep(), n),
        new WordRanges().addStrided(i.dst(), i.len(), i.dstStep(), n), Set.of("softmax"), Set.of());
  }

  /** Keys of iteration {@code it} that are not masked: a + it*b. */
  static long validKeys(Instruction i, int it) {
    return i.a() + (long) it * i.b();
  }

  @Override
  public void execute(MachineState m, Instruction i) {
    HwParams p = m.p;
    if (i.cmd() == SoftmaxOp.CONFIGURE) {
      long[] packet = m.sp.readBeats(i.src(), i.len());
      long mult = Fixed.unsignedLow(packet[0], p.softmax().scaleBits());
      int shift = (int) Fixed.unsignedLow(packet[1], p.softmaxDerived().shiftBits());
      m.softmax.configure(new SoftmaxConfig(mult, shift));
      return;
    }
    if (i.cmd() != SoftmaxOp.ROW) {
      throw new IllegalArgumentException("no softmax command " + i.cmd());
    }
    long mask = p.softmaxDerived().maskValue();
    long top = (1L << (p.softmax().inputBits() - 1)) - 1;
    for (int it = 0; it < i.repeat(); it++) {
      long valid = validKeys(i, it);
      long[] row = m.sp.readBeats(i.src() + it * i.srcStep(), i.len());
      for (int e = 0; e < row.length; e++) {
        long biased = row[e] - Alibi.penalty(Math.max(0, valid - 1 - e), i.src2(), Alibi.shiftOf(i));
        row[e] = e >= valid ? mask : Math.max(mask + 1, Math.min(top, biased));
      }
      m.sp.writeBeats(i.dst() + it * i.dstStep(), m.softmax.row(row));
    }
  }
}
