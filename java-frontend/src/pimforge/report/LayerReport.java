package pimforge.report;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import com.fasterxml.jackson.databind.node.ObjectNode;
import pimforge.layer.LayerPlan;
import pimforge.layer.LayerRegisters;
import pimforge.layer.LayerSchedules;
import pimforge.layer.LayerStage;
import pimforge.layer.LayerTiming;

/**
 * The layer top's part of the reports: its plan (banks by role, memories), the cycles per stage of
 * both attention schedules ({@link LayerSchedules}) and the register map.
 */
public final class LayerReport {
  private LayerReport() {}

  public static String markdown(LayerPlan plan, LayerSchedules schedules) {
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
    b.append(scheduleTable(schedules));
    b.append("\n### Register map (AXI4-Lite, 32-bit registers)\n\n");
    b.append("| register | offset | access | meaning |\n| --- | --- | --- | --- |\n");
    for (LayerRegisters.Register r : LayerRegisters.map(plan.programDepth())) {
      b.append(String.format(Locale.ROOT, "| %s | 0x%05X | %s | %s |\n", r.name(), r.offset(), r.access(), r.meaning()));
    }
    b.append('\n');
    return b.toString();
  }

  /** Cycles per stage of both schedules (the STAGE_CYCLES counters; stages overlap in the head pipeline). */
  private static String scheduleTable(LayerSchedules s) {
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "\n### Cycles per stage, one layer of %d tokens (schedule; the co-simulation "
        + "checks the hardware counters against it; configured: %s)%n%n", s.seqLen(), s.configured()));
    b.append("| stage |");
    s.entries().forEach(e -> b.append(' ').append(e.schedule()).append(" |"));
    b.append("\n| --- |");
    s.entries().forEach(e -> b.append(" ---: |"));
    b.append('\n');
    for (LayerStage st : LayerStage.values()) {
      if (st == LayerStage.WEIGHTS) {
        continue;
      }
      b.append("| ").append(st).append(" |");
      s.entries().forEach(e -> b.append(' ').append(e.layer() == null ? "-" : Long.toString(e.layer().stage(st)))
          .append(" |"));
      b.append('\n');
    }
    row(b, s, "**total cycles**", t -> t.layer().cycles());
    row(b, s, "crossbar writes during the layer (weights)", t -> t.layer().xbarWrites());
    row(b, s, "instructions", t -> t.layer().instructions());
    row(b, s, "setup: static weight load cycles", t -> t.setup().cycles());
    row(b, s, "setup: weights written", t -> t.setup().xbarWrites());
    for (LayerSchedules.Entry e : s.entries()) {
      if (e.layer() != null && !e.layer().exact()) {
        b.append("\n").append(e.schedule()).append(": the layer program appends every token's key and value to the "
            + "KV caches (kvCache.enabled); KV instructions take data-dependent time, so these cycles are lower bounds "
            + "(one cycle per beat and per cache slot).\n");
      }
      if (e.notFitting() != null) {
        b.append("\n").append(e.schedule()).append(" does not fit this design: ").append(e.notFitting()).append('\n');
      }
    }
    return b.toString();
  }

  private static void row(StringBuilder b, LayerSchedules s, String name,
      java.util.function.ToLongFunction<LayerSchedules.Entry> value) {
    b.append("| ").append(name).append(" |");
    s.entries().forEach(e -> b.append(' ').append(e.layer() == null ? "-" : Long.toString(value.applyAsLong(e)))
        .append(" |"));
    b.append('\n');
  }

  /** report.json "layerTop": plan sizes and, per schedule, cycles per stage and crossbar writes. */
  public static void json(ObjectNode root, LayerPlan plan, LayerSchedules s) {
    ObjectNode layer = root.putObject("layerTop");
    layer.put("banks", plan.banks().size());
    layer.put("scratchWords", plan.scratchWords());
    layer.put("lanes", plan.lanes());
    layer.put("elementBits", plan.elementBits());
    layer.put("programDepthInstructions", plan.programDepth());
    layer.put("seqLenTokens", s.seqLen());
    ObjectNode schedules = layer.putObject("schedules");
    for (LayerSchedules.Entry e : s.entries()) {
      ObjectNode n = schedules.putObject(e.schedule().name());
      if (e.layer() == null) {
        n.put("notFitting", e.notFitting());
        continue;
      }
      LayerTiming t = e.layer();
      n.put("banks", e.plan().banks().size());
      n.put("totalCycles", t.cycles());
      n.put("crossbarWritesWeights", t.xbarWrites());
      n.put("instructions", t.instructions());
      n.put("setupCycles", e.setup().cycles());
      n.put("setupCrossbarWritesWeights", e.setup().xbarWrites());
      ObjectNode stages = n.putObject("stageCycles");
      for (LayerStage st : LayerStage.values()) {
        stages.put(st.name(), t.stage(st));
      }
    }
  }
}
