package pimforge.report;

import com.fasterxml.jackson.databind.node.ObjectNode;
import pimforge.params.HwParams;

/**
 * design.json: the params record (with "derived") plus hash, tool version and top module; for the
 * KV-cache controller also its layout's derived values ("kvCacheDerived": widths, record strides,
 * addresses; outside the hashed record, a function of it).
 */
public final class DesignJson {
  private DesignJson() {}

  public static ObjectNode tree(HwParams p, DesignId id) {
    ObjectNode n = CanonicalJson.MAPPER.createObjectNode();
    n.put("hash", id.hash());
    n.put("toolVersion", ToolVersion.VERSION);
    n.put("top", id.top());
    n.setAll(CanonicalJson.tree(p));
    if (id.top().equals(pimforge.ports.StreamPorts.KV_CACHE_TOP)) {
      n.set("kvCacheDerived", CanonicalJson.sorted(CanonicalJson.MAPPER.valueToTree(
          pimforge.kvcache.KvCacheLayout.of(p).derivedValues())));
    }
    return n;
  }

  public static String text(HwParams p, DesignId id) {
    return CanonicalJson.pretty(tree(p, id));
  }
}
