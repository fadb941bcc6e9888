package pimforge.cost;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import pimforge.config.JsonFiles;
import pimforge.params.ParamError;

/**
 * The technology table: every energy, latency and area constant the cost model uses, each with its
 * value, its unit (the suffix of its key, see {@link #UNITS}) and the source it comes from, plus the
 * choices where the sources disagree (ADC energy, crossbar cell area, DRAM energy). The defaults are
 * the checked-in resource {@code pimforge/cost/tech-default.json}; {@code --tech FILE} replaces them
 * with a complete table of the same keys (copy evaluate's {@code tech.json} and edit it).
 *
 * <p>Validation, one {@link ParamError} naming the key: unknown or missing key, key without a unit
 * suffix, a value that is not a number, negative or not finite, a missing or empty source, a choice
 * outside its allowed values.
 */
public record TechTable(Map<String, Constant> constants, Map<String, Choice> choices) {

  /** One constant: value in the unit its key names, and where the number comes from. */
  public record Constant(double value, String source) {}

  /** One choice among disagreeing sources. */
  public record Choice(String value, String source) {}

  /** Unit suffixes a constant key may end with (after the last '_'). */
  public static final List<String> UNITS = List.of("pJ", "fJ", "um2", "ns", "ratio", "pJPerBit", "pJPerByte",
      "um2PerBit", "fJPerBit");

  /** Allowed values of each choice. */
  public static final Map<String, List<String>> CHOICES = Map.of(
      "adcEnergyModel", List.of("isaac", "accelergy", "mnsim"),
      "cellAreaModel", List.of("isaac", "mnsim"),
      "dramEnergyModel", List.of("camformerSst", "camformerPaper"));

  static final String RESOURCE = "/pimforge/cost/tech-default.json";

  private static final TechTable DEFAULTS = loadDefaults();

  public TechTable {
    constants = Collections.unmodifiableMap(new LinkedHashMap<>(constants));
    choices = Collections.unmodifiableMap(new LinkedHashMap<>(choices));
  }

  /** The checked-in defaults. */
  public static TechTable defaults() {
    return DEFAULTS;
  }

  /** Reads and validates a complete table from a user file (same keys as the defaults). */
  public static TechTable read(Path file) {
    return parse(JsonFiles.readObject(file, "a JSON object with sections choices, constants"), DEFAULTS);
  }

  /** Value of a constant (key with its unit suffix). */
  public double get(String key) {
    Constant c = constants.get(key);
    if (c == null) {
      throw new IllegalArgumentException("no technology constant " + key);
    }
    return c.value();
  }

  public String choice(String name) {
    return choices.get(name).value();
  }

  /** The same table with one choice changed (for the spread over sources). */
  public TechTable withChoice(String name, String value) {
    Map<String, Choice> c = new LinkedHashMap<>(choices);
    c.put(name, new Choice(value, choices.get(name).source()));
    return new TechTable(constants, c);
  }

  /** The table as JSON (the format {@link #read} takes). */
  public JsonNode toJson() {
    var m = new ObjectMapper();
    var root = m.createObjectNode();
    var ch = root.putObject("choices");
    choices.forEach((k, v) -> ch.putObject(k).put("value", v.value()).put("source", v.source()));
    var co = root.putObject("constants");
    constants.forEach((k, v) -> co.putObject(k).put("value", v.value()).put("source", v.source()));
    return root;
  }

