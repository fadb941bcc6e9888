package pimforge.cost;

import java.util.List;
import pimforge.layer.Event;
import pimforge.layer.Instruction;
import pimforge.layer.LayerTiming;
import pimforge.params.HwParams;

/**
 * One program of one layer top: its exact timing ({@link LayerTiming}), its event counts
 * ({@link EventCounts}) and their energy.
 *
 * @param cycles LayerTiming.cycles() (START to END)
 * @param energyPj energy of all events (pJ)
 */
public record LayerCost(LayerTiming timing, EventCounts events, long cycles, double energyPj) {

  public static LayerCost of(HwParams p, TechTable t, List<Instruction> program) {
    LayerTiming timing = LayerTiming.of(p, program);
    EventCounts ev = EventCounts.of(p, program);
    double e = EnergyModel.of(p, t, ev.lanes(), ev.elementBits()).totalPj(ev.totals());
    return new LayerCost(timing, ev, timing.cycles(), e);
  }
}
