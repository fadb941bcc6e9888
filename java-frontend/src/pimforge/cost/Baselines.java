package pimforge.cost;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import pimforge.layer.Instruction;
import pimforge.layer.LayerStage;
import pimforge.layer.LayerTiming;
import pimforge.model.ModelPresets;
import pimforge.params.ModelShape;
import pimforge.params.ParamError;

/**
 * Published figures to set beside pimforge's model (REFERENCE.md section 5 and the papers' headline
 * figures), and the comparison rows for one {@link ModelEvaluation}. Every GPU row compares at the
 * published figure's own sequence length: pimforge is evaluated again at that length (same
 * hardware, layer top sized for it) unless --seq already is that length. GPU energy, where a ratio
 * needs it, is latency x 400 W (A100-SXM board power limit, NVIDIA A100 datasheet): an upper bound
 * that favours pimforge, stated in every such row.
 */
public final class Baselines {
  private Baselines() {}

  /** One comparison row: what, the published figure, pimforge's figure, the ratio, and its source/caveat. */
  public record Row(String what, String published, String pimforge, String ratio, String source) {}

  /** A100 board power used to turn a latency into energy (W); NVIDIA A100 datasheet (SXM, 400 W). */
  public static final double A100_WATTS = 400;

  /**
   * A published GPU latency: the preset whose layer shapes it was measured on, the workload, tokens,
   * the figure (ms; per token for decode) and an alternative precision's figure (ms, or NaN).
   */
  record GpuFigure(String preset, String workload, int tokens, double ms, double altMs, String setting,
      String source) {}

  static final String TENSORRT_BERT = "REFERENCE.md s.5: TensorRT on A100-40GB, batch 1";
  static final String TENSORRT_LLM = "REFERENCE.md s.5: TensorRT-LLM 0.5 on A100, FP16, batch 1, LLaMA-7B (the"
      + " layer shapes of Llama-2-7B: hidden 4096, 32 layers, FFN 11008)";
  static final String LMDEPLOY = "REFERENCE.md s.5: lmdeploy on A100-80GB, FP16, batch 1 (context length not given)";

  /** The strongest published figures for each workload (REFERENCE.md section 5). */
  static final List<GpuFigure> GPU = List.of(
      new GpuFigure("bert-base", "prefill", 128, 0.58, 0.67, "TensorRT INT8; FP16 %.2f ms", TENSORRT_BERT),
      new GpuFigure("bert-base", "prefill", 384, 1.15, 1.31, "TensorRT INT8; FP16 %.2f ms", TENSORRT_BERT),
      new GpuFigure("bert-large", "prefill", 128, 1.25, 1.64, "TensorRT INT8; FP16 %.2f ms", TENSORRT_BERT),
      new GpuFigure("bert-large", "prefill", 384, 2.81, 3.12, "TensorRT INT8; FP16 %.2f ms", TENSORRT_BERT),
      new GpuFigure("llama2-7b", "first token", 128, 16, Double.NaN, "TensorRT-LLM FP16", TENSORRT_LLM),
      new GpuFigure("llama2-7b", "first token", 2048, 133, Double.NaN, "TensorRT-LLM FP16", TENSORRT_LLM),
      new GpuFigure("llama2-7b", "decode", 0, 10, Double.NaN, "lmdeploy FP16, about 100 tokens/s (9-11 ms)",
          LMDEPLOY));

  /** The CAMformer authors' A100 attention-only profile (weaker baseline): {preset, tokens, ms, J}. */
  private static final Object[][] CAMFORMER_A100 = {
      {"bert-base", 512, 8.55, 1.8}, {"bert-large", 512, 28.4, 5.75}, {"gpt2", 1024, 10.2, 2.15}};

  /** Why pimforge's latency differs from an optimized GPU engine's (said in every GPU latency row). */
  static final String LATENCY_ASSUMPTIONS = "the layer top multiplies one token vector at a time with bit-serial"
      + " inputs (inputBits cycles per MVM) at bank.clockMHz, layers one after another; the GPU runs all tokens as"
      + " batched tensor-core GEMMs at GHz clocks";

