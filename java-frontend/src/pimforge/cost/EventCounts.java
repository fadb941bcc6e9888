package pimforge.cost;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import pimforge.layer.Engine;
import pimforge.layer.Event;
import pimforge.layer.EventContext;
import pimforge.layer.Instruction;
import pimforge.layer.LayerPlan;
import pimforge.params.HwParams;

/**
 * Event counts of one program of the layer top, per instruction and per engine. Each instruction's
 * events come from its opcode's spec ({@code pimforge.layer.OpcodeSpec#countEvents}, the rules
 * documented there), the same object that gives LayerTiming its duration and the golden model its
 * execution, so energy cannot drift from what the schedule and the hardware do. XBAR_WRITES equals
 * {@code LayerTiming.xbarWrites()} (tested), which the co-simulation proves equal to the RTL's
 * XBAR_WRITES counter (LayerCosimTest checks the event model against the hardware too).
 */
public record EventCounts(List<long[]> perInstruction, List<Instruction> program, int lanes, int elementBits) {

  public EventCounts {
    perInstruction = Collections.unmodifiableList(new ArrayList<>(perInstruction));
  }

  public static EventCounts of(HwParams p, List<Instruction> program) {
    LayerPlan plan = LayerPlan.of(p);
    EventContext c = EventContext.of(p, plan);
    List<long[]> rows = new ArrayList<>();
    for (Instruction ins : program) {
      rows.add(c.events(ins));
    }
    return new EventCounts(rows, List.copyOf(program), plan.lanes(), plan.elementBits());
  }

  /** Total of one event over the program. */
  public long total(Event e) {
    long t = 0;
    for (long[] row : perInstruction) {
      t += row[e.ordinal()];
    }
    return t;
  }

  /** Totals of every event, indexed by {@link Event#ordinal()}. */
  public long[] totals() {
    long[] t = new long[Event.COUNT];
    for (long[] row : perInstruction) {
      for (int i = 0; i < t.length; i++) {
        t[i] += row[i];
      }
    }
    return t;
  }

  /** Totals of every event over the instructions of one engine (END belongs to none). */
  public long[] byEngine(Engine engine) {
    long[] t = new long[Event.COUNT];
    for (int k = 0; k < program.size(); k++) {
      if (program.get(k).engine() == engine) {
        for (int i = 0; i < t.length; i++) {
          t[i] += perInstruction.get(k)[i];
        }
      }
    }
    return t;
  }

  /** Instructions counted (the RTL's INSTRUCTIONS counter counts END too, as this does). */
  public long instructions() {
    return program.size();
  }
}
