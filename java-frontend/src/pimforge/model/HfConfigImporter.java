package pimforge.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import pimforge.config.JsonFiles;
import pimforge.params.ModelShape;
import pimforge.params.ModelShape.Family;
import pimforge.params.ParamError;

/**
 * Reads a Hugging Face config.json into a {@link ModelShape}: either faithfully (every field that
 * changes the computation or the weight count is honoured, see {@link pimforge.params.ModelFeatures})
 * or refused with one line naming the field and why. One reader per naming scheme
 * ({@link BertStyleReader}, {@link Gpt2StyleReader}, {@link OptReader}, {@link LlamaStyleReader},
 * {@link PhiReader}, {@link NeoxFalconReader}); fields that do not change the computation
 * (dropouts, token ids, labels, generation defaults) are ignored on purpose. Value ranges are then
 * checked by ModelShape itself (naming model.*).
 */
public final class HfConfigImporter {
  private HfConfigImporter() {}

  private record Kind(Family family, Consumer<ShapeDraft> reader) {}

  private static final Map<String, Kind> TYPES = types();

  private static Map<String, Kind> types() {
    Map<String, Kind> m = new LinkedHashMap<>();
    for (String t : List.of("bert", "roberta", "xlm-roberta", "camembert", "distilbert", "albert", "electra", "mpnet",
        "deberta", "deberta-v2", "vit")) {
      m.put(t, new Kind(Family.ENCODER, BertStyleReader::read));
    }
    for (String t : List.of("gpt2", "gpt_neo", "gptj", "bloom")) {
      m.put(t, new Kind(Family.DECODER, Gpt2StyleReader::read));
    }
    m.put("opt", new Kind(Family.DECODER, OptReader::read));
    for (String t : List.of("llama", "mistral", "mixtral", "qwen2", "gemma", "gemma2", "phi3")) {
      m.put(t, new Kind(Family.DECODER, LlamaStyleReader::read));
    }
    for (String t : List.of("phi", "mixformer-sequential")) {
      m.put(t, new Kind(Family.DECODER, PhiReader::read));
    }
    for (String t : List.of("gpt_neox", "falcon")) {
      m.put(t, new Kind(Family.DECODER, NeoxFalconReader::read));
    }
    return m;
  }

  /** Model types that wrap a text model in {@code text_config} (the vision tower is not mapped). */
  private static final List<String> NESTED_TEXT = List.of("llava", "llava_next", "llava_onevision", "vipllava");

  /** Encoder-decoder types: refused by name (pimforge maps one stack of self-attention layers). */
  private static final List<String> ENCODER_DECODER = List.of("t5", "mt5", "umt5", "longt5", "bart", "mbart",
      "marian", "pegasus", "blenderbot", "m2m_100", "led", "fsmt", "prophetnet", "whisper", "nllb-moe");

  /** Every model_type that is imported (for help texts and messages). */
  public static List<String> supportedTypes() {
    return List.copyOf(TYPES.keySet());
  }

  /** Reads {@code file} (a config.json). */
  public static ModelShape read(Path file) {
    refuseLfsPointer(file);
    JsonNode root = JsonFiles.readObject(file, "a Hugging Face config.json object");
    return fromTree(root, defaultName(file, root), file.toString(), file);
  }

  /** Converts an already parsed config.json; {@code where} names the source in error messages. */
  public static ModelShape fromTree(JsonNode c, String name, String where) {
    return fromTree(c, name, where, null);
  }

  private static ModelShape fromTree(JsonNode c, String name, String where, Path file) {
    HfFields top = new HfFields(c, where);
    String type = modelType(top, c, file);
    if (NESTED_TEXT.contains(type)) {
      refuseUnsupported(top); // a quantization_config of the wrapper applies to the text model too
      return nested(top, c, name, where, type);
    }
    refuseEncoderDecoder(top, type);
    Kind kind = TYPES.get(type);
    if (kind == null) {
      throw top.error("model_type", "is '" + type + "', allowed one of " + String.join(", ", TYPES.keySet())
          + " (or llava with a text_config)");
    }
    ShapeDraft d = new ShapeDraft(top, type, name, kind.family());
    if (!top.given("model_type")) {
      d.note("model_type missing (a config from before transformers 3): read as '" + type + "', guessed from "
          + (c.has("architectures") ? "architectures" : "the file name") + " as AutoConfig does");
    }
    kind.reader().accept(d);
    refuseUnsupported(d.f);
    return d.build();
  }

  /** Checks every family shares: pre-quantized checkpoints and cross-attention are refused by name. */
  private static void refuseUnsupported(HfFields f) {
    JsonNode q = f.node("quantization_config");
    if (q != null) {
      String method = q.path("quant_method").asText("unknown");
      String bits = q.has("bits") ? q.get("bits").asText() + "-bit" : q.has("load_in_4bit")
          && q.get("load_in_4bit").asBoolean() ? "4-bit" : "quantized";
      String group = q.has("group_size") ? ", group_size " + q.get("group_size").asText() : "";
      throw f.error("quantization_config", "says " + method + " " + bits + " weights" + group + ": the checkpoint "
          + "is pre-quantized with per-group scales, which pimforge's own quantization (precision.weightBits) would "
          + "silently replace; use the unquantized model's config.json");
    }
    if (f.booleanOr(false, "add_cross_attention")) {
      throw f.error("add_cross_attention", "is true: cross-attention layers (an encoder-decoder use) are not mapped");
    }
    // is_decoder is ignored on purpose: PretrainedConfig.to_dict() writes is_decoder false on every model.
  }

