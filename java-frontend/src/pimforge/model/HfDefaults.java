package pimforge.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;

/**
 * Defaults of the transformers config classes, for nested configs that write only the fields that
 * differ (LLaVA's {@code text_config}). Values from the classes' __init__ signatures
 * ({@code LlamaConfig}, {@code MistralConfig}).
 */
final class HfDefaults {
  private HfDefaults() {}

  private static final ObjectMapper M = new ObjectMapper();

  private static final Map<String, String> DEFAULTS = Map.of(
      "llama", "{\"vocab_size\":32000,\"hidden_size\":4096,\"intermediate_size\":11008,\"num_hidden_layers\":32,"
          + "\"num_attention_heads\":32,\"hidden_act\":\"silu\",\"max_position_embeddings\":2048,"
          + "\"rms_norm_eps\":1e-6,\"rope_theta\":10000.0}",
      "mistral", "{\"vocab_size\":32000,\"hidden_size\":4096,\"intermediate_size\":14336,\"num_hidden_layers\":32,"
          + "\"num_attention_heads\":32,\"num_key_value_heads\":8,\"hidden_act\":\"silu\","
          + "\"max_position_embeddings\":131072,\"rms_norm_eps\":1e-6,\"rope_theta\":10000.0,\"sliding_window\":4096}");

  static List<String> types() {
    return DEFAULTS.keySet().stream().sorted().toList();
  }

  /** The defaults object of that text model type, or null when pimforge does not know them. */
  static JsonNode of(String type) {
    String json = DEFAULTS.get(type);
    try {
      return json == null ? null : M.readTree(json);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
