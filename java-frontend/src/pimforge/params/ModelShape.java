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
 * @param preNorm true when the norm comes before attention/FFN (GPT, Llama), false for post-LN (BERT)
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
    boolean preNorm) {

  public enum Family { ENCODER, DECODER }

  public enum Norm { LAYERNORM, RMSNORM }

  public enum Activation { GELU, GELU_TANH, RELU, SILU }

  public ModelShape {
    Check.present("model.name", name);
    Check.that(name.matches("[a-z0-9][a-z0-9_.-]{0,63}"), "model.name",
        "is '" + name + "', allowed 1..64 characters of a-z 0-9 - _ . starting with a letter or digit");
    Check.present("model.family", family);
    Check.range("model.hiddenSize", hiddenSize, 1, 65536);
    Check.range("model.numHeads", numHeads, 1, 1024);
    Check.that(hiddenSize % numHeads == 0, "model.numHeads",
        "is " + numHeads + ", allowed a divisor of model.hiddenSize = " + hiddenSize);
    Check.range("model.numKvHeads", numKvHeads, 1, numHeads);
    Check.that(numHeads % numKvHeads == 0, "model.numKvHeads",
        "is " + numKvHeads + ", allowed a divisor of model.numHeads = " + numHeads);
    Check.range("model.numLayers", numLayers, 1, 1024);
    Check.range("model.ffnSize", ffnSize, 1, 1 << 20);
    Check.range("model.maxPositions", maxPositions, 1, 1 << 24);
    Check.range("model.vocabSize", vocabSize, 1, 1 << 24);
    Check.present("model.norm", norm);
    Check.range("model.normEps", normEps, 0.0, 1.0);
    Check.present("model.activation", activation);
  }

  /** Width of one attention head. */
  @JsonProperty("headDim")
  public int headDim() {
    return hiddenSize / numHeads;
  }

  /** Width of the K (and V) projection output: numKvHeads * headDim. */
  @JsonProperty("kvDim")
  public int kvDim() {
    return numKvHeads * headDim();
  }
}
