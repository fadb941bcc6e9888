package pimforge.report;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import pimforge.layer.LayerPlan;
import pimforge.layer.LayerRegisters;

/** The layer top's part of report.md: its plan (banks by role, memories) and register map. */
public final class LayerReport {
  private LayerReport() {}

  public static String markdown(LayerPlan plan) {
    StringBuilder b = new StringBuilder();
    b.append("## Layer top\n\n");
    b.append(String.format(Locale.ROOT, "- %d PIM banks; scratchpad %d words x %d lanes x %d bits; "
            + "instruction memory %d slots\n\n",
        plan.banks().size(), plan.scratchWords(), plan.lanes(), plan.elementBits(), plan.programDepth()));
    b.append("| bank role | slot | blocks (rows x cols) | runtime-written |\n| --- | ---: | --- | --- |\n");
    Map<String, int[]> seen = new LinkedHashMap<>();
    plan.banks().forEach(k -> seen.putIfAbsent(k.role() + "/" + k.slot(), plan.blocks(k.role(), k.slot())));
    for (var k : plan.banks()) {
      String key = k.role() + "/" + k.slot();
      int[] blocks = seen.remove(key);
      if (blocks != null) {
        b.append(String.format(Locale.ROOT, "| %s | %d | %d x %d | %s |\n", k.role(), k.slot(), blocks[0], blocks[1],
            k.runtime() ? "yes" : "no (stationary)"));
      }
    }
    b.append("\n### Register map (AXI4-Lite, 32-bit registers)\n\n");
    b.append("| register | offset | access | meaning |\n| --- | --- | --- | --- |\n");
    for (LayerRegisters.Register r : LayerRegisters.map(plan.programDepth())) {
      b.append(String.format(Locale.ROOT, "| %s | 0x%05X | %s | %s |\n", r.name(), r.offset(), r.access(), r.meaning()));
    }
    b.append('\n');
    return b.toString();
  }
}
