package pimforge.layer;

import java.util.HashSet;
import java.util.Set;
import pimforge.golden.sfu.Fixed;
import pimforge.params.HwParams;

/**
 * MVM: repeat * (M + (bankCount - 1) * drain) cycles (M = BankSchedule.multiplyCycles): the banks
 * load and compute in parallel, then drain one after another without a gap; the next
 * iteration's command follows the last beat.
 */
final class MvmSpec implements OpcodeSpec {
  /**
   * Per iteration and bank: Wt*I compute steps per tile; ADC conversions (= shift-adds) T*A*Wt*I, DAC
   * drives T*R*Wt*I, cell reads T*R*A*Wt*I; 32-bit adds bankOutputs * (tileGridRows + bias +
   * accumulate); the input read once per iteration (broadcast), outWords written per bank and read
   * again per bank for BIAS and ACCUMULATE.
   */
  @Override
  public void countEvents(EventContext c, Instruction i, long[] e) {
    long n = (long) i.repeat() * i.bankCount();
    long steps = c.words() * c.inputBits();
    EventContext.add(e, Event.ADC_CONVERSIONS, n * c.tiles() * c.adcs() * steps);
    EventContext.add(e, Event.SHIFT_ADDS, n * c.tiles() * c.adcs() * steps);
    EventContext.add(e, Event.DAC_DRIVES, n * c.tiles() * c.rows() * steps);
    EventContext.add(e, Event.CELL_READS, n * c.tiles() * c.rows() * c.adcs() * steps);
    int bias = (i.b() & Instruction.BIAS) != 0 ? 1 : 0;
    int acc = (i.b() & Instruction.ACCUMULATE) != 0 ? 1 : 0;
    EventContext.add(e, Event.ADDS_32B, n * c.bankOutputs() * (c.p().bank().tileGridRows() + bias + acc));
    EventContext.add(e, Event.SCRATCH_READ_WORDS, (long) i.repeat() * i.len() + n * c.outWords() * (bias + acc));
    EventContext.add(e, Event.SCRATCH_WRITE_WORDS, n * c.outWords());
  }

  @Override
  public long duration(TimingContext t, int index, Instruction i) {
    t.banks(index, i.bank(), i.bankCount());
    return i.bankCount() == 0 ? 1
        : i.repeat() * (t.bank().multiplyCycles() + (i.bankCount() - 1) * t.bank().drainCycles());
  }

  @Override
  public Footprint footprint(HwParams p, Instruction i) {
    int lanes = p.crossbar().lanes();
    int n = i.repeat();
    WordRanges r = new WordRanges();
    WordRanges w = new WordRanges();
    Set<String> rr = new HashSet<>();
    int outWords = i.bankCount() * p.derived().bankOutputs() / lanes;
    for (int k = 0; k < i.bankCount(); k++) {
      rr.add("bank:" + (i.bank() + k));
    }
    r.addStrided(i.src(), i.len(), i.srcStep(), n);
    if ((i.b() & Instruction.BIAS) != 0) {
      r.add(i.src2(), i.src2() + outWords);
    }
    if ((i.b() & Instruction.ACCUMULATE) != 0) {
      r.addStrided(i.dst(), outWords, i.dstStep(), n);
    }
    w.addStrided(i.dst(), outWords, i.dstStep(), n);
    return new Footprint(r, w, rr, Set.of());
  }

  @Override
  public void execute(MachineState m, Instruction i) {
    int lanes = m.lanes;
    int bankIn = m.p.derived().bankInputs();
    int outBeats = m.p.derived().bankOutputs() / lanes;
    boolean unsigned = (i.b() & Instruction.UNSIGNED_INPUT) != 0;
    long inMax = unsigned ? (1L << m.p.precision().inputBits()) - 1 : (1L << (m.p.precision().inputBits() - 1)) - 1;
    long inMin = unsigned ? 0 : -inMax;
    if ((i.a() + i.len()) * lanes > bankIn) {
      throw new IllegalArgumentException("MVM input beats " + i.a() + ".." + (i.a() + i.len() - 1)
          + " outside the bank's " + bankIn / lanes);
    }
    for (int it = 0; it < i.repeat(); it++) {
      long[] v = m.sp.readBeats(i.src() + it * i.srcStep(), i.len());
      int[] x = new int[bankIn];
      for (int e = 0; e < v.length; e++) {
        long s = Fixed.roundShift(v[e], i.shift());
        x[i.a() * lanes + e] = (int) Math.max(inMin, Math.min(inMax, s));
      }
      int dst = i.dst() + it * i.dstStep();
      for (int k = 0; k < i.bankCount(); k++) {
        long[] y = m.banks[i.bank() + k].multiply(x, unsigned);
        for (int j = 0; j < outBeats; j++) {
          int word = dst + k * outBeats + j;
          long[] old = (i.b() & Instruction.ACCUMULATE) != 0 ? m.sp.read(word) : new long[lanes];
          long[] bias = (i.b() & Instruction.BIAS) != 0 ? m.sp.read(i.src2() + k * outBeats + j) : new long[lanes];
          long[] r = new long[lanes];
          for (int l = 0; l < lanes; l++) {
            r[l] = y[j * lanes + l] + old[l] + bias[l];
          }
          m.sp.writeSaturated(word, r);
        }
      }
    }
  }
}
