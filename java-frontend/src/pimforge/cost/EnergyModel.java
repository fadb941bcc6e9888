package pimforge.cost;

import java.util.LinkedHashMap;
import java.util.Map;
import pimforge.layer.Event;
import pimforge.params.HwParams;

/**
 * Energy of event counts: each {@link Event} times one constant of the technology table (pJ per
 * event). SOFTMAX_ELEMENTS, SFU_ELEMENTS and XBAR_WRITES carry no energy of their own: their
 * arithmetic is counted in ADDS_32B / MULTS_32B and their cells in CELLS_PROGRAMMED. Leakage and
 * clock-tree power are not modeled. The model is data-independent: every row is driven and every
 * column digitized at every compute step whatever the bit values (a zero input bit costs what a one
 * costs), a fixed-energy-per-event model, which CiMLoop found off by 28 % mean / 70 % max against
 * data-dependent models (REFERENCE.md s.5).
 *
 * @param perEventPj energy of one event (pJ), indexed by {@link Event#ordinal()}
 */
public record EnergyModel(double[] perEventPj) {

  /** Components of the energy breakdown and the events they sum. */
  public enum Component {
    ADC(Event.ADC_CONVERSIONS),
    DAC(Event.DAC_DRIVES),
    CROSSBAR_READ(Event.CELL_READS),
    CROSSBAR_PROGRAM(Event.CELLS_PROGRAMMED),
    SHIFT_ADD(Event.SHIFT_ADDS),
    DIGITAL_ARITHMETIC(Event.ADDS_32B, Event.MULTS_32B),
    SCRATCHPAD(Event.SCRATCH_READ_WORDS, Event.SCRATCH_WRITE_WORDS),
    STREAM(Event.STREAM_BITS),
    CAM(Event.CAM_QUERIES, Event.CAM_KEY_WRITES);

    final Event[] events;

    Component(Event... events) {
      this.events = events;
    }
  }

  /**
   * @param lanes elements per scratchpad word
   * @param elementBits bits per scratchpad element
   */
  public static EnergyModel of(HwParams p, TechTable t, int lanes, int elementBits) {
    double[] e = new double[Event.COUNT];
    e[Event.ADC_CONVERSIONS.ordinal()] = AdcCosts.energyPj(t, t.choice("adcEnergyModel"), p.precision().adcBits());
    e[Event.DAC_DRIVES.ordinal()] = t.get("dacDrive1b_pJ");
    e[Event.CELL_READS.ordinal()] = t.get("cellRead_fJ") / 1000;
    e[Event.CELLS_PROGRAMMED.ordinal()] = t.get("cellProgram_pJ");
    e[Event.SHIFT_ADDS.ordinal()] = t.get("shiftAdd_pJ");
    e[Event.ADDS_32B.ordinal()] = t.get("add32b_pJ");
    e[Event.MULTS_32B.ordinal()] = t.get("mult32b_pJ");
    double word = t.get("bufferAccess_pJPerBit") * lanes * elementBits;
    e[Event.SCRATCH_READ_WORDS.ordinal()] = word;
    e[Event.SCRATCH_WRITE_WORDS.ordinal()] = word;
    e[Event.STREAM_BITS.ordinal()] = t.get("router_pJPerBit");
    if (p.cam().enabled()) {
      CamCost cam = CamCost.of(p, t);
      e[Event.CAM_QUERIES.ordinal()] = cam.queryPjInLayer();
      e[Event.CAM_KEY_WRITES.ordinal()] = cam.writePjInLayer();
    }
    return new EnergyModel(e);
  }

  /** Total energy of event totals (pJ). */
  public double totalPj(long[] events) {
    double s = 0;
    for (int i = 0; i < events.length; i++) {
      s += events[i] * perEventPj[i];
    }
    return s;
  }

  /** Energy per component (pJ), in {@link Component} order. */
  public Map<Component, Double> byComponentPj(long[] events) {
    Map<Component, Double> m = new LinkedHashMap<>();
    for (Component c : Component.values()) {
      double s = 0;
      for (Event e : c.events) {
        s += events[e.ordinal()] * perEventPj[e.ordinal()];
      }
      m.put(c, s);
    }
    return m;
  }
}
