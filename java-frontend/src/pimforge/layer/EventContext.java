package pimforge.layer;

import pimforge.golden.BankSchedule;
import pimforge.params.HwParams;
import pimforge.params.XbarDerived;

/**
 * What the opcodes' event counts ({@link OpcodeSpec#countEvents}) depend on: per bank T tiles of R
 * rows with Wt column words each, I input bits (compute steps per word), A ADCs per tile, S x G cells
 * per weight (slices x column groups), W weight beats per bank, L lanes, bankOutputs, element bits.
 */
public record EventContext(HwParams p, int lanes, long tiles, long rows, long words, long inputBits, long adcs,
    long cellsPerWeight, long weightBeats, long bankOutputs, long outWords, int elementBits) {

  public static EventContext of(HwParams p, LayerPlan plan) {
    XbarDerived d = p.derived();
    return new EventContext(p, plan.lanes(), p.bank().tilesPerBank(), p.crossbar().rows(), d.wordsPerTile(),
        p.precision().inputBits(), d.adcsPerTile(), (long) p.precision().slices() * p.precision().columnGroups(),
        BankSchedule.of(p).weightLoadCycles() - 1, d.bankOutputs(), d.bankOutputs() / plan.lanes(),
        plan.elementBits());
  }

  /** The events of one instruction, indexed by {@link Event#ordinal()} (END: none). */
  public long[] events(Instruction i) {
    long[] e = new long[Event.COUNT];
    if (i.opcode() != Opcode.END) {
      i.opcode().spec().countEvents(this, i, e);
    }
    return e;
  }

  static void add(long[] e, Event ev, long n) {
    e[ev.ordinal()] += n;
  }

  /** A weight write of {@code beats} beats: XBAR_WRITES and cells programmed. */
  void crossbarWrites(long[] e, long beats) {
    long weights = beats * lanes;
    add(e, Event.XBAR_WRITES, weights);
    add(e, Event.CELLS_PROGRAMMED, weights * cellsPerWeight);
  }
}
