package pimforge.cost;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import pimforge.kvcache.KvCacheLayout;

/**
 * The KV-cache part of evaluate.json ({@code kvCacheDecode}) and evaluate.md: cache bytes per token
 * and per layer with and without compression, external-memory traffic per decode step, the
 * controller's cycles per step under each policy, its energy and area, and the decode step with the
 * cache ({@link ModelEvaluation.KvDecode}).
 */
public final class KvCacheReport {
  private KvCacheReport() {}

  /** Bytes of one element in fp16, the uncompressed reference. */
  static final int FP16_BYTES = 2;

  public static ObjectNode json(ModelEvaluation ev) {
    ObjectNode r = new ObjectMapper().createObjectNode();
    ModelEvaluation.KvDecode kd = ev.kvDecode();
    int ctx = ev.seq() + ev.decodeTokens();
    r.put("contextTokens", ctx);
    if (kd.error() != null) {
      r.put("notEvaluated", kd.error());
      return r;
    }
    r.put("note", "decode step = one layer program for 1 token + per KV head the KV-cache controller (APPEND, and "
        + "SCORES + CONTEXT per query head) over the cache at the context; a sum of two exact parts, as the layer "
        + "top's decode program runs it (simulate --decode) without overlap between them. worstCase: no sparsity (every entry stored, every "
        + "probability non-zero); synthetic: the golden model on Gaussian K/V with per-channel outliers and the "
        + "plain softmax of its scores (not a real model's activations)");
    KvCacheLayout l = KvCacheLayout.of(ev.hw());
    int kvHeads = ev.hw().model().numKvHeads();
    long controllers = (long) kvHeads * ev.layers();
    ObjectNode lay = r.putObject("controller");
    lay.put("policy", ev.hw().kvCache().policy().name());
    lay.put("capacitySlots", l.capacity());
    lay.put("controllers", controllers);
    lay.put("keyRecordMaxBytes", l.keyRecordMaxBytes());
    lay.put("valueRecordMaxBytes", l.valueRecordMaxBytes());
    lay.put("externalMemoryBytesPerController", l.memoryBytes());
    lay.put("slotTableBits", l.slotTableBits());
    lay.put("fullPrecisionBufferBits", l.fullPrecisionBufferBits());
    lay.put("exponentTableBits", l.exponentTableBits());
    lay.put("sramAreaPerController_um2", KvCacheCost.areaUm2(l, ev.tech()));
    lay.put("sramAreaWholeModel_mm2", KvCacheCost.areaUm2(l, ev.tech()) * controllers / 1e6);
    ObjectNode bytes = r.putObject("cacheBytesPerTokenPerLayer");
    double fp16 = 2.0 * FP16_BYTES * ev.hw().model().kvDim();
    bytes.put("fp16", fp16);
    bytes.put("worstCase", (double) (l.keyRecordMaxBytes() + l.valueRecordMaxBytes()) * kvHeads);
    bytes.put("synthetic", kd.synthetic().bytesPerSealedToken() * kvHeads);
    ObjectNode budget = r.putObject("cacheBytesPerLayerAtBudget");
    budget.put("tokens", l.capacity());
    budget.put("fp16", fp16 * l.capacity());
    budget.put("worstCase", (double) (l.keyRecordMaxBytes() + l.valueRecordMaxBytes()) * kvHeads * l.capacity());
    budget.put("synthetic", kd.synthetic().bytesPerSealedToken() * kvHeads * l.capacity());
    ObjectNode one = r.putObject("oneTokenLayerProgram");
    one.put("cyclesPerLayer", kd.oneToken().cycles());
    one.put("energyPerLayer_pJ", kd.oneToken().energyPj());
    for (KvCacheCost c : new KvCacheCost[] {kd.worstCase(), kd.synthetic()}) {
      ObjectNode o = r.putObject(c.kind() == KvCacheCost.Kind.WORST_CASE ? "worstCase" : "synthetic");
      o.put("stepsMeasured", c.steps());
      o.put("queriesPerKvHead", c.queriesPerKvHead());
      o.put("occupancy", c.occupancy());
      o.put("refusedTokens", c.refused());
      o.put("storedFraction", c.storedFraction());
      o.put("cyclesPerStepPerController", c.cyclesPerStep());
      o.put("dramBytesReadPerStepPerController", c.dramBytesReadPerStep());
      o.put("dramBytesWrittenPerStepPerController", c.dramBytesWrittenPerStep());
      o.put("externalTrafficPerStepWholeModel_B", (c.dramBytesReadPerStep() + c.dramBytesWrittenPerStep()) * controllers);
      ObjectNode evs = o.putObject("eventsPerStepPerController");
      for (int i = 0; i < KvCacheCost.EVENT_NAMES.length; i++) {
        evs.put(KvCacheCost.EVENT_NAMES[i], c.events()[i]);
      }
      ObjectNode pj = o.putObject("energyByPartPerStepPerController_pJ");
      c.energyPjPerStep().forEach(pj::put);
      o.put("controllersEnergyPerStepWholeModel_J", c.energyPjTotalPerStep() * controllers * 1e-12);
      o.put("latencyPerToken_s", ev.kvDecodeSecondsPerToken(c));
      o.put("energyPerToken_J", ev.kvDecodeJoulesPerToken(c));
      o.put("tokensPerSecond", 1 / ev.kvDecodeSecondsPerToken(c));
    }
    ObjectNode pol = r.putObject("worstCaseCyclesPerStepByPolicy");
    kd.policies().forEach((k, c) -> pol.put(k, c.cyclesPerStep()));
    return r;
  }

