package pimforge.model;

import pimforge.params.ModelShape.Activation;

/**
 * OPT (HF {@code OPTConfig}): BERT-like names with {@code ffn_dim}, ReLU, LayerNorm, pre-norm
 * unless {@code do_layer_norm_before} is false (OPT-350m).
 */
final class OptReader {
  private OptReader() {}

  static void read(ShapeDraft d) {
    HfFields f = d.f;
    d.hidden = f.requiredInt("hidden_size");
    d.heads = f.requiredInt("num_attention_heads");
    d.layers = f.requiredInt("num_hidden_layers");
    d.kvHeads = d.heads;
    d.ffn = f.requiredInt("ffn_dim", "intermediate_size");
    d.positions = f.requiredInt("max_position_embeddings");
    d.vocab = f.requiredInt("vocab_size");
    d.act = d.activation(Activation.RELU, "activation_function");
    d.eps = f.doubleOr(1e-5, "layer_norm_eps");
    d.preNorm = f.booleanOr(true, "do_layer_norm_before");
    Integer proj = f.optionalInt("word_embed_proj_dim");
    if (proj != null && proj != d.hidden) {
      throw f.error("word_embed_proj_dim", "is " + proj + " while hidden_size is " + d.hidden + ": OPT's "
          + "project_in/project_out pair around the layers is not mapped");
    }
  }
}
