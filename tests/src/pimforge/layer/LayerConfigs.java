package pimforge.layer;

import pimforge.config.HwConfigReader;
import pimforge.model.ModelPresets;
import pimforge.params.AttentionParams;
import pimforge.params.AttentionParams.Schedule;
import pimforge.params.HwParams;
import pimforge.params.ModelFeatures;
import pimforge.params.ModelShape;
import pimforge.params.Rope;
import pimforge.params.SfuParams;

/** Small layer-top configurations for tests: 64-wide, 4-head layers on small tiles, 4 lanes. */
public final class LayerConfigs {
  private LayerConfigs() {}

  static final ModelShape TINY = ModelPresets.get("tiny").orElseThrow();

  /** hidden 16, 2 heads, FFN 32: the smallest layer, for the hand-written-program co-simulation and RTL checks. */
  public static final ModelShape SMALL_MODEL = new ModelShape("layer-small", ModelShape.Family.ENCODER, 16, 2, 2,
      1, 32, 128, 1000, ModelShape.Norm.LAYERNORM, 1e-12, ModelShape.Activation.GELU, false, false);

  static HwParams of(ModelShape m, Schedule schedule, int maxSeqLen, int rows, int cols, int gridRows, int gridCols) {
    // Through the reader, as a user's --hw file would: softmax and SFU lanes follow crossbar.lanes.
    String json = String.format("{\"crossbar\": {\"rows\": %d, \"cols\": %d, \"lanes\": 4},"
        + " \"bank\": {\"tileGridRows\": %d, \"tileGridCols\": %d},"
        + " \"attention\": {\"maxSeqLen\": %d, \"schedule\": \"%s\", \"headPipelineDepth\": 2}}",
        rows, cols, gridRows, gridCols, maxSeqLen, schedule);
    try {
      return HwConfigReader.fromTree(new com.fasterxml.jackson.databind.ObjectMapper().readTree(json), m);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** SMALL_MODEL, 8 tokens, decomposed; 2x2 tiles of 8x8 per bank (16 x 16 banks). */
  public static HwParams small() {
    return of(SMALL_MODEL, Schedule.DECOMPOSED, 8, 8, 8, 2, 2);
  }

  /** tiny, 64 x 64 banks (2 x 2 tiles of 32 x 32): one bank per hidden x hidden matrix. */
  static HwParams small(Schedule schedule, boolean preNorm) {
    return of(preNorm ? preNorm(TINY) : TINY, schedule, 16, 32, 32, 2, 2);
  }

  /** tiny, 32 x 32 banks (1 tile): every matrix spans several banks (row blocks accumulate). */
  static HwParams split(Schedule schedule, boolean preNorm) {
    return of(preNorm ? preNorm(TINY) : TINY, schedule, 16, 32, 32, 1, 1);
  }

  /** Grouped-query attention (2 key/value heads for 4 query heads), post-LN, tanh GELU, 64 x 64 banks. */
  static HwParams gqa(Schedule schedule) {
    ModelShape t = TINY;
    ModelShape m = new ModelShape(t.name(), t.family(), t.hiddenSize(), t.numHeads(), 2, t.numLayers(), 128,
        t.maxPositions(), t.vocabSize(), t.norm(), t.normEps(), ModelShape.Activation.GELU_TANH, false, false);
    return of(m, schedule, 16, 32, 32, 2, 2);
  }

  /** A 12.6 SFU (finer than the 8-bit bank inputs: SFU values enter the banks through the MVM shift). */
  static HwParams wideSfu(Schedule schedule, boolean preNorm) {
    HwParams p = small(schedule, preNorm);
    return p.withSfu(new SfuParams(4, 32, 12, 6, 16, 16, 2048, 16, 20, 6, 16, 16, 12));
  }

  /** An 8.4 SFU (the coarsest practical activation format): the accuracy test's bounds are set at it. */
  static HwParams sfu84(HwParams p) {
    return p.withSfu(new SfuParams(p.crossbar().lanes(), 32, 8, 4, 16, 16, 64, 16, 20, 6, 16, 16, 12));
  }

  /** The same parameters with another head pipeline depth. */
  static HwParams withDepth(HwParams p, int depth) {
    AttentionParams a = p.attention();
    return p.withAttention(new AttentionParams(a.maxSeqLen(), a.schedule(), depth));
  }

  /** A GPT-2-style decoder block (preset tiny-gpt2): pre-LN LayerNorm (eps 1e-5), tanh GELU, causal; 64 x 64 banks. */
  static HwParams gpt2Style(Schedule schedule) {
    return of(preset("tiny-gpt2"), schedule, 16, 32, 32, 2, 2);
  }

  static ModelShape preset(String name) {
    return ModelPresets.get(name).orElseThrow();
  }

  /**
   * A Llama-style decoder block on tiny: pre-LN RMSNorm (eps 1e-6), RoPE (theta 10000, whole head,
   * halves pairing), SwiGLU (gated FFN, SiLU), grouped-query attention (2 key/value heads for 4
   * query heads), causal; 64 x 64 banks, STRAIGHTFORWARD (rotated keys must exist).
   */
  static HwParams llamaStyle() {
    return of(preset("tiny-llama"), Schedule.STRAIGHTFORWARD, 16, 32, 32, 2, 2);
  }

  /** The Llama-style block with another rotary embedding (partial, interleaved, scaled). */
  static HwParams llamaStyle(Rope rope) {
    return of(llamaModel(rope), Schedule.STRAIGHTFORWARD, 16, 32, 32, 2, 2);
  }

  static ModelShape llamaModel(Rope rope) {
    return preset("tiny-llama").withFeatures(ModelFeatures.builder().rope(rope).build());
  }

  /**
   * A parallel block on tiny (attention and FFN both read the normalized input, y = x + attn + ffn),
   * causal, pre-LN LayerNorm, tanh GELU: GPT-J-style (one shared norm, partial interleaved RoPE, 8 of
   * 16 head elements) or GPT-NeoX-style (use_parallel_residual: two norms, quarter-head halves RoPE).
   */
  static HwParams parallelStyle(boolean sharedNorm) {
    return of(preset(sharedNorm ? "tiny-gptj" : "tiny-neox"), Schedule.STRAIGHTFORWARD, 16, 32, 32, 2, 2);
  }

  /** A BLOOM-style decoder on tiny: ALiBi (no position embedding), pre-LN LayerNorm, tanh GELU, causal. */
  static HwParams bloomStyle(Schedule schedule) {
    return of(bloomModel(), schedule, 16, 32, 32, 2, 2);
  }

  /** The BLOOM-style decoder on 32 x 32 banks (1 tile): every matrix spans several banks. */
  static HwParams bloomSplit(Schedule schedule) {
    return of(bloomModel(), schedule, 16, 32, 32, 1, 1);
  }

  /** Gemma-style (preset tiny-gemma): explicit head_dim 32 with hidden 64, multi-query, GeGLU, RoPE. */
  static HwParams gemmaStyle() {
    return of(preset("tiny-gemma"), Schedule.STRAIGHTFORWARD, 16, 32, 32, 2, 2);
  }

  static ModelShape bloomModel() {
    return preset("tiny-bloom");
  }

  /** GPT-Neo-style: the GPT-2-style decoder with unscaled scores (query_pre_attn_scalar-like scale 1). */
  static HwParams gptNeoStyle() {
    ModelShape base = gpt2Style(Schedule.STRAIGHTFORWARD).model();
    ModelFeatures.Builder f = ModelFeatures.builder();
    f.queryScaleDim = 1;
    return of(base.withFeatures(f.build()), Schedule.STRAIGHTFORWARD, 16, 32, 32, 2, 2);
  }

  /** GPT-style pre-LN with RMSNorm and SiLU. */
  static ModelShape preNorm(ModelShape m) {
    return new ModelShape(m.name(), ModelShape.Family.DECODER, m.hiddenSize(), m.numHeads(), m.numKvHeads(),
        m.numLayers(), m.ffnSize(), m.maxPositions(), m.vocabSize(), ModelShape.Norm.RMSNORM, 1e-6,
        ModelShape.Activation.SILU, false, true);
  }

  public static String describe(HwParams p) {
    LayerPlan plan = LayerPlan.of(p);
    return String.format(
        "hidden %d, ffn %d, seq %d, %dx%d tiles in %dx%d, %d banks, %d lanes x %d bits, %d scratch words",
        p.model().hiddenSize(), p.model().ffnSize(), p.attention().maxSeqLen(), p.crossbar().rows(),
        p.crossbar().cols(), p.bank().tileGridRows(), p.bank().tileGridCols(), plan.banks().size(), plan.lanes(),
        plan.elementBits(), plan.scratchWords());
  }
}