  private static void refuseEncoderDecoder(HfFields f, String type) {
    if (ENCODER_DECODER.contains(type) || f.booleanOr(false, "is_encoder_decoder")) {
      String extra = f.given("relative_attention_num_buckets")
          ? "; its attention also adds a relative-position bias (relative_attention_num_buckets)" : "";
      throw f.error("model_type", "is '" + type + "': an encoder-decoder (an encoder stack plus a decoder stack with "
          + "cross-attention)" + extra + "; pimforge maps one stack of self-attention layers, so it is refused rather "
          + "than approximated");
    }
  }

  /**
   * model_type, else (configs written before transformers 3) guessed as AutoConfig does: from
   * {@code architectures} or the longest known type in the file or folder name.
   */
  private static String modelType(HfFields f, JsonNode c, Path file) {
    String t = f.optionalString("model_type");
    if (t != null) {
      return t.toLowerCase(Locale.ROOT);
    }
    JsonNode arch = c.get("architectures");
    if (arch != null && arch.isArray() && arch.size() > 0) {
      String a = arch.get(0).asText().toLowerCase(Locale.ROOT).replace("_", "");
      String best = longestMatch(a, true);
      if (best != null) {
        return best;
      }
    }
    if (file != null) {
      Path abs = file.toAbsolutePath();
      String names = (abs.getParent() == null || abs.getParent().getFileName() == null ? ""
          : abs.getParent().getFileName() + "/") + abs.getFileName();
      String best = longestMatch(names.toLowerCase(Locale.ROOT), false);
      if (best != null) {
        return best;
      }
    }
    throw f.error("model_type", "is missing, and neither architectures nor the file name tell the model type; "
        + "add \"model_type\" (one of " + String.join(", ", TYPES.keySet()) + ")");
  }

  private static String longestMatch(String text, boolean stripPunctuation) {
    String best = null;
    for (String known : TYPES.keySet()) {
      String k = stripPunctuation ? known.replace("_", "").replace("-", "") : known;
      if (text.contains(k) && (best == null || k.length() > best.length())) {
        best = known;
      }
    }
    return best;
  }

  /**
   * LLaVA-style configs: the language model is {@code text_config}, which writes only the fields
   * that differ from its config class's defaults; those defaults fill the rest.
   */
  private static ModelShape nested(HfFields top, JsonNode c, String name, String where, String type) {
    JsonNode text = top.optionalObject("text_config");
    if (text == null) {
      throw top.error("text_config", "is missing: " + type + " wraps a language model described there");
    }
    HfFields probe = new HfFields(text, null, where, "text_config.");
    String textType = probe.optionalString("model_type");
    textType = textType == null ? "llama" : textType.toLowerCase(Locale.ROOT);
    JsonNode defaults = HfDefaults.of(textType);
    if (defaults == null) {
      throw probe.error("model_type", "is '" + textType + "', allowed one of " + String.join(", ", HfDefaults.types())
          + " inside " + type);
    }
    Kind kind = TYPES.get(textType);
    ShapeDraft d = new ShapeDraft(new HfFields(text, defaults, where, "text_config."), textType, name, kind.family());
    kind.reader().accept(d);
    refuseUnsupported(d.f);
    StringBuilder filled = new StringBuilder();
    for (Iterator<String> it = defaults.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!text.has(k)) {
        filled.append(filled.length() == 0 ? "" : ", ").append(k).append(' ').append(defaults.get(k));
      }
    }
    d.note("text_config of " + type + ": " + textType + " defaults used for " + filled);
    if (c.has("vision_config")) {
      d.note("vision_config (" + c.get("vision_config").path("model_type").asText("vision tower")
          + ") and the multi-modal projector are not mapped: the design is the language model");
    }
    return d.build();
  }

  /** A Git LFS pointer committed in place of the file is the usual result of cloning without git-lfs. */
  private static void refuseLfsPointer(Path file) {
    if (!Files.isRegularFile(file)) {
      return; // JsonFiles reports the missing file
    }
    byte[] head;
    try (InputStream in = Files.newInputStream(file)) {
      head = in.readNBytes(64);
    } catch (IOException e) {
      return;
    }
    if (new String(head, StandardCharsets.UTF_8).startsWith("version https://git-lfs")) {
      throw new ParamError(file.toString(), "is not JSON: it looks like a Git LFS pointer (the real config.json "
          + "was not downloaded; run 'git lfs pull' in the model repository)");
    }
  }

  /**
   * The file name without .json when it is not called config.json; else the parent folder name (HF
   * checkouts are named after the model); else model_type. Sanitized.
   */
  static String defaultName(Path file, JsonNode root) {
    Path abs = file.toAbsolutePath();
    String fileName = abs.getFileName() == null ? "" : abs.getFileName().toString();
    if (!fileName.equals("config.json") && !fileName.isEmpty()) {
      String stem = sanitize(fileName.endsWith(".json") ? fileName.substring(0, fileName.length() - 5) : fileName);
      if (!stem.isEmpty()) {
        return stem;
      }
    }
    Path parent = abs.getParent();
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
}
