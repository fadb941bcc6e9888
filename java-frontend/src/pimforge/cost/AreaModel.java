package pimforge.cost;

import java.util.LinkedHashMap;
import java.util.Map;
import pimforge.layer.Instruction;
import pimforge.layer.LayerPlan;
import pimforge.params.HwParams;
import pimforge.params.XbarDerived;

/**
 * Analytic macro area of one layer top (um^2), per component: crossbar cells (rows x physical
 * columns per tile, times the chosen cell area), ADCs (adcsPerTile per tile at adcBits, ISAAC's
 * table), 1-bit DACs (one per row per tile), shift-add units (one per ADC), the scratchpad
 * (scratchWords x lanes x elementBits) and the instruction memory (programDepth x 8 x 32 bits) at
 * the buffer's area per bit. Digital logic (dispatcher, softmax unit, SFU, bank control) is not in
 * here: {@code --logic-area yosys} adds it from synthesis, reported separately. With cam.enabled,
 * camUnits: per KV head the CAM unit's V (and re-scoring key) memory as SRAM cells and its
 * match-line ADCs ({@link CamCost}); the CAM cells themselves have no area figure in the table.
 */
public final class AreaModel {
  private AreaModel() {}

  /** Bits of one layer top's scratchpad: scratchWords words of lanes x elementBits. */
  public static double scratchpadBits(LayerPlan plan) {
    return (double) plan.scratchWords() * plan.lanes() * plan.elementBits();
  }

  /** Macro area components (um^2) of one layer top with {@code plan}'s banks. */
  public static Map<String, Double> macrosUm2(HwParams p, LayerPlan plan, TechTable t) {
    XbarDerived d = p.derived();
    long tiles = (long) plan.banks().size() * p.bank().tilesPerBank();
    double cell = t.get(t.choice("cellAreaModel").equals("mnsim") ? "cellAreaMnsim_um2" : "cellAreaIsaac_um2");
    double perBit = t.get("bufferArea_um2PerBit");
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("crossbarCells", tiles * (double) p.crossbar().rows() * d.physicalColumnsPerTile() * cell);
    m.put("adcs", tiles * (double) d.adcsPerTile() * AdcCosts.areaUm2(t, p.precision().adcBits()));
    m.put("dacs", tiles * (double) p.crossbar().rows() * t.get("dacArea1b_um2"));
    m.put("shiftAdds", tiles * (double) d.adcsPerTile() * t.get("shiftAddArea_um2"));
    m.put("scratchpad", scratchpadBits(plan) * perBit);
    m.put("instructionMemory", (double) plan.programDepth() * Instruction.WORDS * 32 * perBit);
    if (p.cam().enabled()) {
      CamCost cam = CamCost.of(p, t); // one unit per KV head: V (and key) memory cells, match-line ADCs
      m.put("camUnits", p.model().numKvHeads() * (cam.sramAreaUm2() + cam.adcAreaUm2()));
    }
    return m;
  }
}
