package pimforge.model;

import java.util.Set;
import pimforge.params.ModelFeatures.Positions;
import pimforge.params.ModelShape.Activation;
import pimforge.params.PatchEmbedding;

/**
 * Encoders with BERT naming ({@code hidden_size}, {@code num_attention_heads},
 * {@code num_hidden_layers}, {@code intermediate_size}; HF {@code BertConfig} and relatives),
 * DistilBERT naming ({@code dim}, {@code n_heads}, {@code n_layers}, {@code hidden_dim}) and ViT.
 * Post-norm except ViT (pre-norm).
 */
final class BertStyleReader {
  private BertStyleReader() {}

  /** Position ids start at pad_token_id + 1 (RobertaEmbeddings, MPNetEmbeddings). */
  private static final Set<String> PADDING_OFFSET = Set.of("roberta", "xlm-roberta", "camembert", "mpnet");

  static void read(ShapeDraft d) {
    HfFields f = d.f;
    d.hidden = f.requiredInt("hidden_size", "n_embd", "dim");
    d.heads = f.requiredInt("num_attention_heads", "n_head", "n_heads");
    d.layers = f.requiredInt("num_hidden_layers", "n_layer", "n_layers");
    d.ffn = f.requiredInt("intermediate_size", "ffn_dim", "n_inner", "hidden_dim");
    d.kvHeads = d.heads;
    d.act = d.activation(Activation.GELU, "hidden_act", "activation");
    d.eps = f.doubleOr(d.type.equals("mpnet") ? 1e-5 : d.type.startsWith("deberta") ? 1e-7 : 1e-12,
        "layer_norm_eps", "layer_norm_epsilon");
    d.preNorm = false;
    String pet = f.optionalString("position_embedding_type");
    if (pet != null && !pet.equals("absolute")) {
      throw f.error("position_embedding_type", "is '" + pet + "', allowed absolute (relative_key attention adds "
          + "position terms to the scores that pimforge does not compute)");
    }
    if (d.type.equals("vit")) {
      vit(d);
      return;
    }
    d.vocab = f.requiredInt("vocab_size");
    int table = f.requiredInt("max_position_embeddings", "n_positions");
    d.positions = table;
    if (PADDING_OFFSET.contains(d.type)) {
      int pad = f.intOr(1, "pad_token_id");
      d.positions = table - pad - 1;
      if (d.positions < 1) {
        throw f.error("max_position_embeddings", "is " + table + ", allowed more than pad_token_id + 1 = " + (pad + 1));
      }
      d.note("max_position_embeddings " + table + " includes the padding offset pad_token_id + 1 = " + (pad + 1)
          + ": " + d.positions + " usable positions");
    }
    switch (d.type) {
      case "distilbert" -> {
        if (f.booleanOr(false, "sinusoidal_pos_embds")) {
          d.features.positions = Positions.SINUSOIDAL;
        }
      }
      case "albert" -> albert(d);
      case "electra" -> embeddingProjection(d, f.intOr(128, "embedding_size"), "embedding_size");
      case "mpnet" -> d.features.relativeBuckets = f.intOr(32, "relative_attention_num_buckets");
      case "deberta", "deberta-v2" -> deberta(d);
      default -> { }
    }
  }

  private static void embeddingProjection(ShapeDraft d, int size, String field) {
    if (size < 1) {
      throw d.f.error(field, "is " + size + ", allowed a positive integer");
    }
    if (size != d.hidden) {
      d.features.embeddingSize = size;
    }
  }

  /**
   * ALBERT (HF {@code AlbertConfig}): embeddings of {@code embedding_size} projected to hidden;
   * {@code num_hidden_groups} weight sets of {@code inner_group_num} layers each; the
   * {@code num_hidden_layers} iterations walk the groups in order, running every inner layer of
   * the group ({@code AlbertTransformer.forward}).
   */
  private static void albert(ShapeDraft d) {
    HfFields f = d.f;
    embeddingProjection(d, f.intOr(128, "embedding_size"), "embedding_size");
    int groups = f.intOr(1, "num_hidden_groups");
    int inner = f.intOr(1, "inner_group_num");
    if (groups < 1 || groups > d.layers || d.layers % groups != 0) {
      throw f.error("num_hidden_groups", "is " + groups + ", allowed a divisor of num_hidden_layers = " + d.layers);
    }
    if (inner < 1 || inner > 64) {
      throw f.error("inner_group_num", "is " + inner + ", allowed 1..64");
    }
    int executed = d.layers * inner;
    int stored = groups * inner;
    d.layers = executed;
    if (stored != executed) {
      d.features.storedLayers = stored;
    }
  }

  /** DeBERTa's disentangled attention adds content-to-position terms: refused by name. */
  private static void deberta(ShapeDraft d) {
    HfFields f = d.f;
    if (f.booleanOr(false, "relative_attention")) {
      var pat = f.node("pos_att_type");
      throw f.error("relative_attention", "is true: DeBERTa's disentangled attention (pos_att_type "
          + (pat == null ? "none" : pat.toString().replace("\"", "")) + ") adds content-to-position and "
          + "position-to-content scores that pimforge does not compute");
    }
    if (!f.booleanOr(true, "position_biased_input")) {
      d.features.positions = Positions.NONE;
    }
  }

  /** ViT (HF {@code ViTConfig}): pre-norm encoder over (image/patch)^2 patches plus a class token. */
  private static void vit(ShapeDraft d) {
    HfFields f = d.f;
    int image = f.intOr(224, "image_size");
    int patch = f.intOr(16, "patch_size");
    int channels = f.intOr(3, "num_channels");
    if (patch < 1 || patch > image) {
      throw f.error("patch_size", "is " + patch + ", allowed 1..image_size (" + image + ")");
    }
    PatchEmbedding p = new PatchEmbedding(image, patch, channels);
    d.features.patches = p;
    d.preNorm = true; // ViTLayer: layernorm_before -> attention, layernorm_after -> MLP
    d.vocab = 0;
    d.positions = p.tokens();
    d.note("vision encoder: no token vocabulary; the pooler and classifier head are not mapped");
  }
}
