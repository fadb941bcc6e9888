package pimforge.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import pimforge.params.AttentionParams;
import pimforge.params.BankParams;
import pimforge.params.CamParams;
import pimforge.params.CrossbarParams;
import pimforge.params.HwParams;
import pimforge.params.KvCacheParams;
import pimforge.params.ModelShape;
import pimforge.params.ParamError;
import pimforge.params.Precision;
import pimforge.params.SfuParams;
import pimforge.params.SoftmaxParams;

/**
 * Reads the user's hardware + policy JSON (--hw) into an {@link HwParams} for a given model.
 * Every section and field is optional; defaults are the records' DEFAULT constants, except the
 * ones that must fit the model (attention.maxSeqLen, the kvCache token budget and its sink/window
 * split) and softmax.lanes / sfu.lanes, which follow crossbar.lanes.
 */
public final class HwConfigReader {
  private HwConfigReader() {}

  /** JSON section names, in the order of HwParams. */
  public static final List<String> SECTIONS =
      List.of("precision", "crossbar", "bank", "attention", "softmax", "sfu", "kvCache", "cam");

  /** Every parameter at its default, fitted to {@code model}. */
  public static HwParams defaults(ModelShape model) {
    return fromTree(null, model);
  }

  public static HwParams read(Path file, ModelShape model) {
    JsonNode root = JsonFiles.readObject(file, "a JSON object with sections " + String.join(", ", SECTIONS));
    return fromTree(root, model);
  }

  /** {@code root} may be null (all defaults). */
  public static HwParams fromTree(JsonNode root, ModelShape model) {
    if (root != null) {
      for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
        String s = it.next();
        if (!SECTIONS.contains(s)) {
          throw new ParamError(s, "is not a known section, allowed: " + String.join(", ", SECTIONS));
        }
      }
    }
    return new HwParams(
        model,
        section(root, "precision", Precision.class, RecordSectionReader.valuesOf(Precision.DEFAULT)),
        section(root, "crossbar", CrossbarParams.class, RecordSectionReader.valuesOf(CrossbarParams.DEFAULT)),
        section(root, "bank", BankParams.class, RecordSectionReader.valuesOf(BankParams.DEFAULT)),
        section(root, "attention", AttentionParams.class, attentionDefaults(model)),
        section(root, "softmax", SoftmaxParams.class, lanesFollowCrossbar(SoftmaxParams.DEFAULT, root)),
        section(root, "sfu", SfuParams.class, lanesFollowCrossbar(SfuParams.DEFAULT, root)),
        section(root, "kvCache", KvCacheParams.class, kvCacheDefaults(model, node(root, "kvCache"))),
        section(root, "cam", CamParams.class, RecordSectionReader.valuesOf(CamParams.DEFAULT)));
  }

  private static JsonNode node(JsonNode root, String name) {
    return root == null ? null : root.get(name);
  }

  private static <T extends Record> T section(JsonNode root, String name, Class<T> type, Map<String, Object> defaults) {
    return RecordSectionReader.read(name, node(root, name), type, defaults);
  }

  /**
   * softmax.lanes and sfu.lanes default to crossbar.lanes (the user's or its default): the layer top
   * moves one beat of that many elements between the banks, the softmax unit and the SFU.
   */
  private static Map<String, Object> lanesFollowCrossbar(Record unitDefault, JsonNode root) {
    Map<String, Object> d = new LinkedHashMap<>(RecordSectionReader.valuesOf(unitDefault));
    d.put("lanes", intOr(node(root, "crossbar"), "lanes", CrossbarParams.DEFAULT.lanes()));
    return d;
  }

  /**
   * A sequence pass cannot be longer than the model's positions. Rotary models default to the
   * STRAIGHTFORWARD schedule: DECOMPOSED's Q K^T = (Q W_K^T) X^T needs unrotated keys.
   */
  private static Map<String, Object> attentionDefaults(ModelShape model) {
    Map<String, Object> d = new LinkedHashMap<>(RecordSectionReader.valuesOf(AttentionParams.DEFAULT));
    d.put("maxSeqLen", Math.min(AttentionParams.DEFAULT.maxSeqLen(), model.maxPositions()));
    if (model.features().rope() != null) {
      d.put("schedule", AttentionParams.Schedule.STRAIGHTFORWARD);
    }
    return d;
  }

  /**
   * Budget: min(1024, maxPositions) unless given. Sinks and window are then fitted to the budget
   * actually used (the user's or the default), so setting only budgetTokens stays legal. The
   * full-precision window defaults to one group (groupSize tokens), the least the per-channel key
   * groups need.
   */
  private static Map<String, Object> kvCacheDefaults(ModelShape model, JsonNode user) {
    Map<String, Object> d = new LinkedHashMap<>(RecordSectionReader.valuesOf(KvCacheParams.DEFAULT));
    int budget = intOr(user, "budgetTokens", Math.min(KvCacheParams.DEFAULT.budgetTokens(), model.maxPositions()));
    int sink = intOr(user, "sinkTokens", Math.max(0, Math.min(KvCacheParams.DEFAULT.sinkTokens(), budget - 1)));
    d.put("budgetTokens", budget);
    d.put("sinkTokens", sink);
    d.put("windowTokens", Math.max(1, budget - sink));
    d.put("fullPrecisionTokens", intOr(user, "groupSize", KvCacheParams.DEFAULT.groupSize()));
    return d;
  }

  /** The user's value when it is a plain int; anything else is reported by the section reader. */
  private static int intOr(JsonNode section, String field, int fallback) {
    JsonNode v = section != null && section.isObject() ? section.get(field) : null;
    return v != null && v.isIntegralNumber() && v.canConvertToInt() ? v.intValue() : fallback;
  }
}