  private static TechTable loadDefaults() {
    try (InputStream in = TechTable.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + RESOURCE);
      }
      return parse(new ObjectMapper().readTree(in), null);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + RESOURCE, e);
    }
  }

  /** @param reference the table whose keys are required (null: the defaults themselves, any keys) */
  static TechTable parse(JsonNode root, TechTable reference) {
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String s = it.next();
      if (!s.equals("choices") && !s.equals("constants")) {
        throw new ParamError("tech." + s, "is not a known section, allowed: choices, constants");
      }
    }
    JsonNode cs = section(root, "constants");
    JsonNode ch = section(root, "choices");
    Map<String, Constant> constants = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = cs.fields(); it.hasNext(); ) {
      var e = it.next();
      String key = "tech.constants." + e.getKey();
      if (reference != null && !reference.constants.containsKey(e.getKey())) {
        throw new ParamError(key, "is not a known constant, allowed: " + String.join(", ",
            reference.constants.keySet()));
      }
      requireUnit(key, e.getKey());
      JsonNode v = entry(key, e.getValue()).get("value");
      if (v == null || !v.isNumber() || !Double.isFinite(v.doubleValue()) || v.doubleValue() < 0) {
        throw new ParamError(key + ".value", "is " + (v == null ? "missing" : v.toString())
            + ", allowed a finite number >= 0 (in " + unit(e.getKey()) + ")");
      }
      constants.put(e.getKey(), new Constant(v.doubleValue(), source(key, e.getValue())));
    }
    Map<String, Choice> choices = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = ch.fields(); it.hasNext(); ) {
      var e = it.next();
      String key = "tech.choices." + e.getKey();
      List<String> allowed = CHOICES.get(e.getKey());
      if (allowed == null) {
        throw new ParamError(key, "is not a known choice, allowed: " + String.join(", ", CHOICES.keySet()));
      }
      JsonNode v = entry(key, e.getValue()).get("value");
      if (v == null || !v.isTextual() || !allowed.contains(v.textValue())) {
        throw new ParamError(key + ".value", "is " + (v == null ? "missing" : v.toString()) + ", allowed one of "
            + String.join(", ", allowed));
      }
      choices.put(e.getKey(), new Choice(v.textValue(), source(key, e.getValue())));
    }
    List<String> missing = new ArrayList<>();
    Iterable<String> wanted = reference == null ? CHOICES.keySet() : reference.choices.keySet();
    wanted.forEach(k -> {
      if (!choices.containsKey(k)) {
        missing.add("tech.choices." + k);
      }
    });
    if (reference != null) {
      reference.constants.keySet().forEach(k -> {
        if (!constants.containsKey(k)) {
          missing.add("tech.constants." + k);
        }
      });
    }
    if (!missing.isEmpty()) {
      throw new ParamError(missing.get(0), "is missing" + (missing.size() > 1 ? " (and " + (missing.size() - 1)
          + " more)" : "") + ", allowed: a {\"value\": number >= 0, \"source\": text} entry (every key of the default table)");
    }
    return new TechTable(constants, choices);
  }

  private static JsonNode section(JsonNode root, String name) {
    JsonNode n = root.get(name);
    if (n == null || !n.isObject()) {
      throw new ParamError("tech." + name, "is " + (n == null ? "missing" : n.toString()) + ", allowed a JSON object");
    }
    return n;
  }

  private static JsonNode entry(String key, JsonNode n) {
    if (!n.isObject()) {
      throw new ParamError(key, "is " + n + ", allowed {\"value\": ..., \"source\": \"...\"}");
    }
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!f.equals("value") && !f.equals("source")) {
        throw new ParamError(key + "." + f, "is not a known field, allowed: value, source");
      }
    }
    return n;
  }

  private static String source(String key, JsonNode n) {
    JsonNode s = n.get("source");
    if (s == null || !s.isTextual() || s.textValue().isBlank()) {
      throw new ParamError(key + ".source", "is " + (s == null ? "missing" : s.toString())
          + ", allowed a non-empty text naming where the number comes from");
    }
    return s.textValue();
  }

  private static void requireUnit(String key, String name) {
    if (unit(name) == null) {
      throw new ParamError(key, "has no unit suffix, allowed a key ending in _" + String.join(", _", UNITS));
    }
  }

  /** The unit suffix of a key, or null. */
  public static String unit(String name) {
    int i = name.lastIndexOf('_');
    if (i < 0) {
      return null;
    }
    String u = name.substring(i + 1);
    return UNITS.contains(u) ? u : null;
  }
}
