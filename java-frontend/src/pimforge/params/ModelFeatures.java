package pimforge.params;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Block features of a model beyond the plain BERT/GPT-2 layer: everything a Hugging Face config
 * can say that changes the computation or the weight count. The defaults ({@link #NONE}) are the
 * plain layer: learned absolute positions, sequential attention-then-FFN block, dense FFN, one
 * weight set per layer, no embedding projection, head width hidden/heads.
 *
 * @param explicitHeadDim width of one head when the config states it (HF {@code head_dim}: Gemma,
 *     Mistral-Nemo; projections are then hidden x heads*headDim); 0 = hiddenSize / numHeads
 * @param positions how token positions enter the model
 * @param rope the rotary embedding when positions is ROTARY, else null
 * @param relativeBuckets buckets of a learned relative-position bias added to the attention
 *     scores of every layer (HF {@code relative_attention_num_buckets}: MPNet, T5); 0 = none
 * @param block how attention and FFN are combined in a layer
 * @param numExperts FFN experts per layer (HF {@code num_local_experts}: Mixtral); 0 = dense FFN
 * @param expertsPerToken experts each token is routed to (HF {@code num_experts_per_tok}); 0 when dense
 * @param embeddingSize width of the token embeddings when it differs from hiddenSize, so a matrix
 *     embeddingSize x hiddenSize projects them (HF {@code embedding_size}: ALBERT, ELECTRA;
 *     {@code word_embed_proj_dim}: OPT); 0 = no projection
 * @param storedLayers distinct weight sets when layers share weights (ALBERT:
 *     {@code num_hidden_groups} x {@code inner_group_num}); 0 = every layer has its own
 * @param slidingWindow tokens a query attends back to on local-attention layers (HF
 *     {@code sliding_window}, GPT-Neo {@code window_size}); 0 = global attention everywhere
 * @param windowLayers which layers use the sliding window
 * @param attnLogitSoftcap c in scores = c * tanh(scores / c) (HF {@code attn_logit_softcapping}:
 *     Gemma-2); 0 = none
 * @param queryScaleDim scores are divided by sqrt(queryScaleDim) (HF {@code query_pre_attn_scalar}:
 *     Gemma-2); 0 = headDim, the usual 1/sqrt(headDim)
 * @param sandwichNorm true when the attention and FFN outputs are normalized again before the
 *     residual add (Gemma-2: four norms per layer)
 * @param patches the ViT patch embedding for vision encoders, else null
 * @param notes what the import left out on purpose and why (shown in report.md)
 */
@JsonInclude(JsonInclude.Include.NON_NULL) // rope and patches appear in design.json only when present
public record ModelFeatures(
    int explicitHeadDim,
    Positions positions,
    Rope rope,
    int relativeBuckets,
    Block block,
    int numExperts,
    int expertsPerToken,
    int embeddingSize,
    int storedLayers,
    int slidingWindow,
    WindowLayers windowLayers,
    double attnLogitSoftcap,
    int queryScaleDim,
    boolean sandwichNorm,
    PatchEmbedding patches,
    List<String> notes) {

  /**
   * LEARNED: a learned absolute table added at the input (BERT, GPT-2, OPT, ViT); SINUSOIDAL: a
   * fixed table added at the input; ROTARY: Q and K rotated in every layer; ALIBI: per-head linear
   * bias on the scores (BLOOM, some Falcon); NONE: no absolute positions (T5: relative bias only).
   */
  public enum Positions { LEARNED, SINUSOIDAL, ROTARY, ALIBI, NONE }

  /**
   * SEQUENTIAL: x + attn(norm(x)), then + ffn(norm(.)) (or post-norm). PARALLEL_SHARED_NORM:
   * x + attn(norm(x)) + ffn(norm(x)) with one norm (GPT-J, Phi-2, Falcon-7B). PARALLEL_TWO_NORMS:
   * x + attn(norm1(x)) + ffn(norm2(x)) (GPT-NeoX {@code use_parallel_residual}, Falcon-40B).
   */
  public enum Block { SEQUENTIAL, PARALLEL_SHARED_NORM, PARALLEL_TWO_NORMS }

  /** NONE; ALL layers local; EVEN layers (0, 2, ..: Gemma-2); ODD layers (1, 3, ..: GPT-Neo). */
  public enum WindowLayers { NONE, ALL, EVEN, ODD }

  public static final ModelFeatures NONE = new ModelFeatures(0, Positions.LEARNED, null, 0, Block.SEQUENTIAL,
      0, 0, 0, 0, 0, WindowLayers.NONE, 0.0, 0, false, null, List.of());

  public ModelFeatures {
    Check.range("model.features.explicitHeadDim", explicitHeadDim, 0, 65536);
    Check.present("model.features.positions", positions);
    Check.that((positions == Positions.ROTARY) == (rope != null), "model.features.rope",
        "is " + (rope == null ? "missing" : "given") + ", allowed exactly when positions is ROTARY");
    Check.range("model.features.relativeBuckets", relativeBuckets, 0, 65536);
    Check.present("model.features.block", block);
    Check.range("model.features.numExperts", numExperts, 0, 65536);
    Check.range("model.features.expertsPerToken", expertsPerToken, numExperts == 0 ? 0 : 1, numExperts);
    Check.range("model.features.embeddingSize", embeddingSize, 0, 65536);
    Check.range("model.features.storedLayers", storedLayers, 0, 1024);
    Check.range("model.features.slidingWindow", slidingWindow, 0, 1 << 24);
    Check.present("model.features.windowLayers", windowLayers);
    Check.that((slidingWindow == 0) == (windowLayers == WindowLayers.NONE), "model.features.windowLayers",
        "is " + windowLayers + ", allowed NONE exactly when slidingWindow is 0");
    Check.range("model.features.attnLogitSoftcap", attnLogitSoftcap, 0.0, 1e6);
    Check.range("model.features.queryScaleDim", queryScaleDim, 0, 1 << 20);
    notes = notes == null ? List.of() : List.copyOf(notes);
  }

  @JsonIgnore
  public boolean isMoe() {
    return numExperts > 0;
  }

  @JsonIgnore
  public boolean isParallel() {
    return block != Block.SEQUENTIAL;
  }

  /** Human-readable list of every non-default feature, for report.md; empty for a plain layer. */
  public List<String> describe(ModelShape m) {
    int headDim = m.headDim();
    int hiddenSize = m.hiddenSize();
    int numLayers = m.numLayers();
    List<String> out = new ArrayList<>();
    switch (positions) {
      case LEARNED -> out.add("learned absolute positions");
      case SINUSOIDAL -> out.add("sinusoidal absolute positions");
      case ROTARY -> out.add(rope.describe(headDim));
      case ALIBI -> out.add("ALiBi attention bias (per-head slopes), no position table");
      case NONE -> out.add("no absolute positions");
    }
    if (relativeBuckets > 0) {
      out.add("relative-position bias on the scores, " + relativeBuckets + " buckets");
    }
    if (explicitHeadDim > 0) {
      out.add(String.format(Locale.ROOT, "explicit head_dim %d: Q projection %d x %d, O projection %d x %d",
          explicitHeadDim, hiddenSize, m.qDim(), m.qDim(), hiddenSize));
    }
    switch (block) {
      case SEQUENTIAL -> { }
      case PARALLEL_SHARED_NORM -> out.add("parallel attention + FFN sharing one norm");
      case PARALLEL_TWO_NORMS -> out.add("parallel attention + FFN, one norm each");
    }
    if (isMoe()) {
      out.add(String.format(Locale.ROOT, "mixture of experts: %d experts per layer, top-%d routing, router hidden x %d",
          numExperts, expertsPerToken, numExperts));
    }
    if (embeddingSize > 0) {
      out.add(String.format(Locale.ROOT, "embedding projection %d -> %d", embeddingSize, hiddenSize));
    }
    if (storedLayers > 0) {
      out.add(String.format(Locale.ROOT, "shared layers: %d weight set(s) executed as %d layers", storedLayers,
          numLayers));
    }
    if (slidingWindow > 0) {
      out.add(String.format(Locale.ROOT, "sliding-window attention of %d tokens on %s layers (the KV-cache figures "
          + "keep every token on every layer)", slidingWindow, windowLayers.name().toLowerCase(Locale.ROOT)));
    }
    if (attnLogitSoftcap > 0) {
      out.add("attention logit soft-capping " + Rope.num(attnLogitSoftcap));
    }
    if (queryScaleDim == 1) {
      out.add("scores not scaled (no 1/sqrt(head_dim))");
    } else if (queryScaleDim > 0) {
      out.add("scores scaled by 1/sqrt(" + queryScaleDim + ")");
    }
    if (sandwichNorm) {
      out.add("extra norms after attention and FFN (four per layer)");
    }
    if (patches != null) {
      out.add(String.format(Locale.ROOT, "image %dx%d, %dx%d patches of %d channels: %d tokens incl. class token",
          patches.imageSize(), patches.imageSize(), patches.patchSize(), patches.patchSize(), patches.channels(),
          patches.tokens()));
    }
    return out;
  }

  /** Builder starting from {@link #NONE}. */
  public static Builder builder() {
    return new Builder(NONE);
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Mutable copy for importers and presets; {@link #build()} validates. */
  public static final class Builder {
    public int explicitHeadDim;
    public Positions positions;
    public Rope rope;
    public int relativeBuckets;
    public Block block;
    public int numExperts;
    public int expertsPerToken;
    public int embeddingSize;
    public int storedLayers;
    public int slidingWindow;
    public WindowLayers windowLayers;
    public double attnLogitSoftcap;
    public int queryScaleDim;
    public boolean sandwichNorm;
    public PatchEmbedding patches;
    public final List<String> notes;

    private Builder(ModelFeatures f) {
      explicitHeadDim = f.explicitHeadDim;
      positions = f.positions;
      rope = f.rope;
      relativeBuckets = f.relativeBuckets;
      block = f.block;
      numExperts = f.numExperts;
      expertsPerToken = f.expertsPerToken;
      embeddingSize = f.embeddingSize;
      storedLayers = f.storedLayers;
      slidingWindow = f.slidingWindow;
      windowLayers = f.windowLayers;
      attnLogitSoftcap = f.attnLogitSoftcap;
      queryScaleDim = f.queryScaleDim;
      sandwichNorm = f.sandwichNorm;
      patches = f.patches;
      notes = new ArrayList<>(f.notes);
    }

    public Builder rope(Rope r) {
      rope = r;
      positions = r == null ? Positions.LEARNED : Positions.ROTARY;
      return this;
    }

    public Builder block(Block b) {
      block = b;
      return this;
    }

    public Builder window(int tokens, WindowLayers layers) {
      slidingWindow = tokens;
      windowLayers = tokens == 0 ? WindowLayers.NONE : layers;
      return this;
    }

    public ModelFeatures build() {
      return new ModelFeatures(explicitHeadDim, positions, rope, relativeBuckets, block, numExperts, expertsPerToken,
          embeddingSize, storedLayers, slidingWindow, windowLayers, attnLogitSoftcap, queryScaleDim, sandwichNorm,
          patches, notes);
    }
  }
}
