package pimforge.cost;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import pimforge.layer.Engine;
import pimforge.layer.Event;

/**
 * evaluate.json (units in key names) and evaluate.md for one {@link ModelEvaluation}, with the ADC
 * energy spread over the three sources and the crossbar area under both cell-area sources.
 */
public final class EvaluateReport {
  private EvaluateReport() {}

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final double MIB = 1024.0 * 1024.0;
  /** The largest die a lithography scanner exposes in one field: 26 mm x 33 mm. */
  static final double RETICLE_MM2 = 26 * 33;

  public static ObjectNode json(ModelEvaluation ev) {
    ObjectNode r = MAPPER.createObjectNode();
    r.put("model", ev.hw().model().name());
    r.put("layers", ev.layers());
    r.put("seqTokens", ev.seq());
    r.put("decodeTokens", ev.decodeTokens());
    r.put("clockMHz", ev.hw().bank().clockMHz());
    r.put("attentionMaxSeqLen", ev.hw().attention().maxSeqLen());
    r.put("banksPerLayer", ev.banksPerLayer());
    r.put("banksPerChip", ev.hw().bank().banks());
    r.put("chips", ev.chips());
    ObjectNode pre = r.putObject("prefill");
    pre.put("cyclesPerLayer", ev.prefill().cycles());
    // kvCache.enabled: the prefill also appends every token to the KV caches, data-dependent in time
    pre.put("cyclesExact", ev.prefill().timing().exact());
    pre.put("latency_s", ev.prefillSeconds());
    pre.put("energy_J", ev.prefillJoules());
    pre.put("tokensPerSecond", ev.seq() / ev.prefillSeconds());
    pre.put("tokensPerJoule", ev.seq() / ev.prefillJoules());
    pre.put("nominalOps", ev.nominalOps(ev.seq()));
    pre.put("TOPS", ev.nominalOps(ev.seq()) / ev.prefillSeconds() / 1e12);
    pre.put("TOPSPerWatt", ev.nominalOps(ev.seq()) / ev.prefillJoules() / 1e12);
    pre.put("averagePower_W", ev.prefillJoules() / ev.prefillSeconds());
    pre.put("runtimeCrossbarWrites", ev.prefill().events().total(Event.XBAR_WRITES) * (long) ev.layers());
    pre.put("extraLatencyIfWritesTookCellProgramLatency_s", ev.runtimeWriteExtraSeconds());
    ObjectNode comp = pre.putObject("energyByComponent_J");
    ev.prefillJoulesByComponent().forEach(comp::put);
    ObjectNode unit = pre.putObject("energyByUnitPerLayer_pJ");
    EventCounts e = ev.prefill().events();
    EnergyModel em = EnergyModel.of(ev.hw(), ev.tech(), e.lanes(), e.elementBits());
    for (Engine u : Engine.values()) {
      unit.put(u.name(), em.totalPj(e.byEngine(u)));
    }
    ObjectNode stage = pre.putObject("energyByStagePerLayer_pJ");
    double[] byStage = new double[pimforge.layer.LayerStage.values().length];
    for (int i = 0; i < e.program().size(); i++) {
      byStage[e.program().get(i).stage().ordinal()] += em.totalPj(e.perInstruction().get(i));
    }
    for (pimforge.layer.LayerStage st : pimforge.layer.LayerStage.values()) {
      if (byStage[st.ordinal()] > 0) {
        stage.put(st.name(), byStage[st.ordinal()]);
      }
    }
    ObjectNode events = pre.putObject("eventsPerLayer");
    long[] tot = e.totals();
    for (Event x : Event.values()) {
      events.put(x.name(), tot[x.ordinal()]);
    }
    events.put("INSTRUCTIONS", e.instructions());
    if (ev.decode() != null) {
      ObjectNode dec = r.putObject("decodeWithoutKvCache");
      dec.put("note", "without the KV cache (kvCache.enabled off) each new token recomputes the "
          + "whole context of " + (ev.seq() + ev.decodeTokens()) + " tokens (kvCacheDecode: the step with the cache)");
      dec.put("contextTokens", ev.seq() + ev.decodeTokens());
      dec.put("cyclesPerLayer", ev.decode().cycles());
      dec.put("latencyPerToken_s", ev.decodeSecondsPerToken());
      dec.put("energyPerToken_J", ev.decodeJoulesPerToken());
      dec.put("tokensPerSecond", 1 / ev.decodeSecondsPerToken());
      r.set("kvCacheDecode", KvCacheReport.json(ev));
    }
    if (ev.hw().cam().enabled()) {
      r.set("camAttention", CamReport.json(ev.hw(), ev.tech()));
    }
    ObjectNode setup = r.putObject("setupOnce");
    setup.put("latency_s", ev.setupSeconds());
    setup.put("energy_J", ev.setupJoules());
    setup.put("cellsProgrammed", ev.setup().events().total(Event.CELLS_PROGRAMMED) * ev.layers());
    setup.put("programTimeAtCellLatency_s", ev.setup().events().total(Event.XBAR_WRITES) / ev.hw().crossbar().lanes()
        * ev.tech().get("cellProgramLatency_ns") * 1e-9 * ev.layers());
    ObjectNode area = r.putObject("area");
    ObjectNode macros = area.putObject("macros_um2");
    double sum = 0;
    for (Map.Entry<String, Double> m : ev.macroAreaUm2().entrySet()) {
      macros.put(m.getKey(), m.getValue());
      sum += m.getValue();
    }
    area.put("macrosTotal_mm2", sum / 1e6);
    area.put("logic", "not computed (pimforge evaluate --logic-area yosys)");
    ObjectNode sp = r.putObject("scratchpad");
    double spBits = AreaModel.scratchpadBits(ev.plan());
    double spAreaUm2 = ev.macroAreaUm2().get("scratchpad");
    sp.put("wordsPerLayerTop", ev.plan().scratchWords());
    sp.put("lanesPerWord", ev.plan().lanes());
    sp.put("elementBits", ev.plan().elementBits());
    sp.put("addressBits", 32 - Integer.numberOfLeadingZeros(Math.max(1, ev.plan().scratchWords() - 1)));
    sp.put("scoreBufferWordsPerLayerTop", pimforge.layer.ScratchLayout.of(ev.hw(), ev.plan()).scoreBufferWords(ev.hw()));
    sp.put("perLayerTop_MiB", spBits / 8 / MIB);
    sp.put("wholeModel_MiB", spBits * ev.layers() / 8 / MIB);
    sp.put("areaPerLayerTop_mm2", spAreaUm2 / ev.layers() / 1e6);
    sp.put("areaWholeModel_mm2", spAreaUm2 / 1e6);
    sp.put("macroAreaShare_ratio", spAreaUm2 / sum);
    sp.put("density_um2PerBit", ev.tech().get("bufferArea_um2PerBit"));
    sp.put("sramCellsAreaPerLayerTop_mm2", spBits * ev.tech().get("sramCellArea_um2PerBit") / 1e6);
    sp.put("prefillEnergy_J", ev.prefillJoulesByComponent().get("SCRATCHPAD"));
    ObjectNode spread = r.putObject("adcEnergySpreadPrefill_J");
    for (String model : TechTable.CHOICES.get("adcEnergyModel")) {
      spread.put(model, ModelEvaluationSpread.prefillJoules(ev, model));
    }
    var side = r.putArray("sideBySide");
    for (Baselines.Row row : Baselines.rows(ev)) {
      side.addObject().put("what", row.what()).put("published", row.published()).put("pimforge", row.pimforge())
          .put("ratio", row.ratio()).put("source", row.source());
    }
    r.set("tech", ev.tech().toJson());
    return r;
  }

