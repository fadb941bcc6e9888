package pimforge.layer;

import java.util.Set;
import pimforge.params.HwParams;

/** HOST_IN and HOST_OUT: one stream beat per cycle between an AXI stream and the scratchpad. */
final class HostStreamSpecs {
  private HostStreamSpecs() {}

  /** repeat * len cycles (1 when len = 0). */
  static long beats(Instruction i) {
    return i.len() == 0 ? 1 : (long) i.repeat() * i.len();
  }

  /** Scratchpad words and stream bits of repeat * len beats. */
  static void streamEvents(EventContext c, Instruction i, long[] e, Event scratch) {
    long beats = (long) i.repeat() * i.len();
    EventContext.add(e, scratch, beats);
    EventContext.add(e, Event.STREAM_BITS, beats * c.lanes() * c.elementBits());
  }

  /** HOST_IN: for each iteration, len beats from s_axis into sp[dst' ..]. */
  static final class HostIn implements OpcodeSpec {
    @Override
    public void countEvents(EventContext c, Instruction i, long[] e) {
      streamEvents(c, i, e, Event.SCRATCH_WRITE_WORDS);
    }

    @Override
    public long duration(TimingContext t, int index, Instruction i) {
      return beats(i);
    }

    @Override
    public Footprint footprint(HwParams p, Instruction i) {
      WordRanges w = new WordRanges().addStrided(i.dst(), i.len(), i.dstStep(), i.repeat());
      return new Footprint(new WordRanges(), w, Set.of(), Set.of("s_axis"));
    }

    @Override
    public void execute(MachineState m, Instruction i) {
      for (int it = 0; it < i.repeat(); it++) {
        for (int b = 0; b < i.len(); b++) {
          m.sp.writeWrapped(i.dst() + it * i.dstStep() + b, m.take());
        }
      }
    }
  }

  /** HOST_OUT: for each iteration, sp[src' ..] len beats to m_axis. */
  static final class HostOut implements OpcodeSpec {
    @Override
    public void countEvents(EventContext c, Instruction i, long[] e) {
      streamEvents(c, i, e, Event.SCRATCH_READ_WORDS);
    }

    @Override
    public long duration(TimingContext t, int index, Instruction i) {
      return beats(i);
    }

    @Override
    public Footprint footprint(HwParams p, Instruction i) {
      WordRanges r = new WordRanges().addStrided(i.src(), i.len(), i.srcStep(), i.repeat());
      return new Footprint(r, new WordRanges(), Set.of(), Set.of("m_axis"));
    }

    @Override
    public void execute(MachineState m, Instruction i) {
      for (int it = 0; it < i.repeat(); it++) {
        for (int b = 0; b < i.len(); b++) {
          m.out.add(m.sp.read(i.src() + it * i.srcStep() + b));
        }
      }
    }
  }
}
