package pimforge.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import pimforge.params.ParamError;

/**
 * Typed access to the fields of one Hugging Face config object, trying alternative names in
 * order. Errors are {@link ParamError}s on the file that name the HF field (with its path inside
 * the file for nested configs, e.g. {@code text_config.hidden_size}). A field that is absent can
 * fall back to a defaults object: the defaults of the HF config class, used for nested configs
 * that write only what differs (LLaVA's {@code text_config}).
 */
final class HfFields {
  private final JsonNode c;
  private final JsonNode defaults;
  private final String where;
  private final String prefix;

  HfFields(JsonNode c, JsonNode defaults, String where, String prefix) {
    this.c = c;
    this.defaults = defaults;
    this.where = where;
    this.prefix = prefix;
  }

  HfFields(JsonNode c, String where) {
    this(c, null, where, "");
  }

  String where() {
    return where;
  }

  /** The HF field name as written in messages: prefixed with its parent object for nested configs. */
  String path(String name) {
    return prefix + name;
  }

  /** A user error on this file naming {@code field} (an HF field name). */
  ParamError error(String field, String problem) {
    return new ParamError(where, path(field) + " " + problem);
  }

  /** Present in the config itself (null values count as present). */
  boolean present(String name) {
    return c.has(name);
  }

  /** Present with a non-null value in the config itself. */
  boolean given(String name) {
    return c.hasNonNull(name);
  }

  /** The raw node (config first, then defaults), or null when absent or null. */
  JsonNode node(String name) {
    JsonNode v = c.get(name);
    if (v != null && !v.isNull()) {
      return v;
    }
    if (v == null && defaults != null) {
      JsonNode d = defaults.get(name);
      return d == null || d.isNull() ? null : d;
    }
    return null;
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
    if (defaults != null) {
      for (String n : names) {
        if (!c.has(n) && defaults.hasNonNull(n)) {
          return defaults.get(n);
        }
      }
    }
    return null;
  }

  private String missing(String... names) {
    String alt = names.length > 1 ? " (or " + String.join(", ", Arrays.asList(names).subList(1, names.length)) + ")" : "";
    return "is missing" + alt;
  }

  int requiredInt(String... names) {
    Integer v = optionalInt(names);
    if (v == null) {
      throw error(names[0], missing(names));
    }
    return v;
  }

  Integer optionalInt(String... names) {
    JsonNode v = first(names);
    if (v == null) {
      return null;
    }
    if (!v.isIntegralNumber() || !v.canConvertToInt()) {
      throw error(nameOf(names), "is " + v + ", allowed an integer");
    }
    return v.intValue();
  }

  int intOr(int fallback, String... names) {
    Integer v = optionalInt(names);
    return v == null ? fallback : v;
  }

  Double optionalDouble(String... names) {
    JsonNode v = first(names);
    if (v == null) {
      return null;
    }
    if (!v.isNumber()) {
      throw error(nameOf(names), "is " + v + ", allowed a number");
    }
    return v.doubleValue();
  }

  double doubleOr(double fallback, String... names) {
    Double v = optionalDouble(names);
    return v == null ? fallback : v;
  }

  Boolean optionalBoolean(String name) {
    JsonNode v = first(name);
    if (v == null) {
      return null;
    }
    if (!v.isBoolean()) {
      throw error(name, "is " + v + ", allowed true or false");
    }
    return v.booleanValue();
  }

  boolean booleanOr(boolean fallback, String name) {
    Boolean v = optionalBoolean(name);
    return v == null ? fallback : v;
  }

  String optionalString(String... names) {
    JsonNode v = first(names);
    if (v == null) {
      return null;
    }
    if (!v.isTextual()) {
      throw error(nameOf(names), "is " + v + ", allowed a string");
    }
    return v.textValue();
  }

  String requiredString(String name) {
    String v = optionalString(name);
    if (v == null) {
      throw error(name, missing(name));
    }
    return v;
  }

  /** A nested object (null when absent or null); anything else is an error naming the field. */
  JsonNode optionalObject(String name) {
    JsonNode v = first(name);
    if (v == null) {
      return null;
    }
    if (!v.isObject()) {
      throw error(name, "is " + v + ", allowed an object");
    }
    return v;
  }
}