  public static String markdown(ModelEvaluation ev, ObjectNode j) {
    StringBuilder b = new StringBuilder();
    var m = ev.hw().model();
    b.append("# pimforge evaluate: ").append(m.name()).append("\n\n");
    b.append(f("%d layers on %d layer tops of %d banks each (%d banks per chip: %d chip%s), clock %d MHz, "
            + "layer top sized for %d tokens (attention.maxSeqLen), %s attention.%n%n", ev.layers(), ev.layers(),
        ev.banksPerLayer(), ev.hw().bank().banks(), ev.chips(), ev.chips() == 1 ? "" : "s", ev.hw().bank().clockMHz(),
        ev.hw().attention().maxSeqLen(), ev.hw().attention().schedule()));
    b.append("Every figure comes from the exact layer program (LayerTiming cycles, EventCounts events) times the "
        + "technology table below. Embeddings, final norm and LM head are not on the layer top and not counted; "
        + "leakage is not modeled. Energies are per event, independent of the data (every row driven and every column "
        + "digitized at every step): CiMLoop found such fixed-energy models 28 % (mean) / 70 % (max) off "
        + "data-dependent ones.\n\n");
    if (m.family() == pimforge.params.ModelShape.Family.DECODER) {
      b.append("Decoder model: causal attention (the softmax masks later keys), but the layer program still computes and "
          + "streams every score of the N x N matrix, so the masked half costs cycles and energy like the rest.\n\n");
    }
    var pre = j.get("prefill");
    b.append("## Prefill, ").append(ev.seq()).append(" tokens\n\n| figure | value |\n| --- | ---: |\n");
    b.append(f("| cycles per layer | %d%s |%n", ev.prefill().cycles(),
        ev.prefill().timing().exact() ? "" : " (at least: the KV-cache appends take data-dependent time)"));
    b.append(f("| latency | %.4g ms |%n", ev.prefillSeconds() * 1e3));
    b.append(f("| energy | %.4g mJ |%n", ev.prefillJoules() * 1e3));
    b.append(f("| throughput | %.4g tokens/s |%n", pre.get("tokensPerSecond").asDouble()));
    b.append(f("| efficiency | %.4g tokens/J, %.4g TOPS/W (nominal model ops) |%n", pre.get("tokensPerJoule").asDouble(),
        pre.get("TOPSPerWatt").asDouble()));
    b.append(f("| average power | %.4g W |%n", pre.get("averagePower_W").asDouble()));
    b.append(f("| runtime crossbar writes (weights) | %d |%n%n", pre.get("runtimeCrossbarWrites").asLong()));
    b.append(f("The RTL writes a runtime weight beat (GATHER_WEIGHTS) per cycle; if each took the cell program latency "
        + "(%.0f ns) the prefill could take up to %.4g ms longer (writes on the critical path).%n%n",
        ev.tech().get("cellProgramLatency_ns"), ev.runtimeWriteExtraSeconds() * 1e3));
    b.append("### Energy by component (whole model)\n\n| component | mJ | share |\n| --- | ---: | ---: |\n");
    double tot = ev.prefillJoules();
    ev.prefillJoulesByComponent().forEach((k, v) -> b.append(f("| %s | %.4g | %.1f %% |%n", k, v * 1e3, 100 * v / tot)));
    b.append("\n### Energy by unit (one layer)\n\n| unit | nJ |\n| --- | ---: |\n");
    pre.get("energyByUnitPerLayer_pJ").fields().forEachRemaining(x -> b.append(f("| %s | %.4g |%n", x.getKey(),
        x.getValue().asDouble() / 1000)));
    b.append("\n### Energy and cycles by stage (one layer; stages overlap in the head pipeline)\n\n"
        + "| stage | nJ | busy cycles |\n| --- | ---: | ---: |\n");
    pre.get("energyByStagePerLayer_pJ").fields().forEachRemaining(x -> b.append(f("| %s | %.4g | %d |%n", x.getKey(),
        x.getValue().asDouble() / 1000, ev.prefill().timing().stage(pimforge.layer.LayerStage.valueOf(x.getKey())))));
    b.append("\n### ADC energy: the sources disagree (prefill energy of the whole model)\n\n"
        + "| ADC model | energy per conversion at " + ev.hw().precision().adcBits() + " b | prefill mJ |\n| --- | ---: | ---: |\n");
    for (String a : TechTable.CHOICES.get("adcEnergyModel")) {
      b.append(f("| %s%s | %.4g pJ | %.4g |%n", a, a.equals(ev.tech().choice("adcEnergyModel")) ? " (used)" : "",
          AdcCosts.energyPj(ev.tech(), a, ev.hw().precision().adcBits()), j.get("adcEnergySpreadPrefill_J").get(a).asDouble() * 1e3));
    }
    if (ev.decode() != null) {
      b.append("\n## Decode without a KV cache\n\nWithout the KV cache (kvCache.enabled off) the layer top "
          + "computes each new token by recomputing the whole context. The figures below are exactly that, at "
          + "the last step's context of " + (ev.seq() + ev.decodeTokens()) + " tokens (earlier steps are shorter).\n\n");
      b.append(f("| per token latency | %.4g ms |%n| per token energy | %.4g mJ |%n| tokens/s | %.4g |%n",
          ev.decodeSecondsPerToken() * 1e3, ev.decodeJoulesPerToken() * 1e3, 1 / ev.decodeSecondsPerToken()));
      b.append(KvCacheReport.markdown(ev, j.get("kvCacheDecode")));
    }
    if (j.has("camAttention")) {
      b.append(CamReport.markdown(j.get("camAttention")));
    }
    var s = j.get("setupOnce");
    b.append(f("%n## Weight programming (once)%n%n%d cells programmed, %.4g mJ; %.4g ms at the RTL's one beat per cycle, "
            + "%.4g ms at the cell program latency (%.0f ns per %d-weight beat).%n", s.get("cellsProgrammed").asLong(),
        s.get("energy_J").asDouble() * 1e3, s.get("latency_s").asDouble() * 1e3,
        s.get("programTimeAtCellLatency_s").asDouble() * 1e3, ev.tech().get("cellProgramLatency_ns"), ev.hw().crossbar().lanes()));
    double readNs = ev.tech().get("cellReadLatency_ns");
    if (1000.0 / ev.hw().bank().clockMHz() < readNs) {
      b.append(f("%n**Note:** the clock period (%.3g ns) is shorter than the cell read latency (%.3g ns); the latencies "
          + "above assume one crossbar read per cycle.%n", 1000.0 / ev.hw().bank().clockMHz(), readNs));
    }
    b.append("\n## Area (macros, analytic; logic from Yosys only with --logic-area yosys)\n\n| macro | mm^2 |\n| --- | ---: |\n");
    ev.macroAreaUm2().forEach((k, v) -> b.append(f("| %s | %.4g |%n", k, v / 1e6)));
    b.append(f("| **total** | %.4g |%n", j.get("area").get("macrosTotal_mm2").asDouble()));
    b.append(f("%nCrossbar cell area under the other source: %s. The sources differ ~1000x (REFERENCE.md s.5).%n",
        ModelEvaluationSpread.cellAreaOther(ev)));
    b.append(scratchpadSection(ev, j.get("scratchpad")));
    b.append("\n## Side by side (each row with its source)\n\n| what | published | pimforge | ratio | source / caveat |\n"
        + "| --- | --- | --- | --- | --- |\n");
    for (var x : j.get("sideBySide")) {
      b.append(f("| %s | %s | %s | %s | %s |%n", x.get("what").asText(), x.get("published").asText(),
          x.get("pimforge").asText(), x.get("ratio").asText(), x.get("source").asText()));
    }
    b.append("\n## Technology table (choices and constants, each with its source)\n\n| key | value | source |\n"
        + "| --- | --- | --- |\n");
    ev.tech().choices().forEach((k, v) -> b.append(f("| %s | %s | %s |%n", k, v.value(), v.source())));
    ev.tech().constants().forEach((k, v) -> b.append(f("| %s | %s | %s |%n", k, v.value(), v.source())));
    return b.toString();
  }

