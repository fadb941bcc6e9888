package pimforge.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import pimforge.check.LogicArea;
import pimforge.cost.AccuracyEnergy;
import pimforge.cost.CamReport;
import pimforge.cost.EvaluateReport;
import pimforge.cost.SequenceSweep;
import pimforge.plot.EvaluatePlots;
import pimforge.plot.ParetoPlots;
import pimforge.cost.ModelEvaluation;
import pimforge.cost.TechTable;
import pimforge.io.AtomicOutputDir;
import pimforge.params.ParamError;

/**
 * {@code pimforge evaluate}: latency, energy and area of the whole model from the exact layer
 * programs and the technology table; writes evaluate.json, evaluate.md and tech.json (the table
 * used, a starting point for --tech) into --out, atomically.
 */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    versionProvider = PimforgeCli.Version.class,
    description = "Latency, energy and area of the whole model (exact layer programs x technology table); "
        + "writes evaluate.json, evaluate.md and tech.json into --out.")
final class EvaluateCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  DesignOptions design;

  @Option(names = "--tech", paramLabel = "<json>",
      description = "Technology table (complete; start from the tech.json evaluate writes). Default: built in.")
  Path tech;

  @Option(names = "--seq", paramLabel = "N", defaultValue = "128", description = "Prefill tokens (default: ${DEFAULT-VALUE}).")
  int seq;

  @Option(names = "--decode", paramLabel = "N", defaultValue = "0",
      description = "Tokens generated after the prefill; per-token cost at the last context (default: ${DEFAULT-VALUE}).")
  int decode;

  @Option(names = "--logic-area", paramLabel = "none|yosys", defaultValue = "none",
      description = "Digital logic area: none (default) or yosys (synthesizes one layer top; minutes for large models, "
          + "cached by design hash in --logic-cache).")
  String logicArea;

  @Option(names = "--logic-cache", paramLabel = "DIR", defaultValue = "verilog-out/.logic-area-cache",
      description = "Cache of Yosys logic areas (default: ${DEFAULT-VALUE}).")
  Path logicCache;

  @Option(names = "--out", paramLabel = "DIR", defaultValue = "evaluate-out", description = "Output folder (default: ${DEFAULT-VALUE}).")
  Path out;

  @Override
  public Integer call() throws Exception {
    if (!logicArea.equals("none") && !logicArea.equals("yosys")) {
      throw new ParamError("--logic-area", "is '" + logicArea + "', allowed none, yosys");
    }
    TechTable t = tech == null ? TechTable.defaults() : TechTable.read(tech);
    ModelEvaluation ev = ModelEvaluation.of(design.params(), t, seq, decode);
    ObjectNode j = EvaluateReport.json(ev);
    List<SequenceSweep.Point> curve = SequenceSweep.of(ev);
    var curveJson = j.putArray("latencyVsSequence");
    curve.forEach(c -> curveJson.addObject().put("tokens", c.tokens()).put("cyclesPerLayer", c.cyclesPerLayer())
        .put("latency_s", c.latencySeconds()).put("energy_J", c.energyJoules()));
    List<AccuracyEnergy> accuracy = AccuracyEnergy.of(ev);
    var accJson = j.putArray("accuracyVsEnergy");
    accuracy.forEach(a -> accJson.addObject().put("variant", a.point().label()).put("cosine", a.point().cosine())
        .put("energy_J", a.energyJoules()).put("error", a.error()).put("accuracySource", a.point().source()));
    String md0 = EvaluateReport.markdown(ev, j) + AccuracyEnergy.markdown(accuracy, seq)
        + "\nPlots: energy-breakdown.png/svg, latency-vs-sequence.png/svg (prefill of N tokens; the same curve is the "
        + "decode step at context N without a KV cache).\n";
    String md = md0;
    if (logicArea.equals("yosys")) {
      md += logicAreaSection(ev, j);
    }
    List<AccuracyEnergy> plotted = accuracy.stream().filter(a -> a.error() == null).toList();
    String mdFinal = md;
    ObjectMapper mapper = new ObjectMapper();
    AtomicOutputDir.write(out, dir -> {
      EvaluatePlots.energyBreakdown(ev, dir);
      EvaluatePlots.latencyVsSequence(ev.hw().model().name(), curve, dir);
      if (!plotted.isEmpty()) {
        ParetoPlots.write("all-MiniLM-L6-v2: accuracy vs energy (prefill, " + seq + " tokens)", "energy (mJ)",
            "cosine vs float", plotted, a -> a.energyJoules() * 1e3, a -> -a.point().cosine(), true, dir,
            "accuracy-energy");
      }
      AtomicOutputDir.writeText(dir.resolve("evaluate.json"), mapper.writerWithDefaultPrettyPrinter().writeValueAsString(j) + "\n");
      AtomicOutputDir.writeText(dir.resolve("evaluate.md"), mdFinal);
      AtomicOutputDir.writeText(dir.resolve("tech.json"),
          mapper.writerWithDefaultPrettyPrinter().writeValueAsString(t.toJson()) + "\n");
    });
    var o = spec.commandLine().getOut();
    o.println("wrote " + out);
    o.printf(Locale.ROOT, "%s, %d tokens: prefill %s%.4g ms, %.4g mJ, %.4g tokens/s, %.4g TOPS/W; %d chip(s); macros %.4g mm^2"
            + " (scratchpad %.4g MiB per layer top, %.4g mm^2 in all)%n",
        ev.hw().model().name(), seq, ev.prefill().timing().exact() ? "" : "at least ", ev.prefillSeconds() * 1e3, ev.prefillJoules() * 1e3, seq / ev.prefillSeconds(),
        j.get("prefill").get("TOPSPerWatt").asDouble(), ev.chips(), j.get("area").get("macrosTotal_mm2").asDouble(),
        j.at("/scratchpad/perLayerTop_MiB").asDouble(), j.at("/scratchpad/areaWholeModel_mm2").asDouble());
    if (j.has("camAttention")) {
      o.println(CamReport.summaryLine(j.get("camAttention")));
    }
    if (ev.decode() != null) {
      o.printf(Locale.ROOT, "decode without KV cache (full recomputation at %d tokens): %.4g ms, %.4g mJ per token%n",
          seq + decode, ev.decodeSecondsPerToken() * 1e3, ev.decodeJoulesPerToken() * 1e3);
      var kv = j.get("kvCacheDecode");
      if (kv.has("notEvaluated")) {
        o.println("decode with the KV-cache controller: not evaluated: " + kv.get("notEvaluated").asText());
      } else {
        o.printf(Locale.ROOT, "decode with the KV-cache controller (%s, context %d): %.4g ms, %.4g mJ per token worst "
                + "case (%.4g mJ synthetic); external memory %.4g KiB per step worst case (%.4g synthetic)%n",
            kv.at("/controller/policy").asText(), seq + decode, kv.at("/worstCase/latencyPerToken_s").asDouble() * 1e3,
            kv.at("/worstCase/energyPerToken_J").asDouble() * 1e3, kv.at("/synthetic/energyPerToken_J").asDouble() * 1e3,
            kv.at("/worstCase/externalTrafficPerStepWholeModel_B").asDouble() / 1024,
            kv.at("/synthetic/externalTrafficPerStepWholeModel_B").asDouble() / 1024);
      }
    }
    return 0;
  }

  /** Yosys logic area of one layer top (cached), added to evaluate.json and as a section of evaluate.md. */
  private String logicAreaSection(ModelEvaluation ev, ObjectNode j) throws Exception {
    LogicArea a = LogicArea.of(ev.hw(), logicCache);
    ObjectNode area = (ObjectNode) j.get("area");
    area.put("logic", "Yosys synth (hierarchical, macros black-boxed), generic cells x Nangate 45 nm X1 areas");
    area.put("logicPerLayerTop_um2", a.totalUm2());
    area.put("logicTotal_mm2", a.totalUm2() * ev.layers() / 1e6);
    area.put("logicCellsPerLayerTop", a.cells());
    var per = area.putObject("logicPerModuleInstance_um2");
    a.perModuleUm2().forEach(per::put);
    StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%n## Logic area (Yosys, reported apart from the "
        + "macros)%n%n%d generic cells per layer top, %.4g mm^2 per layer top, %.4g mm^2 for %d layers (cell areas: "
        + "Nangate 45 nm X1 cells, see CellAreas; +-20 %%).%n%n| module (one instance) | um^2 |%n| --- | ---: |%n",
        a.cells(), a.totalUm2() / 1e6, a.totalUm2() * ev.layers() / 1e6, ev.layers()));
    a.perModuleUm2().forEach((k, v) -> b.append(String.format(Locale.ROOT, "| %s | %.4g |%n", k, v)));
    if (!a.unknownCells().isEmpty()) {
      b.append("\nCell types not in the table (charged as MUX2): ").append(a.unknownCells()).append('\n');
    }
    return b.toString();
  }
}
