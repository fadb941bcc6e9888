package pimforge.model;

import pimforge.params.ModelFeatures.Block;
import pimforge.params.ModelFeatures.Positions;
import pimforge.params.ModelShape.Activation;
import pimforge.params.Rope.Pairing;

/**
 * GPT-NeoX (HF {@code GPTNeoXConfig}: {@code use_parallel_residual}, {@code rotary_pct},
 * {@code rotary_emb_base}) and Falcon (HF {@code FalconConfig}: {@code parallel_attn},
 * {@code new_decoder_architecture}, {@code multi_query}, {@code alibi}). LayerNorm, pre-norm.
 */
final class NeoxFalconReader {
  private NeoxFalconReader() {}

  static void read(ShapeDraft d) {
    if (d.type.equals("gpt_neox")) {
      neox(d);
    } else {
      falcon(d);
    }
    d.preNorm = true;
  }

  private static void neox(ShapeDraft d) {
    HfFields f = d.f;
    d.hidden = f.requiredInt("hidden_size");
    d.heads = f.requiredInt("num_attention_heads");
    d.layers = f.requiredInt("num_hidden_layers");
    d.kvHeads = d.heads;
    d.ffn = f.requiredInt("intermediate_size");
    d.positions = f.requiredInt("max_position_embeddings");
    d.vocab = f.requiredInt("vocab_size");
    d.act = d.activation(Activation.GELU, "hidden_act");
    d.eps = f.doubleOr(1e-5, "layer_norm_eps");
    int hd = d.headDim("num_attention_heads");
    String pctField = f.given("partial_rotary_factor") ? "partial_rotary_factor" : "rotary_pct";
    int rotary = RopeFields.fromFactor(f, pctField, f.doubleOr(0.25, pctField), hd);
    d.features.rope(RopeFields.read(d, hd, rotary, pctField, f.doubleOr(10000.0, "rope_theta", "rotary_emb_base"),
        Pairing.HALVES));
    // GPTNeoXLayer with use_parallel_residual: x + attn(ln1(x)) + mlp(ln2(x)).
    d.features.block(f.booleanOr(true, "use_parallel_residual") ? Block.PARALLEL_TWO_NORMS : Block.SEQUENTIAL);
  }

  private static void falcon(ShapeDraft d) {
    HfFields f = d.f;
    d.hidden = f.requiredInt("hidden_size");
    d.heads = f.requiredInt("num_attention_heads", "n_head");
    d.layers = f.requiredInt("num_hidden_layers", "n_layer");
    d.ffn = f.intOr(4 * d.hidden, "ffn_hidden_size");
    d.positions = f.intOr(2048, "max_position_embeddings");
    d.vocab = f.requiredInt("vocab_size");
    d.act = d.activation(Activation.GELU, "activation");
    d.eps = f.doubleOr(1e-5, "layer_norm_epsilon");
    boolean newArch = f.booleanOr(false, "new_decoder_architecture");
    if (newArch) {
      d.kvHeads = f.intOr(d.heads, "num_kv_heads");
    } else {
      d.kvHeads = f.booleanOr(true, "multi_query") ? 1 : d.heads;
    }
    d.kvField = newArch ? "num_kv_heads" : "multi_query";
    if (f.booleanOr(true, "parallel_attn") || newArch) {
      boolean twoNorms = newArch && f.intOr(2, "num_ln_in_parallel_attn") == 2;
      d.features.block(twoNorms ? Block.PARALLEL_TWO_NORMS : Block.PARALLEL_SHARED_NORM);
    }
    int hd = d.headDim("num_attention_heads");
    if (f.booleanOr(false, "alibi")) {
      d.features.positions = Positions.ALIBI;
    } else {
      d.features.rope(RopeFields.read(d, hd, hd, "hidden_size / num_attention_heads", f.doubleOr(10000.0, "rope_theta"), Pairing.HALVES));
    }
  }
}
