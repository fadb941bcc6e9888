package pimforge.cost;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import pimforge.params.HwParams;

/**
 * The CAM attention part of evaluate.json ({@code camAttention}) and evaluate.md, for a design with
 * {@code cam.enabled}: one query (one head) against the attention.maxSeqLen keys, cycles by stage
 * ({@link pimforge.golden.cam.CamSchedule}) and energy by module ({@link CamCost}) beside
 * CAMformer's 721 cycles and 54.92 nJ.
 */
public final class CamReport {
  private CamReport() {}

  public static ObjectNode json(HwParams p, TechTable t) {
    CamCost c = CamCost.of(p, t);
    ObjectNode r = new ObjectMapper().createObjectNode();
    r.put("note", "one query (one head) against the N keys resident in the CAM attention unit (not in the layer top: "
        + "the prefill and decode figures above are the dense attention's); energies from the cam* constants of the "
        + "technology table (CAMformer's per-module shares at its point, REFERENCE.md s.5), no DRAM (keys and V rows "
        + "resident, written once per key)");
    r.put("keys", p.camDerived().keys());
    r.put("headDim", p.camDerived().headDim());
    r.put("topK", p.cam().topK());
    r.put("rowsPerTile", p.cam().rowsPerTile());
    r.put("matchAdcBits", p.cam().matchAdcBits());
    r.put("rescore", p.cam().rescore());
    ObjectNode cy = r.putObject("cyclesPerAttention");
    cy.put("association", c.cycles().association());
    cy.put("rescoring", c.cycles().rescoring());
    cy.put("normalization", c.cycles().normalization());
    cy.put("contextualization", c.cycles().contextualization());
    cy.put("output", c.cycles().output());
    cy.put("total", c.cycles().total());
    ObjectNode ev = r.putObject("eventsPerAttention");
    c.query().forEach(ev::put);
    ObjectNode pj = r.putObject("energyByModulePerAttention_pJ");
    c.queryPj().forEach(pj::put);
    r.put("energyPerAttention_nJ", c.queryPjTotal() / 1000);
    r.put("writeCyclesPerKey", c.writeCycles());
    ObjectNode wev = r.putObject("eventsPerKeyWritten");
    c.write().forEach(wev::put);
    ObjectNode wpj = r.putObject("energyByModulePerKeyWritten_pJ");
    c.writePj().forEach(wpj::put);
    r.put("energyPerKeyWritten_nJ", c.writePjTotal() / 1000);
    r.put("energyPerAttentionAllKeysRewritten_nJ", (c.queryPjTotal() + c.writePjTotal() * p.camDerived().keys()) / 1000);
    ObjectNode bits = r.putObject("onChipBits");
    bits.put("cam", c.camBits());
    bits.put("valueMemory", c.valueBits());
    bits.put("keyMemory", c.keyMemoryBits());
    r.put("memoriesSramCellArea_um2", c.sramAreaUm2());
    r.put("matchAdcs", c.matchAdcs());
    r.put("matchAdcArea_um2", c.adcAreaUm2());
    ObjectNode cf = r.putObject("camformer");
    cf.put("energyPerAttention_nJ", CamCost.CAMFORMER_NJ);
    cf.put("onChip_nJ", CamCost.CAMFORMER_ON_CHIP_NJ);
    cf.put("dram_nJ", CamCost.CAMFORMER_DRAM_NJ);
    cf.put("cycles", CamCost.CAMFORMER_CYCLES);
    ObjectNode cfm = cf.putObject("energyByModule_nJ");
    CamCost.CAMFORMER_MODULES_NJ.forEach(cfm::put);
    cf.put("source", "CAMformer public model at N = 1024, d = 64, k = 32, 16 x 64 tiles, 6-bit ADC, 45 nm, 1 GHz "
        + "(REFERENCE.md s.3, s.5)");
    r.put("energyRatioToCamformer", c.queryPjTotal() / 1000 / CamCost.CAMFORMER_NJ);
    r.put("energyRatioToCamformerOnChip", c.queryPjTotal() / 1000 / CamCost.CAMFORMER_ON_CHIP_NJ);
    r.put("cyclesRatioToCamformer", c.cycles().total() / (double) CamCost.CAMFORMER_CYCLES);
    return r;
  }

