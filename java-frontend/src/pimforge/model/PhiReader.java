package pimforge.model;

import com.fasterxml.jackson.databind.JsonNode;
import pimforge.params.ModelFeatures.Block;
import pimforge.params.ModelShape.Activation;
import pimforge.params.Rope.Pairing;

/**
 * Phi-1.5 / Phi-2: HF {@code PhiConfig} ({@code model_type: phi}) and the earlier remote-code
 * format {@code mixformer-sequential} (GPT-2 names, {@code architecture.block_cls}). Attention
 * and MLP in parallel on one LayerNorm, partial rotary embedding with halves pairing, base 10000.
 */
final class PhiReader {
  private PhiReader() {}

  static void read(ShapeDraft d) {
    if (d.type.equals("phi")) {
      phi(d);
    } else {
      mixformer(d);
    }
    d.preNorm = true;
  }

  private static void phi(ShapeDraft d) {
    HfFields f = d.f;
    LlamaStyleReader.shape(d); // Phi uses the Llama names
    d.act = d.activation(Activation.GELU_TANH, "hidden_act");
    d.eps = f.doubleOr(1e-5, "layer_norm_eps");
    if (f.booleanOr(false, "qk_layernorm")) {
      throw f.error("qk_layernorm", "is true: LayerNorms on Q and K are not computed by pimforge");
    }
    int hd = d.headDim("num_attention_heads");
    double factor = f.doubleOr(0.5, "partial_rotary_factor");
    int rotary = RopeFields.fromFactor(f, "partial_rotary_factor", factor, hd);
    d.features.rope(RopeFields.read(d, hd, rotary, "partial_rotary_factor", f.doubleOr(10000.0, "rope_theta"),
        Pairing.HALVES));
    d.features.block(Block.PARALLEL_SHARED_NORM); // PhiDecoderLayer: attn(ln(x)) + mlp(ln(x)) + x
  }

  private static void mixformer(ShapeDraft d) {
    HfFields f = d.f;
    d.hidden = f.requiredInt("n_embd");
    d.heads = f.requiredInt("n_head");
    d.layers = f.requiredInt("n_layer");
    d.kvHeads = f.intOr(d.heads, "n_head_kv");
    d.kvField = "n_head_kv";
    d.ffn = f.intOr(4 * d.hidden, "n_inner");
    d.positions = f.requiredInt("n_positions");
    d.vocab = f.requiredInt("vocab_size");
    d.act = d.activation(Activation.GELU_TANH, "activation_function");
    d.eps = f.doubleOr(1e-5, "layer_norm_epsilon");
    JsonNode arch = f.optionalObject("architecture");
    String block = text(arch, "block_cls", "parallel");
    switch (block) {
      case "parallel" -> d.features.block(Block.PARALLEL_SHARED_NORM);
      case "sequential" -> d.features.block(Block.SEQUENTIAL);
      default -> throw f.error("architecture.block_cls", "is '" + block + "', allowed parallel or sequential");
    }
    JsonNode mlp = arch == null ? null : arch.get("mlp");
    String mlpCls = text(mlp, "mlp_cls", "mlp");
    if (!mlpCls.equals("mlp") && !mlpCls.equals("fused_mlp")) {
      throw f.error("architecture.mlp.mlp_cls", "is '" + mlpCls + "', allowed mlp or fused_mlp (a plain fc1/fc2 MLP)");
    }
    int hd = d.headDim("n_head");
    d.features.rope(RopeFields.read(d, hd, f.intOr(32, "rotary_dim"), "rotary_dim", 10000.0, Pairing.HALVES));
    d.note("remote-code format mixformer-sequential (auto_map) read with its defaults: rotary base 10000");
  }

  private static String text(JsonNode obj, String key, String fallback) {
    JsonNode v = obj == null ? null : obj.get(key);
    return v == null || v.isNull() ? fallback : v.asText();
  }
}
