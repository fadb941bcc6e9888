package pimforge.params;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The Transformer's shape, as far as the hardware cares. Filled from a preset or a Hugging Face
 * config.json by {@code pimforge.model.ModelImporter}.
 *
 * @param name design name stem, lower case letters, digits, '-' and '_'
 * @param family encoder (BERT-style, bidirectional) or decoder (causal, with a KV cache)
 * @param hiddenSize model width d_model
 * @param numHeads attention heads
 * @param numKvHeads key/value heads (grouped-query attention when fewer than numHeads)
 * @param numLayers Transformer blocks
 * @param ffnSize inner width of the feed-forward network
 * @param maxPositions longest sequence the model supports
 * @param vocabSize token vocabulary (embedding table rows; not mapped to crossbars)
 * @param norm LayerNorm or RMSNorm
 * @param normEps epsilon of the normalization
 * @param activation FFN non-linearity
 * @param gatedFfn true for a gated FFN (Llama: gate and up projections, then down)
 * @param preNorm true when the norm comes before attention/FFN (GPT, Llama, ViT), false for post-LN (BERT)
 * @param features block features beyond the plain layer (positions, RoPE, parallel block, experts,
 *     explicit head width, shared layers, ...); {@link ModelFeatures#NONE} for a plain layer
 */
public record ModelShape(
    String name,
    Family family,
    int hiddenSize,
    int numHeads,
    int numKvHeads,
    int numLayers,
    int ffnSize,
    int maxPositions,
    int vocabSize,
    Norm norm,
    double normEps,
    Activation activation,
    boolean gatedFfn,
    boolean preNorm,
    ModelFeatures features) {

  public enum Family { ENCODER, DECODER }

  public enum Norm { LAYERNORM, RMSNORM }

  public enum Activation { GELU, GELU_TANH, RELU, SILU }

  /**
   * The plain-layer shape (learned positions, sequential block, dense FFN, head width
   * hidden/heads): {@link ModelFeatures#NONE}.
   */
  public ModelShape(String name, Family family, int hiddenSize, int numHeads, int numKvHeads, int numLayers,
      int ffnSize, int maxPositions, int vocabSize, Norm norm, double normEps, Activation activation,
      boolean gatedFfn, boolean preNorm) {
    this(name, family, hiddenSize, numHeads, numKvHeads, numLayers, ffnSize, maxPositions, vocabSize, norm, normEps,
        activation, gatedFfn, preNorm, ModelFeatures.NONE);
  }

  public ModelShape {
    Check.present("model.name", name);
    Check.that(name.matches("[a-z0-9][a-z0-9_.-]{0,63}"), "model.name",
        "is '" + name + "', allowed 1..64 characters of a-z 0-9 - _ . starting with a letter or digit");
    Check.present("model.family", family);
    Check.range("model.hiddenSize", hiddenSize, 1, 65536);
    Check.range("model.numHeads", numHeads, 1, 1024);
    Check.present("model.features", features);
    if (features.explicitHeadDim() == 0) {
      Check.that(hiddenSize % numHeads == 0, "model.numHeads",
          "is " + numHeads + ", allowed a divisor of model.hiddenSize = " + hiddenSize
              + " (or an explicit model.features.explicitHeadDim)");
    }
    Check.range("model.numKvHeads", numKvHeads, 1, numHeads);
    Check.that(numHeads % numKvHeads == 0, "model.numKvHeads",
        "is " + numKvHeads + ", allowed a divisor of model.numHeads = " + numHeads);
    Check.range("model.numLayers", numLayers, 1, 1024);
    Check.range("model.ffnSize", ffnSize, 1, 1 << 20);
    Check.range("model.maxPositions", maxPositions, 1, 1 << 24);
    // Vision encoders have no token vocabulary: 0 exactly when a patch embedding feeds the encoder.
    Check.range("model.vocabSize", vocabSize, features.patches() == null ? 1 : 0, 1 << 24);
    Check.present("model.norm", norm);
    Check.range("model.normEps", normEps, 0.0, 1.0);
    Check.present("model.activation", activation);
    int hd = features.explicitHeadDim() > 0 ? features.explicitHeadDim() : hiddenSize / numHeads;
    if (features.rope() != null) {
      Check.that(features.rope().rotaryDim() <= hd, "model.features.rope.rotaryDim",
          "is " + features.rope().rotaryDim() + ", allowed an even number 2.." + hd + " (the head width)");
    }
    if (features.storedLayers() > 0) {
      Check.that(features.storedLayers() <= numLayers && numLayers % features.storedLayers() == 0,
          "model.features.storedLayers", "is " + features.storedLayers() + ", allowed a divisor of model.numLayers = "
              + numLayers);
    }
    if (features.patches() != null) {
      Check.that(maxPositions == features.patches().tokens(), "model.maxPositions", "is " + maxPositions
          + ", allowed " + features.patches().tokens() + " = (imageSize/patchSize)^2 + 1 for a vision encoder");
    }
  }

  /** Width of one attention head: the explicit head_dim when the config gives one, else hiddenSize / numHeads. */
  @JsonProperty("headDim")
  public int headDim() {
    return features.explicitHeadDim() > 0 ? features.explicitHeadDim() : hiddenSize / numHeads;
  }

  /** Width of the Q projection output (and O projection input): numHeads * headDim. */
  @JsonProperty("qDim")
  public int qDim() {
    return numHeads * headDim();
  }

  /** Distinct layer weight sets stored: numLayers unless layers share weights (ALBERT). */
  @JsonProperty("storedLayers")
  public int storedLayers() {
    return features.storedLayers() > 0 ? features.storedLayers() : numLayers;
  }

  /** The same shape with other features (validated again). */
  public ModelShape withFeatures(ModelFeatures f) {
    return new ModelShape(name, family, hiddenSize, numHeads, numKvHeads, numLayers, ffnSize, maxPositions, vocabSize,
        norm, normEps, activation, gatedFfn, preNorm, f);
  }

  /** The first {@code layers} layers of this model (validated again). */
  public ModelShape withNumLayers(int layers) {
    return new ModelShape(name, family, hiddenSize, numHeads, numKvHeads, layers, ffnSize, maxPositions, vocabSize,
        norm, normEps, activation, gatedFfn, preNorm, features);
  }

  /** The same model with a shorter (or longer) context (validated again). */
  public ModelShape withMaxPositions(int positions) {
    return new ModelShape(name, family, hiddenSize, numHeads, numKvHeads, numLayers, ffnSize, positions, vocabSize,
        norm, normEps, activation, gatedFfn, preNorm, features);
  }

  /** Width of the K (and V) projection output: numKvHeads * headDim. */
  @JsonProperty("kvDim")
  public int kvDim() {
    return numKvHeads * headDim();
  }
}
