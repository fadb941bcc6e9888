package pimforge.model;

import java.util.Map;
import pimforge.params.ModelFeatures.WindowLayers;
import pimforge.params.ModelShape.Activation;
import pimforge.params.ModelShape.Norm;
import pimforge.params.Rope.Pairing;

/**
 * Llama-family decoders (HF {@code LlamaConfig}, {@code MistralConfig}, {@code MixtralConfig},
 * {@code Qwen2Config}, {@code GemmaConfig}, {@code Gemma2Config}, {@code Phi3Config}): RMSNorm,
 * pre-norm, gated FFN, rotary positions with halves pairing ({@code rotate_half}), optional GQA
 * ({@code num_key_value_heads}), explicit {@code head_dim}, sliding windows and experts.
 */
final class LlamaStyleReader {
  private LlamaStyleReader() {}

  /** rms_norm_eps defaults of the config classes. */
  private static final Map<String, Double> EPS = Map.of("mixtral", 1e-5, "phi3", 1e-5);
  /** rope_theta defaults of the config classes (10000 otherwise). */
  private static final Map<String, Double> THETA = Map.of("mixtral", 1e6);

  /** The Llama-style size names (also Phi's): hidden, heads, layers, FFN, KV heads, positions, vocabulary. */
  static void shape(ShapeDraft d) {
    HfFields f = d.f;
    d.hidden = f.requiredInt("hidden_size");
    d.heads = f.requiredInt("num_attention_heads");
    d.layers = f.requiredInt("num_hidden_layers");
    d.ffn = f.requiredInt("intermediate_size");
    d.kvHeads = f.intOr(d.heads, "num_key_value_heads");
    d.positions = f.requiredInt("max_position_embeddings");
    d.vocab = f.requiredInt("vocab_size");
  }

  static void read(ShapeDraft d) {
    HfFields f = d.f;
    shape(d);
    d.norm = Norm.RMSNORM;
    d.eps = f.doubleOr(EPS.getOrDefault(d.type, 1e-6), "rms_norm_eps");
    d.gated = true;
    d.preNorm = true;
    boolean gemma = d.type.startsWith("gemma");
    // Gemma's MLP uses hidden_activation (gelu_pytorch_tanh when unset), whatever hidden_act says.
    d.act = gemma ? d.activation(Activation.GELU_TANH, "hidden_activation")
        : d.activation(Activation.SILU, "hidden_act");

    d.readsHeadDim = true;
    Integer headDim = f.optionalInt("head_dim");
    if (headDim != null) {
      if (headDim < 1) {
        throw f.error("head_dim", "is " + headDim + ", allowed a positive integer");
      }
      if (d.hidden % d.heads != 0 || d.hidden / d.heads != headDim) {
        d.features.explicitHeadDim = headDim;
      }
    }
    int hd = d.effectiveHeadDim("num_attention_heads");
    int rotary = f.given("partial_rotary_factor")
        ? RopeFields.fromFactor(f, "partial_rotary_factor", f.optionalDouble("partial_rotary_factor"), hd) : hd;
    double theta = f.doubleOr(THETA.getOrDefault(d.type, 10000.0), "rope_theta");
    String rotaryField = f.given("partial_rotary_factor") ? "partial_rotary_factor"
        : d.features.explicitHeadDim > 0 ? "head_dim" : "hidden_size / num_attention_heads";
    d.features.rope(RopeFields.read(d, hd, rotary, rotaryField, theta, Pairing.HALVES));

    window(d);
    if (d.type.equals("mixtral")) {
      experts(d);
    }
    if (d.type.equals("gemma2")) {
      gemma2(d);
    }
    if (gemma) {
      d.note("Gemma scales the embeddings by sqrt(hidden_size) before the first layer (outside the layers)");
    }
  }

  private static void window(ShapeDraft d) {
    HfFields f = d.f;
    if (d.type.equals("qwen2")) {
      if (f.booleanOr(false, "use_sliding_window")) {
        throw d.f.error("use_sliding_window", "is true: Qwen2's sliding window on the layers from max_window_layers on "
            + "is not supported");
      }
      return; // sliding_window is ignored by Qwen2 unless use_sliding_window
    }
    Integer w = f.optionalInt("sliding_window");
    if (d.type.equals("gemma2")) {
      Integer legacy = f.optionalInt("sliding_window_size");
      if (w != null && legacy != null && !w.equals(legacy)) {
        throw f.error("sliding_window_size", "is " + legacy + " while sliding_window is " + w + ", allowed equal values");
      }
      int window = w != null ? w : legacy != null ? legacy : 4096;
      d.features.window(window, WindowLayers.EVEN); // Gemma2DecoderLayer: sliding on layers 0, 2, 4, ...
      return;
    }
    if (w != null && w < 1) {
      throw f.error("sliding_window", "is " + w + ", allowed a positive integer or null");
    }
    if (w != null && w < d.positions) {
      d.features.window(w, WindowLayers.ALL);
    }
  }

  /** Mixtral (HF {@code MixtralConfig}): every layer has num_local_experts FFNs and a router. */
  private static void experts(ShapeDraft d) {
    HfFields f = d.f;
    int n = f.intOr(8, "num_local_experts");
    int k = f.intOr(2, "num_experts_per_tok");
    if (n < 1 || n > 65536) {
      throw f.error("num_local_experts", "is " + n + ", allowed 1..65536");
    }
    if (k < 1 || k > n) {
      throw f.error("num_experts_per_tok", "is " + k + ", allowed 1.." + n + " (num_local_experts)");
    }
    d.features.numExperts = n;
    d.features.expertsPerToken = k;
  }

  /** Gemma-2: soft-capped scores, a query scale of its own and four norms per layer. */
  private static void gemma2(ShapeDraft d) {
    HfFields f = d.f;
    double cap = f.present("attn_logit_softcapping") ? f.doubleOr(0.0, "attn_logit_softcapping") : 50.0;
    if (cap < 0) {
      throw f.error("attn_logit_softcapping", "is " + cap + ", allowed a positive number or null");
    }
    d.features.attnLogitSoftcap = cap;
    int scalar = f.intOr(256, "query_pre_attn_scalar");
    if (scalar < 1) {
      throw f.error("query_pre_attn_scalar", "is " + scalar + ", allowed a positive integer");
    }
    if (scalar != d.effectiveHeadDim("num_attention_heads")) {
      d.features.queryScaleDim = scalar;
    }
    d.features.sandwichNorm = true;
    Double finalCap = f.optionalDouble("final_logit_softcapping");
    if (finalCap != null) {
      d.note("final_logit_softcapping " + finalCap + " applies to the LM head logits (not mapped)");
    }
  }
}
