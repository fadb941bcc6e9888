package pimforge.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import pimforge.params.ParamError;

/**
 * Builds one parameter record from one JSON section. The allowed field names, their types and
 * their defaults come from the record itself (its components and a default instance), so adding a
 * field to a record needs no change here. The record's constructor then validates the values.
 */
final class RecordSectionReader {
  private RecordSectionReader() {}

  /** Component name -> value of {@code instance}, in declaration order. */
  static Map<String, Object> valuesOf(Record instance) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (RecordComponent c : instance.getClass().getRecordComponents()) {
      try {
        out.put(c.getName(), c.getAccessor().invoke(instance));
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    }
    return out;
  }

  static List<String> fieldNames(Class<? extends Record> type) {
    return Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName).toList();
  }

  /**
   * @param section JSON name of the section (prefix of field paths in errors)
   * @param node the user's section, or null when absent
   * @param defaults value of every component when the user leaves it out
   */
  static <T extends Record> T read(String section, JsonNode node, Class<T> type, Map<String, Object> defaults) {
    RecordComponent[] comps = type.getRecordComponents();
    List<String> names = fieldNames(type);
    if (node != null && !node.isObject()) {
      throw new ParamError(section, "is " + describe(node) + ", allowed a JSON object with fields "
          + String.join(", ", names));
    }
    if (node != null) {
      for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
        String f = it.next();
        if (!names.contains(f)) {
          throw new ParamError(section + "." + f, "is not a known field, allowed: " + String.join(", ", names));
        }
      }
    }
    Object[] args = new Object[comps.length];
    Class<?>[] types = new Class<?>[comps.length];
    for (int i = 0; i < comps.length; i++) {
      RecordComponent c = comps[i];
      types[i] = c.getType();
      JsonNode v = node == null ? null : node.get(c.getName());
      args[i] = v == null ? defaults.get(c.getName()) : convert(section + "." + c.getName(), v, c.getType());
    }
    try {
      Constructor<T> ctor = type.getDeclaredConstructor(types);
      return ctor.newInstance(args);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r; // the record's own validation: ParamError naming field and range
      }
      throw new IllegalStateException(e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Object convert(String field, JsonNode v, Class<?> t) {
    if (t == int.class) {
      if (!v.isIntegralNumber() || !v.canConvertToInt()) {
        throw new ParamError(field, "is " + describe(v) + ", allowed an integer");
      }
      return v.intValue();
    }
    if (t == long.class) {
      if (!v.isIntegralNumber() || !v.canConvertToLong()) {
        throw new ParamError(field, "is " + describe(v) + ", allowed an integer");
      }
      return v.longValue();
    }
    if (t == double.class) {
      if (!v.isNumber()) {
        throw new ParamError(field, "is " + describe(v) + ", allowed a number");
      }
      return v.doubleValue();
    }
    if (t == boolean.class) {
      if (!v.isBoolean()) {
        throw new ParamError(field, "is " + describe(v) + ", allowed true or false");
      }
      return v.booleanValue();
    }
    if (t.isEnum()) {
      return enumValue(field, v, t);
    }
    throw new IllegalStateException("no JSON conversion for " + t + " of " + field);
  }

  private static Object enumValue(String field, JsonNode v, Class<?> t) {
    Object[] constants = t.getEnumConstants();
    String allowed = String.join(", ", Arrays.stream(constants).map(Object::toString).toList());
    if (!v.isTextual()) {
      throw new ParamError(field, "is " + describe(v) + ", allowed one of " + allowed);
    }
    String wanted = v.textValue().trim().toUpperCase(Locale.ROOT).replace('-', '_');
    for (Object c : constants) {
      if (((Enum<?>) c).name().equals(wanted)) {
        return c;
      }
    }
    throw new ParamError(field, "is '" + v.textValue() + "', allowed one of " + allowed + " (any case)");
  }

  /** A JSON value as the user wrote it, with its kind, for error messages. */
  static String describe(JsonNode v) {
    String kind = v.isTextual() ? "a string" : v.isBoolean() ? "a boolean" : v.isNumber() ? "a number"
        : v.isObject() ? "an object" : v.isArray() ? "an array" : v.isNull() ? "null" : "a value";
    String text = v.toString();
    if (text.length() > 40) {
      text = text.substring(0, 37) + "...";
    }
    return text + " (" + kind + ")";
  }
}