  /** The preset whose layer shapes {@code m} has (the figures were measured on those shapes), or null. */
  static String shapeOf(ModelShape m) {
    for (String name : List.of("bert-base", "bert-large", "llama2-7b", "gpt2")) {
      ModelShape r = ModelPresets.get(name).orElseThrow();
      if (r.hiddenSize() == m.hiddenSize() && r.numLayers() == m.numLayers() && r.numHeads() == m.numHeads()
          && r.numKvHeads() == m.numKvHeads() && r.ffnSize() == m.ffnSize() && r.family() == m.family()
          && r.gatedFfn() == m.gatedFfn()) {
        return name;
      }
    }
    return null;
  }

  /** pimforge at {@code tokens}: the evaluation itself when it is that prefill, else the same hardware at that length. */
  static ModelEvaluation at(ModelEvaluation ev, int tokens, Map<Integer, Object> cache) {
    if (tokens == ev.seq() && ev.decodeTokens() == 0) {
      return ev;
    }
    Object o = cache.computeIfAbsent(tokens, n -> {
      try {
        return ModelEvaluation.of(ev.hw(), ev.tech(), n, 0);
      } catch (ParamError e) {
        return e.getMessage();
      }
    });
    return o instanceof ModelEvaluation m ? m : null;
  }

  /** The side-by-side rows: GPU figures at their own lengths, then the papers' headline figures. */
  public static List<Row> rows(ModelEvaluation ev) {
    Map<Integer, Object> cache = new LinkedHashMap<>();
    List<Row> rows = new ArrayList<>(gpuRows(ev, cache));
    rows.addAll(paperRows(ev, cache));
    return rows;
  }

  static List<Row> gpuRows(ModelEvaluation ev, Map<Integer, Object> cache) {
    List<Row> rows = new ArrayList<>();
    String shape = shapeOf(ev.hw().model());
    String name = ev.hw().model().name();
    for (GpuFigure g : GPU) {
      if (!g.preset().equals(shape)) {
        continue;
      }
      String setting = Double.isNaN(g.altMs()) ? g.setting() : f(g.setting(), g.altMs());
      if (g.workload().equals("decode")) {
        rows.addAll(decodeRows(ev, g, setting));
        continue;
      }
      if (g.tokens() > ev.hw().model().maxPositions()) {
        continue;
      }
      ModelEvaluation e = at(ev, g.tokens(), cache);
      if (e == null) {
        rows.add(new Row(name + " " + g.workload() + ", " + g.tokens() + " tokens, batch 1",
            f("%.3g ms (%s)", g.ms(), setting), "not evaluated: " + cache.get(g.tokens()), "-", g.source()));
        continue;
      }
      double ms = e.prefillSeconds() * 1e3;
      rows.add(new Row(name + " " + g.workload() + " latency, " + g.tokens() + " tokens, batch 1",
          f("%.3g ms (%s)", g.ms(), setting), f("%.4g ms", ms), f("pimforge / GPU = %.3gx", ms / g.ms()),
          g.source() + (ms / g.ms() > 2 || ms / g.ms() < 0.5 ? "; differs >2x: " + LATENCY_ASSUMPTIONS : "")));
      double gpuJ = g.ms() * 1e-3 * A100_WATTS;
      rows.add(new Row(name + " " + g.workload() + " energy, " + g.tokens() + " tokens",
          f("%.3g J (latency x 400 W)", gpuJ), f("%.4g J", e.prefillJoules()),
          f("GPU / pimforge = %.3gx", gpuJ / e.prefillJoules()),
          "GPU latency above x A100 400 W board power (an upper bound on the GPU's energy); pimforge: layer tops only"
              + " (no embeddings, LM head, leakage)"));
    }
    if (rows.isEmpty()) {
      rows.add(new Row("GPU", "no published optimized-engine figure for " + name + " in REFERENCE.md", "-", "-",
          "REFERENCE.md s.5 has TensorRT BERT-base/large (128, 384 tokens), TensorRT-LLM LLaMA-7B first token"
              + " (128, 2048) and lmdeploy Llama-2-7B decode"));
      return rows;
    }
    for (Object[] c : CAMFORMER_A100) {
      if (c[0].equals(shape) && (int) c[1] == ev.seq()) {
        double attJ = attentionJoules(ev);
        rows.add(new Row(name + " attention only, " + ev.seq() + " tokens (weaker baseline, beside the rows above)",
            f("%.3g ms, %.3g J (A100-SXM4-80GB, dynamic power)", (double) c[2], (double) c[3]),
            f("%.3g J in the attention stages (their latency overlaps the others')", attJ),
            f("GPU / pimforge energy = %.3gx", (double) c[3] / attJ),
            "CAMformer authors' A100 profile (REFERENCE.md s.4): about 6x slower than TensorRT's whole BERT-base"
                + " at 384 tokens (REFERENCE.md s.5)"));
      }
    }
    return rows;
  }