  /** The line printed by evaluate and written in evaluate.md beside CAMformer's figures. */
  public static String summaryLine(JsonNode j) {
    return f("CAM attention, one query against %d keys: %d cycles, %.4g nJ (%.3gx CAMformer's %d cycles, %.3gx its "
            + "%.2f nJ; %.3gx its %.1f nJ on chip); writing one key %.4g nJ",
        j.get("keys").asInt(), j.at("/cyclesPerAttention/total").asLong(), j.get("energyPerAttention_nJ").asDouble(),
        j.get("cyclesRatioToCamformer").asDouble(), CamCost.CAMFORMER_CYCLES, j.get("energyRatioToCamformer").asDouble(),
        CamCost.CAMFORMER_NJ, j.get("energyRatioToCamformerOnChip").asDouble(), CamCost.CAMFORMER_ON_CHIP_NJ,
        j.get("energyPerKeyWritten_nJ").asDouble());
  }

  public static String markdown(JsonNode j) {
    StringBuilder b = new StringBuilder("\n## CAM attention unit (one query, one head)\n\n");
    b.append(f("N = %d resident keys, d = %d, top-%d, tiles of %d rows, %d-bit match ADC%s. Every head's "
            + "attention runs in the layer top's CAM units: the prefill and decode figures above charge each query "
            + "and key write at these figures (component CAM; the packets as scratchpad words). Cycles: the unit's exact schedule "
            + "(CamSchedule). Energy: counts x the technology table's cam* constants, derived from CAMformer's "
            + "per-module shares at its point (N = 1024, d = 64, k = 32), so there the differences come from the "
            + "counts; no DRAM: keys and V rows stay in the unit and are written once per key.%n%n",
        j.get("keys").asInt(), j.get("headDim").asInt(), j.get("topK").asInt(), j.get("rowsPerTile").asInt(),
        j.get("matchAdcBits").asInt(), j.get("rescore").asBoolean() ? ", re-scoring" : ""));
    b.append(summaryLine(j)).append(".\n\n| stage | cycles |\n| --- | ---: |\n");
    j.get("cyclesPerAttention").fields().forEachRemaining(e -> b.append(f("| %s | %d |%n", e.getKey(),
        e.getValue().asLong())));
    b.append("\n| module | pimforge nJ per attention | CAMformer nJ (at its point) |\n| --- | ---: | ---: |\n");
    JsonNode cfm = j.at("/camformer/energyByModule_nJ");
    j.get("energyByModulePerAttention_pJ").fields().forEachRemaining(e -> b.append(f("| %s | %.4g | %s |%n",
        e.getKey(), e.getValue().asDouble() / 1000, cfm.has(e.getKey()) ? f("%.1f", cfm.get(e.getKey()).asDouble()) : "-")));
    b.append(f("| DRAM | 0 | %.1f |%n| **total** | %.4g | %.2f |%n", CamCost.CAMFORMER_DRAM_NJ,
        j.get("energyPerAttention_nJ").asDouble(), CamCost.CAMFORMER_NJ));
    b.append("\nCAMformer's CAM_SEARCH (BA-CAM, 4.2) and KEY_SRAM (7.3) include reprogramming all N keys every attention; "
        + "pimforge's keys are resident (KEY_SRAM here: the full-precision keys re-scoring reads).\n");
    b.append(f("%nWriting one key (CAM row, V row%s): %d cycles, %.4g nJ; if all %d keys were rewritten for every "
            + "attention, as CAMformer's association does: %.4g nJ per attention. On chip: %d CAM cells, %d V bits, "
            + "%d key-memory bits (%.4g mm^2 of SRAM cells for V and keys, no periphery), %d match-line ADCs "
            + "(%.4g mm^2, ISAAC); CAM cell and logic area not modeled.%n",
        j.get("rescore").asBoolean() ? ", full-precision key row" : "", j.get("writeCyclesPerKey").asLong(),
        j.get("energyPerKeyWritten_nJ").asDouble(), j.get("keys").asInt(),
        j.get("energyPerAttentionAllKeysRewritten_nJ").asDouble(), j.at("/onChipBits/cam").asLong(),
        j.at("/onChipBits/valueMemory").asLong(), j.at("/onChipBits/keyMemory").asLong(),
        j.get("memoriesSramCellArea_um2").asDouble() / 1e6, j.get("matchAdcs").asInt(),
        j.get("matchAdcArea_um2").asDouble() / 1e6));
    return b.toString();
  }

  private static String f(String fmt, Object... args) {
    return String.format(Locale.ROOT, fmt, args);
  }
}
