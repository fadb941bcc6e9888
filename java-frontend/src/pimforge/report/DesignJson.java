package pimforge.report;

import com.fasterxml.jackson.databind.node.ObjectNode;
import pimforge.params.HwParams;

/** design.json: the params record (with "derived") plus hash, tool version and top module. */
public final class DesignJson {
  private DesignJson() {}

  public static ObjectNode tree(HwParams p, DesignId id) {
    ObjectNode n = CanonicalJson.MAPPER.createObjectNode();
    n.put("hash", id.hash());
    n.put("toolVersion", ToolVersion.VERSION);
    n.put("top", id.top());
    n.setAll(CanonicalJson.tree(p));
    return n;
  }

  public static String text(HwParams p, DesignId id) {
    return CanonicalJson.pretty(tree(p, id));
  }
}
