package pimforge.cost;

import java.util.LinkedHashMap;
import java.util.Map;
import pimforge.kvcache.KvCacheLayout;
import pimforge.layer.Event;
import pimforge.layer.LayerCompiler;
import pimforge.layer.LayerPlan;
import pimforge.params.AttentionParams;
import pimforge.params.HwParams;
import pimforge.params.KvCacheParams;
import pimforge.params.ModelShape;
import pimforge.params.ParamError;

/**
 * The whole model on pimforge hardware: every layer on its own layer top (weights stationary), the
 * layers one after another for one sequence. Figures come from the exact layer programs the layer
 * compiler emits ({@link LayerCompiler#programs}: programs, cycles and events do not depend on the
 * weight values), never from a re-derived formula; a model the layer compiler refuses is refused here.
 *
 * <p>The evaluated hardware is the configured record with attention.maxSeqLen = seq + decode (the
 * layer top sized for the longest context it runs). Without a KV cache (not in hardware yet) the
 * layer top computes a new token by recomputing the whole context: decode per token at context C is
 * exactly one layer program of C tokens per layer. Embeddings, the final norm and the LM head are
 * not on the layer top and not counted.
 *
 * @param hw the evaluated record
 * @param seq prefill tokens
 * @param decodeTokens tokens generated after the prefill (0: none)
 * @param prefill one layer's program at seq tokens
 * @param decode one layer's program at seq + decodeTokens tokens (the last decode step), or null
 * @param setup one layer's setup program (static weights into the crossbars, parameters), run once
 * @param banksPerLayer banks of one layer top (static and runtime)
 * @param chips chips of bank.banks banks holding all layers' banks
 * @param kvDecode the decode step with the KV-cache controller (null without decode tokens)
 */
