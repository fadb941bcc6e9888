package pimforge.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import pimforge.params.HwParams;

/**
 * The one JSON form of a parameter record: keys sorted everywhere, so the same record always
 * gives the same bytes (the design hash depends on it), with '\n' line ends on every OS.
 */
public final class CanonicalJson {
  private CanonicalJson() {}

  public static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
      .enable(JsonNodeFeature.WRITE_PROPERTIES_SORTED)
      .build();

  /** Pretty printer for files people read; insertion order of trees is kept (reports are ordered by hand). */
  private static final ObjectWriter PRETTY = JsonMapper.builder().build()
      .writer(new DefaultPrettyPrinter().withObjectIndenter(new DefaultIndenter("  ", "\n")));

  /** The params as a JSON tree (including the derived quantities), keys sorted. */
  public static ObjectNode tree(HwParams p) {
    return (ObjectNode) sorted(MAPPER.valueToTree(p));
  }

  /**
   * Copy with object keys sorted at every level. Jackson sorts record components but appends
   * computed properties (headDim, derived, ...) after them, so sorting is done here explicitly.
   */
  public static JsonNode sorted(JsonNode n) {
    if (n.isObject()) {
      ObjectNode out = MAPPER.createObjectNode();
      java.util.List<String> keys = new java.util.ArrayList<>();
      n.fieldNames().forEachRemaining(keys::add);
      java.util.Collections.sort(keys);
      for (String k : keys) {
        out.set(k, sorted(n.get(k)));
      }
      return out;
    }
    if (n.isArray()) {
      com.fasterxml.jackson.databind.node.ArrayNode out = MAPPER.createArrayNode();
      n.forEach(e -> out.add(sorted(e)));
      return out;
    }
    return n;
  }

  /** Compact canonical text: what the hash is taken over. */
  public static String compact(JsonNode n) {
    try {
      return MAPPER.writeValueAsString(n);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Indented text ending in a newline. */
  public static String pretty(JsonNode n) {
    try {
      return PRETTY.writeValueAsString(n) + "\n";
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