  /** How big the on-chip scratchpad is, what it costs, and what would shrink it. */
  static String scratchpadSection(ModelEvaluation ev, com.fasterxml.jackson.databind.JsonNode sp) {
    StringBuilder b = new StringBuilder("\n## Scratchpad (on-chip data memory of each layer top)\n\n| figure | value |\n"
        + "| --- | ---: |\n");
    b.append(f("| words per layer top | %d (%d address bits; %d x %d-bit elements per word) |%n",
        sp.get("wordsPerLayerTop").asLong(), sp.get("addressBits").asInt(), sp.get("lanesPerWord").asInt(),
        sp.get("elementBits").asInt()));
    b.append(f("| size per layer top | %.4g MiB |%n", sp.get("perLayerTop_MiB").asDouble()));
    b.append(f("| size, whole model (%d layer tops) | %.4g MiB |%n", ev.layers(), sp.get("wholeModel_MiB").asDouble()));
    b.append(f("| of which score/probability rows (%d heads in flight x %d x %d) | %d words per layer top (%.1f %%) |%n",
        ev.hw().attention().headPipelineDepth(), ev.hw().attention().maxSeqLen(), ev.hw().attention().maxSeqLen(),
        sp.get("scoreBufferWordsPerLayerTop").asLong(),
        100.0 * sp.get("scoreBufferWordsPerLayerTop").asDouble() / sp.get("wordsPerLayerTop").asDouble()));
    b.append(f("| area per layer top | %.4g mm^2 |%n", sp.get("areaPerLayerTop_mm2").asDouble()));
    b.append(f("| area, whole model | %.4g mm^2 (%.1f %% of the macro area) |%n", sp.get("areaWholeModel_mm2").asDouble(),
        100 * sp.get("macroAreaShare_ratio").asDouble()));
    b.append(f("| prefill energy (reads and writes) | %.4g mJ |%n", sp.get("prefillEnergy_J").asDouble() * 1e3));
    b.append(f("%nArea at the table's on-chip buffer density (bufferArea_um2PerBit = %.3g um^2 per bit, ISAAC's eDRAM); "
        + "as SRAM, its 6T cells alone (sramCellArea_um2PerBit = %.4g um^2, CACTI's 146 F^2 at 32 nm, no periphery) "
        + "take %.4g mm^2 per layer top. The layer top keeps every activation of all %d tokens on chip (linear in the "
        + "tokens) and the score and probability rows of the heads in flight (quadratic). ",
        sp.get("density_um2PerBit").asDouble(), ev.tech().get("sramCellArea_um2PerBit"),
        sp.get("sramCellsAreaPerLayerTop_mm2").asDouble(), ev.hw().attention().maxSeqLen()));
    double[] largest = {0};
    String[] largestName = {""};
    ev.macroAreaUm2().forEach((k, v) -> {
      if (v > largest[0]) {
        largest[0] = v;
        largestName[0] = k;
      }
    });
    if (largestName[0].equals("scratchpad")) {
      b.append(f("The scratchpad is the largest macro here (%.1f %% of the macro area). ",
          100 * sp.get("macroAreaShare_ratio").asDouble()));
    }
    double perTop = sp.get("areaPerLayerTop_mm2").asDouble();
    if (perTop > RETICLE_MM2) {
      b.append(f("**One layer top's scratchpad alone (%.4g MiB, %.4g mm^2) is larger than the 26 x 33 mm lithography "
          + "field (%.0f mm^2) that bounds one die: no real chip holds it, and the latency and energy figures assume "
          + "it exists.** ", sp.get("perLayerTop_MiB").asDouble(), perTop, RETICLE_MM2));
    }
    b.append("What would shrink it is chunked prefill with the KV cache in external memory (issue 9, the KV-cache "
        + "controller): a chunk of C tokens needs only C tokens' activations and C score rows on chip, with K and V "
        + "streamed from DRAM, whose traffic then joins the energy table.\n");
    return b.toString();
  }

  private static String f(String fmt, Object... args) {
    return String.format(Locale.ROOT, fmt, args);
  }
}
