package pimforge.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import pimforge.config.JsonFiles;
import pimforge.params.ModelShape;
import pimforge.params.ModelShape.Activation;
import pimforge.params.ModelShape.Family;
import pimforge.params.ModelShape.Norm;
import pimforge.params.ParamError;

/**
 * Reads a Hugging Face config.json (BERT, GPT-2, OPT, Llama/Mistral namings) into a
 * {@link ModelShape}. Only the fields the hardware needs are read; the dozens of other HF fields
 * are ignored on purpose. Field problems name the HF field; value ranges are then checked by
 * ModelShape itself (naming model.*).
 */
public final class HfConfigImporter {
  private HfConfigImporter() {}

  static final Set<String> ENCODER_TYPES = Set.of(
      "bert", "roberta", "distilbert", "albert", "electra", "xlm-roberta", "camembert", "mpnet",
      "deberta", "deberta-v2");
  static final Set<String> DECODER_TYPES = Set.of(
      "gpt2", "gpt_neo", "gptj", "opt", "llama", "mistral", "mixtral", "qwen2", "gemma", "phi3");
  /** Decoders with RMSNorm, a gated (gate/up/down) FFN and pre-norm blocks. */
  private static final Set<String> LLAMA_LIKE = Set.of("llama", "mistral", "mixtral", "qwen2", "gemma", "phi3");

  private static final Map<String, Activation> ACTIVATIONS = Map.of(
      "gelu", Activation.GELU,
      "gelu_new", Activation.GELU_TANH,
      "gelu_pytorch_tanh", Activation.GELU_TANH,
      "gelu_fast", Activation.GELU_TANH,
      "relu", Activation.RELU,
      "silu", Activation.SILU,
      "swish", Activation.SILU);

  /** Reads {@code file} (a config.json). */
  public static ModelShape read(Path file) {
    JsonNode root = JsonFiles.readObject(file, "a Hugging Face config.json object");
    return fromTree(root, defaultName(file, root), file.toString());
  }

  /** Converts an already parsed config.json; {@code where} names the source in error messages. */
  public static ModelShape fromTree(JsonNode c, String name, String where) {
    Fields f = new Fields(c, where);
    String type = f.requiredString("model_type").toLowerCase(Locale.ROOT);
    Family family;
    if (ENCODER_TYPES.contains(type)) {
      family = Family.ENCODER;
    } else if (DECODER_TYPES.contains(type)) {
      family = Family.DECODER;
    } else {
      throw new ParamError(where, "model_type is '" + type + "', allowed one of "
          + String.join(", ", sorted(ENCODER_TYPES)) + " (encoders), "
          + String.join(", ", sorted(DECODER_TYPES)) + " (decoders)");
    }
    boolean llamaLike = LLAMA_LIKE.contains(type);

    int hidden = f.requiredInt("hidden_size", "n_embd", "dim");
    int heads = f.requiredInt("num_attention_heads", "n_head", "n_heads");
    int layers = f.requiredInt("num_hidden_layers", "n_layer", "n_layers");
    // GPT-2 writes n_inner: null for the default 4 * n_embd.
    Integer ffnOrNull = f.optionalInt("intermediate_size", "ffn_dim", "n_inner", "hidden_dim");
    int ffn = ffnOrNull != null ? ffnOrNull : f.present("n_inner") || type.equals("gpt2") ? 4 * hidden
        : f.requiredInt("intermediate_size", "ffn_dim", "n_inner");
    Integer kvOrNull = f.optionalInt("num_key_value_heads");
    int kvHeads = kvOrNull != null ? kvOrNull : heads;
    int positions = f.requiredInt("max_position_embeddings", "n_positions");
    int vocab = f.requiredInt("vocab_size");

    String actName = f.optionalString("hidden_act", "activation_function", "activation");
    Activation act;
    if (actName == null) {
      act = llamaLike ? Activation.SILU : type.equals("gpt2") ? Activation.GELU_TANH : Activation.GELU;
    } else {
      act = ACTIVATIONS.get(actName.toLowerCase(Locale.ROOT));
      if (act == null) {
        throw new ParamError(where, f.nameOf("hidden_act", "activation_function", "activation")
            + " is '" + actName + "', allowed one of " + String.join(", ", sorted(ACTIVATIONS.keySet())));
      }
    }

    Norm norm = llamaLike || f.present("rms_norm_eps") ? Norm.RMSNORM : Norm.LAYERNORM;
    Double epsOrNull = f.optionalDouble("layer_norm_eps", "layer_norm_epsilon", "rms_norm_eps");
    // HF's own defaults when a config leaves the epsilon out (OPT does): 1e-12 BERT, 1e-5 otherwise.
    double eps = epsOrNull != null ? epsOrNull : family == Family.ENCODER ? 1e-12 : 1e-5;

    boolean preNorm;
    if (family == Family.ENCODER) {
      preNorm = false;
    } else if (type.equals("opt")) {
      Boolean before = f.optionalBoolean("do_layer_norm_before");
      preNorm = before == null || before; // OPT-350m alone is post-LN
    } else {
      preNorm = true;
    }
    return new ModelShape(name, family, hidden, heads, kvHeads, layers, ffn, positions, vocab,
        norm, eps, act, llamaLike, preNorm);
  }

