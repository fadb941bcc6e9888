package pimforge.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import pimforge.params.ModelFeatures.Block;
import pimforge.params.ModelFeatures.Positions;
import pimforge.params.ModelFeatures.WindowLayers;
import pimforge.params.ModelShape.Activation;
import pimforge.params.Rope.Pairing;

/**
 * Decoders with GPT-2 naming or close to it: GPT-2 ({@code n_embd}, {@code n_head},
 * {@code n_layer}, {@code n_inner}: null = 4 x n_embd), GPT-Neo ({@code hidden_size},
 * {@code num_heads}, {@code num_layers}, alternating global/local attention), GPT-J (rotary,
 * parallel block) and BLOOM (ALiBi). LayerNorm, pre-norm.
 */
final class Gpt2StyleReader {
  private Gpt2StyleReader() {}

  static void read(ShapeDraft d) {
    HfFields f = d.f;
    d.hidden = f.requiredInt("n_embd", "hidden_size");
    d.heads = f.requiredInt("n_head", "num_heads", "num_attention_heads");
    d.layers = f.requiredInt("n_layer", "num_layers", "num_hidden_layers");
    d.kvHeads = d.heads;
    // n_inner / intermediate_size null or absent means 4 x hidden (GPT2Config, GPTNeoConfig, GPTJConfig, BloomConfig).
    d.ffn = f.intOr(4 * d.hidden, "n_inner", "intermediate_size");
    d.vocab = f.requiredInt("vocab_size");
    d.act = d.activation(Activation.GELU_TANH, "activation_function");
    d.eps = f.doubleOr(1e-5, "layer_norm_epsilon", "layer_norm_eps");
    d.preNorm = true;
    switch (d.type) {
      case "gpt2" -> gpt2(d);
      case "gpt_neo" -> gptNeo(d);
      case "gptj" -> gptj(d);
      case "bloom" -> bloom(d);
      default -> throw new IllegalStateException("no GPT-2-style reader for " + d.type);
    }
  }

  private static void gpt2(ShapeDraft d) {
    HfFields f = d.f;
    d.positions = f.requiredInt("n_positions", "max_position_embeddings");
    if (f.booleanOr(false, "scale_attn_by_inverse_layer_idx")) {
      throw f.error("scale_attn_by_inverse_layer_idx", "is true: scores scaled by 1/(layer+1) differ per layer, "
          + "which pimforge does not compute");
    }
    if (!f.booleanOr(true, "scale_attn_weights")) {
      d.features.queryScaleDim = 1;
    }
  }

  /**
   * GPT-Neo (HF {@code GPTNeoConfig}): {@code attention_types} [[["global","local"], 6]] expands to
   * the per-layer list {@code attention_layers}; local layers attend to the last
   * {@code window_size} tokens. GPT-Neo does not scale the scores by 1/sqrt(head_dim).
   */
  private static void gptNeo(ShapeDraft d) {
    HfFields f = d.f;
    d.positions = f.requiredInt("max_position_embeddings", "n_positions");
    List<String> kinds = attentionLayers(f, d.layers);
    boolean allGlobal = kinds.stream().allMatch("global"::equals);
    if (!allGlobal) {
      WindowLayers which = pattern(kinds);
      if (which == null) {
        throw f.error("attention_types", "gives the layer pattern " + kinds + ", allowed all global, all local or "
            + "alternating global/local");
      }
      int window = f.intOr(256, "window_size");
      if (window < 1) {
        throw f.error("window_size", "is " + window + ", allowed a positive integer");
      }
      d.features.window(window, which);
    }
    d.features.queryScaleDim = 1; // GPTNeoSelfAttention: attn_weights = q @ k^T, no 1/sqrt(head_dim)
  }

  private static List<String> attentionLayers(HfFields f, int layers) {
    List<String> out = new ArrayList<>();
    JsonNode types = f.node("attention_types");
    if (types != null) {
      if (!types.isArray()) {
        throw f.error("attention_types", "is " + types + ", allowed a list of [[kinds...], repeat] pairs");
      }
      for (JsonNode pair : types) {
        if (!pair.isArray() || pair.size() != 2 || !pair.get(0).isArray() || !pair.get(1).canConvertToInt()) {
          throw f.error("attention_types", "holds " + pair + ", allowed [[\"global\", \"local\"], repeat]");
        }
        for (int r = 0; r < pair.get(1).intValue(); r++) {
          for (JsonNode k : pair.get(0)) {
            out.add(k.asText());
          }
        }
      }
    } else {
      JsonNode list = f.node("attention_layers");
      if (list == null) {
        for (int i = 0; i < layers; i++) {
          out.add("global");
        }
        return out;
      }
      list.forEach(k -> out.add(k.asText()));
    }
    for (String k : out) {
      if (!k.equals("global") && !k.equals("local")) {
        throw f.error("attention_types", "names '" + k + "', allowed global or local");
      }
    }
    if (out.size() != layers) {
      throw f.error("attention_types", "describes " + out.size() + " layers, allowed num_layers = " + layers);
    }
    return out;
  }

  private static WindowLayers pattern(List<String> kinds) {
    boolean all = true;
    boolean even = true;
    boolean odd = true;
    for (int i = 0; i < kinds.size(); i++) {
      boolean local = kinds.get(i).equals("local");
      all &= local;
      even &= local == (i % 2 == 0);
      odd &= local == (i % 2 == 1);
    }
    return all ? WindowLayers.ALL : even ? WindowLayers.EVEN : odd ? WindowLayers.ODD : null;
  }

  /**
   * GPT-J (HF {@code GPTJConfig}): attention and MLP in parallel on one LayerNorm (GPTJBlock);
   * the first {@code rotary_dim} dimensions of each head rotated with interleaved pairs
   * ({@code rotate_every_two}), base 10000.
   */
  private static void gptj(ShapeDraft d) {
    HfFields f = d.f;
    d.positions = f.requiredInt("n_positions", "max_position_embeddings");
    int headDim = d.headDim("n_head");
    int rotary = f.intOr(headDim, "rotary_dim");
    d.features.rope(RopeFields.read(d, headDim, rotary, "rotary_dim", 10000.0, Pairing.INTERLEAVED));
    d.features.block(Block.PARALLEL_SHARED_NORM);
  }

  /**
   * BLOOM (HF {@code BloomConfig}): ALiBi biases instead of a position table, so no position
   * limit; {@code seq_length} (else the 2048 tokens BLOOM was trained on) is the sequence limit.
   */
  private static void bloom(ShapeDraft d) {
    HfFields f = d.f;
    d.act = Activation.GELU_TANH; // bloom_gelu_forward: the tanh approximation, not configurable
    if (f.booleanOr(false, "apply_residual_connection_post_layernorm")) {
      throw f.error("apply_residual_connection_post_layernorm", "is true: the residual taken after the norm is "
          + "not computed by pimforge");
    }
    Integer seq = f.optionalInt("seq_length", "max_position_embeddings", "n_positions");
    d.positions = seq != null ? seq : 2048;
    d.features.positions = Positions.ALIBI;
    d.note("ALiBi sets no position limit; " + (seq != null ? "seq_length " + seq : "2048 (BLOOM's training length)")
        + " is used as the longest sequence");
  }
}