  public static String markdown(ModelEvaluation ev, JsonNode j) {
    StringBuilder b = new StringBuilder("\n## Decode with the KV-cache controller\n\n");
    if (j.has("notEvaluated")) {
      return b.append("Not evaluated: ").append(j.get("notEvaluated").asText()).append("\n").toString();
    }
    JsonNode c = j.get("controller");
    b.append(f("A decode step at context %d = one layer program for the new token (%d cycles, %.4g nJ per layer; its "
            + "attention covers that token only) + per KV head the KV-cache controller (policy %s, %d slots; %d "
            + "controllers): APPEND, and SCORES + CONTEXT per query head, over the compressed cache. The sum of two "
            + "exact parts (cycles: KvCacheSchedule; bytes: the golden model's counters); the layer top has no decode "
            + "path wired to the controller yet. Worst case: no sparsity (every entry stored, every probability "
            + "non-zero). Synthetic: the golden model on Gaussian K/V (per-channel outliers) and the plain softmax of "
            + "its scores, measured on that data, not on a real model's.%n%n", j.get("contextTokens").asInt(),
        j.at("/oneTokenLayerProgram/cyclesPerLayer").asLong(), j.at("/oneTokenLayerProgram/energyPerLayer_pJ").asDouble()
            / 1000, c.get("policy").asText(), c.get("capacitySlots").asInt(), c.get("controllers").asLong()));
    b.append("| figure | worst case | synthetic |\n| --- | ---: | ---: |\n");
    JsonNode w = j.get("worstCase");
    JsonNode s = j.get("synthetic");
    row(b, "controller cycles per step", "%.1f", w, s, "cyclesPerStepPerController", 1);
    row(b, "external memory read per step, one controller (B)", "%.1f", w, s, "dramBytesReadPerStepPerController", 1);
    row(b, "external memory written per step, one controller (B)", "%.1f", w, s, "dramBytesWrittenPerStepPerController",
        1);
    row(b, "external traffic per step, whole model (KiB)", "%.4g", w, s, "externalTrafficPerStepWholeModel_B", 1 / 1024.0);
    row(b, "controllers' energy per step, whole model (uJ)", "%.4g", w, s, "controllersEnergyPerStepWholeModel_J", 1e6);
    row(b, "decode latency per token (ms)", "%.4g", w, s, "latencyPerToken_s", 1e3);
    row(b, "decode energy per token, cache included (mJ)", "%.4g", w, s, "energyPerToken_J", 1e3);
    row(b, "stored non-zero codes / entries sealed", "%.3f", w, s, "storedFraction", 1);
    JsonNode bt = j.get("cacheBytesPerTokenPerLayer");
    JsonNode bb = j.get("cacheBytesPerLayerAtBudget");
    double fp = bt.get("fp16").asDouble();
    double syn = bt.get("synthetic").asDouble();
    b.append(f("%n| KV-cache bytes | fp16 | compressed, worst case | compressed, synthetic |%n| --- | ---: | ---: | ---: |%n"
            + "| per token and layer | %.0f | %.0f (%.2fx) | %s |%n"
            + "| per layer at the budget (%d tokens) | %.4g MiB | %.4g MiB | %s |%n",
        fp, bt.get("worstCase").asDouble(), fp / bt.get("worstCase").asDouble(),
        Double.isNaN(syn) ? "n/a" : f("%.1f (%.2fx)", syn, fp / syn), bb.get("tokens").asInt(),
        bb.get("fp16").asDouble() / 1048576, bb.get("worstCase").asDouble() / 1048576,
        Double.isNaN(syn) ? "n/a" : f("%.4g MiB", bb.get("synthetic").asDouble() / 1048576)));
    b.append("\nCompressed bytes are whole 8-byte beats of the stored records (the newest tokens, up to "
        + "fullPrecisionTokens, wait unquantized in the on-chip buffer); synthetic: bytes written per sealed token over "
        + "the run (n/a: nothing sealed).\n\n| policy | controller cycles per decode "
        + "step (worst case) |\n| --- | ---: |\n");
    j.get("worstCaseCyclesPerStepByPolicy").fields().forEachRemaining(e -> b.append(f("| %s | %.1f |%n", e.getKey(),
        e.getValue().asDouble())));
    b.append("\n| energy part, one controller per step (pJ) | worst case | synthetic |\n| --- | ---: | ---: |\n");
    w.get("energyByPartPerStepPerController_pJ").fields().forEachRemaining(e -> b.append(f("| %s | %.4g | %.4g |%n",
        e.getKey(), e.getValue().asDouble(), s.at("/energyByPartPerStepPerController_pJ/" + e.getKey()).asDouble())));
    b.append(f("%nOn-chip storage per controller: slot table %d b, full-precision buffer %d b, exponent table %d b; as "
            + "SRAM cells (sramCellArea_um2PerBit) %.4g um^2 each, %.4g mm^2 for all %d controllers (not in the macro "
            + "total above). DRAM energy per byte: %s (dramEnergyModel).%n", c.get("slotTableBits").asLong(),
        c.get("fullPrecisionBufferBits").asLong(), c.get("exponentTableBits").asLong(),
        c.get("sramAreaPerController_um2").asDouble(), c.get("sramAreaWholeModel_mm2").asDouble(),
        c.get("controllers").asLong(), ev.tech().choice("dramEnergyModel")));
    if (w.get("refusedTokens").asLong() > 0) {
      b.append(f("%n**The FULL policy refuses %d tokens of this run** (budget %d < context %d): the hardware sets its "
          + "overflow bit; the figures are those of the full cache.%n", w.get("refusedTokens").asLong(),
          c.get("capacitySlots").asInt(), j.get("contextTokens").asInt()));
    }
    return b.toString();
  }

  private static void row(StringBuilder b, String name, String fmt, JsonNode w, JsonNode s, String key, double scale) {
    b.append(f("| %s | " + fmt + " | " + fmt + " |%n", name, w.get(key).asDouble() * scale, s.get(key).asDouble() * scale));
  }

  private static String f(String fmt, Object... args) {
    return String.format(Locale.ROOT, fmt, args);
  }
}
