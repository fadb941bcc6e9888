package pimforge.cost;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;
import pimforge.config.HwConfigReader;
import pimforge.params.ModelShape;
import pimforge.params.ParamError;

/**
 * The sweep's unit of work, a pure function of one record: the base --hw tree with one point's
 * overrides, read and validated like a user's file, then evaluated. An invalid combination is a
 * result with its error, not an exception, so a sweep never stops at one.
 *
 * @param overrides field path (section.field) -> value, in --vary order
 * @param error null when the point is valid and evaluated
 */
public record SweepPoint(Map<String, Object> overrides, String error, double latencySeconds, double energyJoules,
    double tokensPerSecond, double topsPerWatt, double macroAreaMm2, long chips) {

  /** Short names for the fields one sweeps most. */
  public static final Map<String, String> ALIASES = Map.of(
      "adcBits", "precision.adcBits", "bitsPerCell", "precision.bitsPerCell", "weightBits", "precision.weightBits",
      "inputBits", "precision.inputBits", "rows", "crossbar.rows", "cols", "crossbar.cols", "lanes", "crossbar.lanes",
      "clockMHz", "bank.clockMHz");

  public static String canonical(String key) {
    return ALIASES.getOrDefault(key, key);
  }

  /** The base tree with {@code overrides} applied (section.field = int value). */
  public static ObjectNode apply(JsonNode base, Map<String, Object> overrides) {
    ObjectNode root = base == null ? new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode()
        : ((ObjectNode) base).deepCopy();
    for (Map.Entry<String, Object> o : overrides.entrySet()) {
      String[] path = canonical(o.getKey()).split("\\.", 2);
      if (path.length != 2) {
        throw new ParamError("--vary " + o.getKey(), "is not section.field, allowed e.g. crossbar.rows or one of "
            + String.join(", ", ALIASES.keySet()));
      }
      ObjectNode section = root.has(path[0]) && root.get(path[0]).isObject() ? (ObjectNode) root.get(path[0])
          : root.putObject(path[0]);
      Object v = o.getValue();
      if (v instanceof Integer i) {
        section.put(path[1], i);
      } else {
        section.put(path[1], v.toString());
      }
    }
    return root;
  }

  public static SweepPoint evaluate(ModelShape model, JsonNode base, Map<String, Object> overrides, TechTable tech,
      int seq) {
    try {
      var p = HwConfigReader.fromTree(apply(base, overrides), model);
      ModelEvaluation ev = ModelEvaluation.of(p, tech, seq, 0);
      double area = ev.macroAreaUm2().values().stream().mapToDouble(Double::doubleValue).sum() / 1e6;
      return new SweepPoint(new LinkedHashMap<>(overrides), null, ev.prefillSeconds(), ev.prefillJoules(),
          seq / ev.prefillSeconds(), ev.nominalOps(seq) / ev.prefillJoules() / 1e12, area, ev.chips());
    } catch (ParamError | IllegalArgumentException | IllegalStateException e) {
      return new SweepPoint(new LinkedHashMap<>(overrides), e.getMessage(), 0, 0, 0, 0, 0, 0);
    }
  }

  public boolean valid() {
    return error == null;
  }
}