  /** Parent folder name (HF checkouts are named after the model), else model_type; sanitized. */
  static String defaultName(Path file, JsonNode root) {
    Path parent = file.toAbsolutePath().getParent();
    String fromFolder = parent == null || parent.getFileName() == null ? "" : sanitize(parent.getFileName().toString());
    if (!fromFolder.isEmpty()) {
      return fromFolder;
    }
    JsonNode type = root.get("model_type");
    String fromType = type != null && type.isTextual() ? sanitize(type.asText()) : "";
    return fromType.isEmpty() ? "model" : fromType;
  }

  /** Lower case, characters outside [a-z0-9_.-] become '-', leading punctuation dropped, at most 64. */
  public static String sanitize(String raw) {
    String s = raw.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_.-]", "-").replaceAll("^[^a-z0-9]+", "");
    return s.length() > 64 ? s.substring(0, 64) : s;
  }

  private static java.util.List<String> sorted(Set<String> s) {
    return s.stream().sorted().toList();
  }

  /** Typed access to the HF fields, trying alternative names in order. */
  private static final class Fields {
    private final JsonNode c;
    private final String where;

    Fields(JsonNode c, String where) {
      this.c = c;
      this.where = where;
    }

    boolean present(String name) {
      return c.has(name);
    }

    /** The first of the names present (null values count as present), else the first name. */
    String nameOf(String... names) {
      for (String n : names) {
        if (c.has(n)) {
          return n;
        }
      }
      return names[0];
    }

    private JsonNode first(String... names) {
      for (String n : names) {
        JsonNode v = c.get(n);
        if (v != null && !v.isNull()) {
          return v;
        }
      }
      return null;
    }

    private String missing(String... names) {
      String alt = names.length > 1
          ? " (or " + String.join(", ", java.util.Arrays.asList(names).subList(1, names.length)) + ")" : "";
      return names[0] + " is missing" + alt;
    }

    int requiredInt(String... names) {
      Integer v = optionalInt(names);
      if (v == null) {
        throw new ParamError(where, missing(names));
      }
      return v;
    }

    Integer optionalInt(String... names) {
      JsonNode v = first(names);
      if (v == null) {
        return null;
      }
      if (!v.isIntegralNumber() || !v.canConvertToInt()) {
        throw new ParamError(where, nameOf(names) + " is " + v + ", allowed an integer");
      }
      return v.intValue();
    }

    Double optionalDouble(String... names) {
      JsonNode v = first(names);
      if (v == null) {
        return null;
      }
      if (!v.isNumber()) {
        throw new ParamError(where, nameOf(names) + " is " + v + ", allowed a number");
      }
      return v.doubleValue();
    }

    Boolean optionalBoolean(String name) {
      JsonNode v = first(name);
      if (v == null) {
        return null;
      }
      if (!v.isBoolean()) {
        throw new ParamError(where, name + " is " + v + ", allowed true or false");
      }
      return v.booleanValue();
    }

    String optionalString(String... names) {
      JsonNode v = first(names);
      if (v == null) {
        return null;
      }
      if (!v.isTextual()) {
        throw new ParamError(where, nameOf(names) + " is " + v + ", allowed a string");
      }
      return v.textValue();
    }

    String requiredString(String name) {
      String v = optionalString(name);
      if (v == null) {
        throw new ParamError(where, missing(name));
      }
      return v;
    }
  }
}