  /** Decode: pimforge recomputes the whole context per token (no KV cache yet), at context seq + decode. */
  private static List<Row> decodeRows(ModelEvaluation ev, GpuFigure g, String setting) {
    int ctx = ev.seq() + ev.decodeTokens();
    double s = ev.decode() != null ? ev.decodeSecondsPerToken() : ev.prefillSeconds();
    double j = ev.decode() != null ? ev.decodeJoulesPerToken() : ev.prefillJoules();
    String how = "no KV cache in hardware yet (issue 9): a token at context " + ctx + " recomputes all " + ctx
        + " tokens" + (ev.decode() != null ? "" : " (a prefill of " + ctx + "; pass --decode N for a longer context)");
    List<Row> rows = new ArrayList<>();
    rows.add(new Row(ev.hw().model().name() + " decode latency per token, batch 1",
        f("%.3g ms (%s)", g.ms(), setting), f("%.4g ms at context %d", s * 1e3, ctx),
        f("pimforge / GPU = %.3gx", s * 1e3 / g.ms()), g.source() + "; differs >2x: " + how
            + ", while the GPU reads the cached K/V; " + LATENCY_ASSUMPTIONS));
    double gpuJ = g.ms() * 1e-3 * A100_WATTS;
    rows.add(new Row(ev.hw().model().name() + " decode energy per token", f("%.3g J (latency x 400 W)", gpuJ),
        f("%.4g J at context %d", j, ctx), f("GPU / pimforge = %.3gx", gpuJ / j),
        "GPU latency above x A100 400 W board power (upper bound); " + how));
    return rows;
  }

  private static final Set<LayerStage> ATTENTION = Set.of(LayerStage.XBAR_WRITE, LayerStage.SCORES,
      LayerStage.SOFTMAX, LayerStage.CONTEXT);

  /** Energy of the attention stages (crossbar writes, scores, softmax, context) of the whole model's prefill (J). */
  static double attentionJoules(ModelEvaluation ev) {
    EventCounts e = ev.prefill().events();
    EnergyModel em = EnergyModel.of(ev.hw(), ev.tech(), e.lanes(), e.elementBits());
    double pj = 0;
    for (int i = 0; i < e.program().size(); i++) {
      if (ATTENTION.contains(e.program().get(i).stage())) {
        pj += em.totalPj(e.perInstruction().get(i));
      }
    }
    return pj * 1e-12 * ev.layers();
  }

  /** pimforge's attention stages per (query, head) at the prefill length: {cycles, pJ}. */
  public static double[] attentionPerQueryHead(ModelEvaluation ev) {
    LayerCost c = ev.prefill();
    LayerTiming t = c.timing();
    long cycles = 0;
    for (LayerStage s : ATTENTION) {
      cycles += t.stage(s);
    }
    EventCounts e = c.events();
    EnergyModel em = EnergyModel.of(ev.hw(), ev.tech(), e.lanes(), e.elementBits());
    double pj = 0;
    for (int i = 0; i < e.program().size(); i++) {
      Instruction ins = e.program().get(i);
      if (ATTENTION.contains(ins.stage())) {
        pj += em.totalPj(e.perInstruction().get(i));
      }
    }
    double n = (double) ev.seq() * ev.hw().model().numHeads();
    return new double[] {cycles / n, pj / n};
  }

