package pimforge.layer;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import pimforge.golden.sfu.Fixed;
import pimforge.params.HwParams;

/** The crossbar writes: HOST_WEIGHTS (from s_axis) and GATHER_WEIGHTS (from the scratchpad). */
final class WeightWriteSpecs {
  private WeightWriteSpecs() {}

  /** HOST_WEIGHTS: bankCount * (1 + W) cycles: per bank the LoadWeights command, then its W beats. */
  static final class HostWeights implements OpcodeSpec {
    @Override
    public void countEvents(EventContext c, Instruction i, long[] e) {
      long beats = (long) i.bankCount() * c.weightBeats();
      c.crossbarWrites(e, beats);
      EventContext.add(e, Event.STREAM_BITS, beats * c.lanes() * c.elementBits());
    }

    @Override
    public long duration(TimingContext t, int index, Instruction i) {
      t.banks(index, i.bank(), i.bankCount());
      return i.bankCount() == 0 ? 1 : i.bankCount() * t.bank().weightLoadCycles();
    }

    @Override
    public long weightBeats(TimingContext t, Instruction i) {
      return i.bankCount() * t.weightBeatsPerBank();
    }

    @Override
    public Footprint footprint(HwParams p, Instruction i) {
      Set<String> wr = new HashSet<>();
      wr.add("s_axis");
      for (int k = 0; k < i.bankCount(); k++) {
        wr.add("bank:" + (i.bank() + k));
      }
      return new Footprint(new WordRanges(), new WordRanges(), Set.of(), wr);
    }

    @Override
    public void execute(MachineState m, Instruction i) {
      HwParams p = m.p;
      int bankIn = p.derived().bankInputs();
      int bankOut = p.derived().bankOutputs();
      int wBits = p.precision().weightBits();
      for (int k = 0; k < i.bankCount(); k++) {
        int[][] w = new int[bankIn][bankOut];
        List<long[]> packet = new ArrayList<>();
        for (int b = 0; b < BankWeightStream.beats(p); b++) {
          packet.add(m.take());
        }
        for (int r = 0; r < bankIn; r++) {
          for (int c = 0; c < bankOut; c++) {
            long v = packet.get(BankWeightStream.beatOf(p, r, c))[c % m.lanes];
            // The RTL keeps the low weightBits of the element: _(weightBits-1,0).asSInt.
            w[r][c] = (int) Fixed.signedLow(Fixed.signedLow(v, m.plan.elementBits()), wBits);
          }
        }
        m.load(i.bank() + k, w);
      }
    }
  }

  /** GATHER_WEIGHTS: a runtime crossbar write of one whole bank, 1 + W cycles. */
  static final class GatherWeights implements OpcodeSpec {
    /** One scratchpad read per lane per weight beat (one read port per lane, GatherBeat.scala). */
    @Override
    public void countEvents(EventContext c, Instruction i, long[] e) {
      c.crossbarWrites(e, c.weightBeats());
      EventContext.add(e, Event.SCRATCH_READ_WORDS, c.weightBeats() * c.lanes());
    }

    @Override
    public long duration(TimingContext t, int index, Instruction i) {
      t.banks(index, i.bank(), 1);
      return t.bank().weightLoadCycles();
    }

    @Override
    public long weightBeats(TimingContext t, Instruction i) {
      return t.weightBeatsPerBank();
    }

    @Override
    public Footprint footprint(HwParams p, Instruction i) {
      int lanes = p.crossbar().lanes();
      WordRanges r = new WordRanges();
      int rows = Math.min(i.len(), p.derived().bankInputs());
      int cols = Math.min(i.src2(), p.derived().bankOutputs());
      long base = (long) i.src() * lanes;
      // The words of every (row, column) element; the inner loop runs along the smaller stride so
      // that neighbouring elements fall into the same or the next word and WordRanges keeps them as
      // one range (a set: the order does not change which words are read).
      boolean rowsInner = i.a() <= i.b();
      int outer = rowsInner ? cols : rows;
      int inner = rowsInner ? rows : cols;
      for (int o = 0; o < outer; o++) {
        for (int n = 0; n < inner; n++) {
          long in = rowsInner ? n : o;
          long out = rowsInner ? o : n;
          long word = (base + in * i.a() + out * i.b()) / lanes;
          r.add(word, word + 1);
        }
      }
      return new Footprint(r, new WordRanges(), Set.of(), Set.of("bank:" + i.bank()));
    }

    @Override
    public void execute(MachineState m, Instruction i) {
      int bankIn = m.p.derived().bankInputs();
      int bankOut = m.p.derived().bankOutputs();
      long wMax = (1L << (m.p.precision().weightBits() - 1)) - 1;
      int[][] w = new int[bankIn][bankOut];
      long base = (long) i.src() * m.lanes;
      for (int r = 0; r < Math.min(i.len(), bankIn); r++) {
        for (int c = 0; c < Math.min(i.src2(), bankOut); c++) {
          long v = m.sp.element(base + (long) r * i.a() + (long) c * i.b());
          w[r][c] = (int) Math.max(-wMax, Math.min(wMax, v));
        }
      }
      m.load(i.bank(), w);
    }
  }
}
