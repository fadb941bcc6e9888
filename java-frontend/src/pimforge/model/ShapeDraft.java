package pimforge.model;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import pimforge.params.ModelFeatures;
import pimforge.params.ModelShape;
import pimforge.params.ModelShape.Activation;
import pimforge.params.ModelShape.Family;
import pimforge.params.ModelShape.Norm;

/**
 * A model shape being filled by one of the per-family readers; {@link #build()} makes the
 * validated {@link ModelShape}. Fields have the meaning of the ModelShape components.
 */
final class ShapeDraft {
  final HfFields f;
  final String type;
  final String name;
  Family family;
  int hidden;
  int heads;
  int kvHeads;
  /** HF field kvHeads came from, named when it does not divide the heads. */
  String kvField = "num_key_value_heads";
  /** True when the reader honoured an explicit head_dim (its model class has that field). */
  boolean readsHeadDim;
  int layers;
  int ffn;
  int positions;
  int vocab;
  Norm norm = Norm.LAYERNORM;
  double eps;
  Activation act;
  boolean gated;
  boolean preNorm;
  final ModelFeatures.Builder features = ModelFeatures.builder();

  ShapeDraft(HfFields f, String type, String name, Family family) {
    this.f = f;
    this.type = type;
    this.name = name;
    this.family = family;
  }

  private static final Map<String, Activation> ACTIVATIONS = Map.of(
      "gelu", Activation.GELU,
      "gelu_new", Activation.GELU_TANH,
      "gelu_pytorch_tanh", Activation.GELU_TANH,
      "gelu_fast", Activation.GELU_TANH,
      "relu", Activation.RELU,
      "silu", Activation.SILU,
      "swish", Activation.SILU);

  /** The activation named by the first present field of {@code names}, else {@code fallback}. */
  Activation activation(Activation fallback, String... names) {
    String actName = f.optionalString(names);
    if (actName == null) {
      return fallback;
    }
    Activation a = ACTIVATIONS.get(actName.toLowerCase(Locale.ROOT));
    if (a == null) {
      throw f.error(f.nameOf(names), "is '" + actName + "', allowed one of "
          + String.join(", ", new TreeMap<>(ACTIVATIONS).keySet()));
    }
    return a;
  }

  /** hidden / heads, refusing (naming {@code headsField}) when heads does not divide hidden. */
  int headDim(String headsField) {
    if (heads <= 0 || hidden % heads != 0) {
      throw f.error(headsField, "is " + heads + ", allowed a divisor of the hidden size " + hidden
          + " (no head_dim is given)");
    }
    return hidden / heads;
  }

  /** The head width as the model will compute it: explicit when set, else hidden / heads. */
  int effectiveHeadDim(String headsField) {
    return features.explicitHeadDim > 0 ? features.explicitHeadDim : headDim(headsField);
  }

  void note(String s) {
    features.notes.add(s);
  }

  ModelShape build() {
    if (heads >= 1 && (kvHeads < 1 || kvHeads > heads || heads % kvHeads != 0)) {
      throw f.error(kvField, "is " + kvHeads + ", allowed a divisor of the " + heads + " attention heads");
    }
    Integer stated = f.optionalInt("head_dim");
    if (!readsHeadDim && stated != null && heads > 0 && hidden % heads == 0 && stated != hidden / heads) {
      throw f.error("head_dim", "is " + stated + " while hidden " + hidden + " / " + heads + " heads = " + (hidden / heads)
          + ": the " + type + " model class has no head_dim, so its projections are hidden x hidden; the config "
          + "contradicts itself");
    }
    return new ModelShape(name, family, hidden, heads, kvHeads, layers, ffn, positions, vocab, norm, eps, act, gated,
        preNorm, features.build());
  }
}