  /** The papers' headline figures beside pimforge's model of the nearest configuration it can run. */
  static List<Row> paperRows(ModelEvaluation ev, Map<Integer, Object> cache) {
    List<Row> rows = new ArrayList<>();
    // CAMformer's configuration has N = 1024 keys: pimforge at 1024 tokens, or the longest the model has.
    ModelEvaluation cam = at(ev, Math.min(1024, ev.hw().model().maxPositions()), cache);
    cam = cam == null ? ev : cam;
    double[] att = attentionPerQueryHead(cam);
    int n = cam.seq();
    int d = ev.hw().model().headDim();
    double ratio = att[1] / 1000 / 54.92;
    rows.add(new Row("CAMformer: one query's attention, N = 1024 keys, d = 64, top-32",
        "721 cycles, 54.92 nJ", f("%.0f cycles, %.3g nJ per query and head (N = %d, d = %d, dense)", att[0],
            att[1] / 1000, n, d),
        f("pimforge / CAMformer energy = %.3gx", ratio),
        (ratio > 2 || ratio < 0.5 ? "differs >2x: " : "") + "pimforge attends densely over N = " + n
            + " keys in int8 ReRAM crossbars and rewrites the key/value crossbars per sequence (XBAR_WRITE stage);"
            + " CAMformer searches binary keys in a CAM, keeps top-32 and does BF16 MACs over 32 values only,"
            + " and charges DRAM (19.1 nJ) that pimforge's on-chip scratchpad does not; cycles: the attention stages'"
            + " busy cycles / (heads x N), pipelined across heads"));
    GpuFigure gpu = null;
    String shape = shapeOf(ev.hw().model());
    for (GpuFigure g : GPU) {
      if (g.preset().equals(shape) && g.workload().equals("prefill") && g.tokens() == 128) {
        gpu = g;
      }
    }
    ModelEvaluation e128 = gpu == null ? null : at(ev, 128, cache);
    if (e128 == null) {
      rows.add(new Row("ReTransformer: 23.21x energy efficiency, 1086x lower power vs GPU", "23.21x, 1086x",
          "no optimized-engine GPU figure for this model at a length pimforge evaluates (TensorRT BERT only)", "-",
          "ReTransformer's GPU, software and model sizes are not in REFERENCE.md (not retrievable)"));
    } else {
      double gpuJPerToken = gpu.ms() * 1e-3 * A100_WATTS / 128;
      double pfJPerToken = e128.prefillJoules() / 128;
      double pfWatts = e128.prefillJoules() / e128.prefillSeconds();
      double eff = gpuJPerToken / pfJPerToken;
      double power = A100_WATTS / pfWatts;
      String why = "";
      if (power / 1086 > 2 || power / 1086 < 0.5) {
        why += f("power: pimforge's bit-serial layer top at %d MHz draws %.3g W and is slow (latency rows above). ",
            ev.hw().bank().clockMHz(), pfWatts);
      }
      if (eff / 23.21 > 2 || eff / 23.21 < 0.5) {
        Map<String, Double> byComp = e128.prefillJoulesByComponent();
        double conv = (byComp.get("ADC") + byComp.get("DAC")) / e128.prefillJoules();
        why += f("efficiency: the baseline is TensorRT INT8 on an A100, stronger than ReTransformer's paper-era GPU, and"
            + " %.0f %% of pimforge's energy goes to ADC conversions and DAC drives (one per input bit plane and"
            + " column). ", 100 * conv);
      }
      rows.add(new Row("ReTransformer: energy efficiency and power vs GPU", "23.21x, 1086x lower power",
          f("%.3gx tokens/J, %.3gx lower power (both at 128 tokens vs A100 TensorRT INT8, 400 W)", eff, power),
          f("%.3gx / %.3gx of the paper's", eff / 23.21, power / 1086),
          (why.isEmpty() ? "" : "differs >2x: " + why) + "ReTransformer's GPU baseline, clock and model sizes are not"
              + " in REFERENCE.md; GPU energy here is an upper bound (full board power)"));
    }
    rows.add(new Row("Titanus: 159.9x energy efficiency, 49.6x throughput vs A100 (OPT, decode with KV cache)",
        "159.9x, 49.6x", "not comparable yet", "-",
        "Titanus decodes from a compressed KV cache and leaves weight-access energy out; pimforge has no KV cache yet"
            + " and recomputes the context per token (decode rows above)"));
    return rows;
  }

  private static String f(String fmt, Object... args) {
    return String.format(Locale.ROOT, fmt, args);
  }
}
