package pimforge.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import pimforge.params.Rope;
import pimforge.params.Rope.Pairing;
import pimforge.params.Rope.Scaling;

/**
 * Reads rotary-embedding settings the way transformers' {@code modeling_rope_utils} does:
 * {@code rope_theta}, the rotated part of the head, and {@code rope_scaling} of type
 * {@code linear} or {@code llama3} (others change more than the frequency table and are refused,
 * naming the field).
 */
final class RopeFields {
  private RopeFields() {}

  /**
   * @param d the draft (its f reads the fields)
   * @param headDim head width the rotary part is taken from
   * @param rotaryDim rotated dimensions (already derived from rotary_dim / partial factor)
   * @param rotaryField HF field rotaryDim came from, for the message when it is odd or too large
   * @param theta base frequency
   */
  static Rope read(ShapeDraft d, int headDim, int rotaryDim, String rotaryField, double theta, Pairing pairing) {
    HfFields f = d.f;
    if (rotaryDim <= 0 || rotaryDim % 2 != 0 || rotaryDim > headDim) {
      throw f.error(rotaryField, "gives " + rotaryDim + " rotated dimensions, allowed an even number 2.." + headDim
          + " (the head width)");
    }
    if (!(theta > 0)) {
      throw f.error("rope_theta", "is " + theta + ", allowed a positive number");
    }
    JsonNode s = f.optionalObject("rope_scaling");
    if (s == null) {
      return Rope.plain(theta, rotaryDim, pairing);
    }
    String typeField = s.has("rope_type") ? "rope_scaling.rope_type" : "rope_scaling.type";
    JsonNode t = s.has("rope_type") ? s.get("rope_type") : s.get("type");
    if (t == null || !t.isTextual()) {
      throw f.error(typeField, "is " + t + ", allowed one of default, linear, llama3");
    }
    String type = t.textValue().toLowerCase(Locale.ROOT);
    switch (type) {
      case "default":
        return Rope.plain(theta, rotaryDim, pairing);
      case "linear":
        return new Rope(theta, rotaryDim, pairing, Scaling.LINEAR, factor(f, s), 0, 0, 0);
      case "llama3":
        double factor = factor(f, s);
        double low = number(f, s, "low_freq_factor");
        double high = number(f, s, "high_freq_factor");
        JsonNode orig = s.get("original_max_position_embeddings");
        if (orig == null || !orig.canConvertToInt() || !orig.isIntegralNumber() || orig.intValue() < 1) {
          throw f.error("rope_scaling.original_max_position_embeddings", "is " + orig + ", allowed a positive integer");
        }
        if (!(high > low)) {
          throw f.error("rope_scaling.high_freq_factor", "is " + high + ", allowed more than low_freq_factor " + low);
        }
        return new Rope(theta, rotaryDim, pairing, Scaling.LLAMA3, factor, low, high, orig.intValue());
      default:
        throw f.error(typeField, "is '" + t.textValue() + "', allowed one of default, linear, llama3 (others such as "
            + "dynamic, yarn or longrope change attention beyond the frequency table and are not supported)");
    }
  }

  private static double factor(HfFields f, JsonNode s) {
    double v = number(f, s, "factor");
    if (!(v > 0)) {
      throw f.error("rope_scaling.factor", "is " + v + ", allowed a positive number");
    }
    return v;
  }

  private static double number(HfFields f, JsonNode s, String key) {
    JsonNode v = s.get(key);
    if (v == null || !v.isNumber()) {
      throw f.error("rope_scaling." + key, "is " + (v == null ? "missing" : v.toString()) + ", allowed a number");
    }
    return v.doubleValue();
  }

  /** int(factor * headDim), as transformers computes the rotated width from a fraction. */
  static int fromFactor(HfFields f, String field, double factor, int headDim) {
    if (!(factor > 0 && factor <= 1)) {
      throw f.error(field, "is " + factor + ", allowed a fraction in (0, 1]");
    }
    return (int) (factor * headDim);
  }
}