public record ModelEvaluation(HwParams hw, TechTable tech, int seq, int decodeTokens, LayerCost prefill,
    LayerCost decode, LayerCost setup, LayerPlan plan, int banksPerLayer, long chips, KvDecode kvDecode) {

  /**
   * A decode step with the KV cache, as the sum of two exact parts (the layer top's decode program,
   * LayerCompiler.compileDecode, runs the same work; its KV instructions' cycles are data-dependent,
   * so they come from the controller's exact schedule instead of LayerTiming): one layer's program for a
   * single token (the new token's projections and FFN; its attention covers that token only) and,
   * per KV head, the KV-cache controller's APPEND, SCORES and CONTEXT over the cache at context
   * seq + decode ({@link KvCacheCost}, worst case and synthetic). Latency per layer: the 1-token
   * program plus the controller's cycles (one controller per KV head, in parallel; no overlap with
   * the layer program assumed).
   *
   * @param policies the controller's worst-case cycles per decode step under each policy (the
   *     configured record with that policy; absent where the record is not valid for it)
   * @param error why nothing else was evaluated (the kvCache section does not fit the model), or null
   */
  public record KvDecode(LayerCost oneToken, KvCacheCost worstCase, KvCacheCost synthetic,
      Map<String, KvCacheCost> policies, String error) {}

  public static ModelEvaluation of(HwParams configured, TechTable tech, int seq, int decodeTokens) {
    ModelShape m = configured.model();
    if (seq < 1) {
      throw new ParamError("--seq", "is " + seq + ", allowed 1.." + m.maxPositions() + " (model.maxPositions)");
    }
    if (decodeTokens < 0 || (long) seq + decodeTokens > m.maxPositions()) {
      throw new ParamError("--decode", "is " + decodeTokens + ", allowed 0.." + (m.maxPositions() - seq)
          + " (seq + decode <= model.maxPositions " + m.maxPositions() + ")");
    }
    int ctx = seq + decodeTokens;
    HwParams p;
    try {
      p = configured.withAttention(new AttentionParams(ctx, configured.attention().schedule(),
          configured.attention().headPipelineDepth()));
    } catch (ParamError e) {
      // the CAM's key capacity follows attention.maxSeqLen, which evaluate sets from --seq and --decode
      if (!e.field().startsWith("cam.")) {
        throw e;
      }
      throw new ParamError(e.field(), e.getMessage().substring(e.field().length() + 2)
          + "; evaluate sets attention.maxSeqLen = --seq + --decode = " + ctx);
    }
    pimforge.layer.LayerSupport.require(p); // block features the layer top does not compute
    LayerPlan plan = LayerPlan.of(p); // ParamError when the layer top does not fit (e.g. scratchpad)
    LayerCompiler.Programs pre = LayerCompiler.programs(p, seq);
    LayerCost prefill = LayerCost.of(p, tech, pre.layer());
    LayerCost setup = LayerCost.of(p, tech, pre.setup());
    LayerCost decode = decodeTokens == 0 ? null : LayerCost.of(p, tech, LayerCompiler.programs(p, ctx).layer());
    int banks = plan.banks().size();
    long chips = ((long) banks * m.numLayers() + p.bank().banks() - 1) / p.bank().banks();
    KvDecode kv = decodeTokens == 0 ? null : kvDecode(p, tech, ctx);
    return new ModelEvaluation(p, tech, seq, decodeTokens, prefill, decode, setup, plan, banks, chips, kv);
  }

  private static KvDecode kvDecode(HwParams p, TechTable tech, int ctx) {
    try {
      KvCacheLayout.of(p);
    } catch (ParamError e) {
      return new KvDecode(null, null, null, Map.of(), e.getMessage());
    }
    LayerCost one = LayerCost.of(p, tech, LayerCompiler.programs(p, 1).layer());
    Map<String, KvCacheCost> policies = new LinkedHashMap<>();
    KvCacheCost worst = null;
    for (KvCacheParams.Policy policy : KvCacheParams.Policy.values()) {
      KvCacheParams k = p.kvCache();
      HwParams q;
      try {
        q = policy == k.policy() ? p : p.withKvCache(new KvCacheParams(policy, k.budgetTokens(), k.sinkTokens(),
            k.windowTokens(), k.keyBits(), k.valueBits(), k.groupSize(), k.pruneThreshold(), k.fullPrecisionTokens()));
      } catch (ParamError e) {
        continue;
      }
      KvCacheCost c = KvCacheCost.of(q, tech, ctx, KvCacheCost.Kind.WORST_CASE);
      policies.put(policy.name(), c);
      if (policy == k.policy()) {
        worst = c;
      }
    }
    return new KvDecode(one, worst, KvCacheCost.of(p, tech, ctx, KvCacheCost.Kind.SYNTHETIC), policies, null);
  }

  /** Latency of a decode step with the KV cache (s): per layer the 1-token program and the controller. */
  public double kvDecodeSecondsPerToken(KvCacheCost c) {
    return layers() * (kvDecode.oneToken().cycles() + c.cyclesPerStep()) / clockHz();
  }

  /** Energy of a decode step with the KV cache (J): per layer the 1-token program and one controller per KV head. */
  public double kvDecodeJoulesPerToken(KvCacheCost c) {
    return layers() * (kvDecode.oneToken().energyPj() + hw.model().numKvHeads() * c.energyPjTotalPerStep()) * 1e-12
        + interChipJoules(1);
  }

  public double clockHz() {
    return hw.bank().clockMHz() * 1e6;
  }

  public int layers() {
    return hw.model().numLayers();
  }

  /** Prefill latency of the whole model (s): every layer's program, one after another. */
  public double prefillSeconds() {
    return layers() * prefill.cycles() / clockHz();
  }

  /** Prefill energy of the whole model (J), layer tops only. */
  public double prefillJoules() {
    return layers() * prefill.energyPj() * 1e-12 + interChipJoules(seq);
  }

  /** Latency of one decode step at context seq + decodeTokens (s), by full-context recomputation. */
  public double decodeSecondsPerToken() {
    return layers() * decode.cycles() / clockHz();
  }

  public double decodeJoulesPerToken() {
    return layers() * decode.energyPj() * 1e-12 + interChipJoules(seq + decodeTokens);
  }

  /**
   * Extra prefill latency (s) if every runtime crossbar write beat (GATHER_WEIGHTS) took the cell
   * program latency instead of the RTL's one cycle: a bound on what the RTL's write timing leaves out
   * (upper bound: it assumes the writes lie on the critical path).
   */
  public double runtimeWriteExtraSeconds() {
    double beats = (double) prefill.events().total(Event.XBAR_WRITES) / hw.crossbar().lanes();
    double extra = Math.max(0, tech.get("cellProgramLatency_ns") * 1e-9 - 1 / clockHz());
    return layers() * beats * extra;
  }

  /** One-time weight programming of all layers: cycles and energy (J). */
  public double setupSeconds() {
    return layers() * setup.cycles() / clockHz();
  }

  public double setupJoules() {
    return layers() * setup.energyPj() * 1e-12;
  }

  /**
   * Activations crossing chip boundaries (chips - 1 crossings of tokens x hidden elements), charged
   * as one DRAM write and one read per byte (a stand-in for a chip-to-chip link; pJ from the table).
   */
  public double interChipJoules(int tokens) {
    if (chips <= 1) {
      return 0;
    }
    double bytes = (chips - 1) * (double) tokens * hw.model().hiddenSize() * prefill.events().elementBits() / 8;
    return bytes * dramPjPerByteReadWrite() * 1e-12;
  }

  /** DRAM energy of writing and reading one byte (pJ) under the table's choice. */
  public double dramPjPerByteReadWrite() {
    return tech.choice("dramEnergyModel").equals("camformerPaper") ? 2 * tech.get("dramPaper_pJPerByte")
        : tech.get("dramReadSst_pJPerByte") + tech.get("dramWriteSst_pJPerByte");
  }

  /**
   * Nominal operations of the model's layers for {@code tokens} tokens (2 per multiply-accumulate):
   * Q, K, V, O and FFN projections, plus Q K^T and P V over all tokens. The usual numerator of TOPS/W;
   * the executed crossbar work (padding, decomposed attention) is in the event counts.
   */
  public double nominalOps(int tokens) {
    ModelShape m = hw.model();
    double h = m.hiddenSize();
    double proj = h * (h + 2.0 * m.kvDim() + h) + 2.0 * h * m.ffnSize();
    double attn = 2.0 * tokens * m.numHeads() * m.headDim();
    return 2.0 * layers() * tokens * (proj + attn);
  }

  /** Energy per component of the whole model's prefill (J). */
  public Map<String, Double> prefillJoulesByComponent() {
    EventCounts ev = prefill.events();
    EnergyModel em = EnergyModel.of(hw, tech, ev.lanes(), ev.elementBits());
    Map<String, Double> out = new LinkedHashMap<>();
    em.byComponentPj(ev.totals()).forEach((c, pj) -> out.put(c.name(), layers() * pj * 1e-12));
    out.put("INTER_CHIP", interChipJoules(seq));
    return out;
  }

  /** Macro area of all layer tops (um^2) per component. */
  public Map<String, Double> macroAreaUm2() {
    Map<String, Double> out = new LinkedHashMap<>();
    AreaModel.macrosUm2(hw, plan, tech).forEach((k, v) -> out.put(k, v * layers()));
    return out;
  }
}
