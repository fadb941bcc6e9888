package pimforge.generate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import pimforge.params.HwParams;

/** TEMPORARY shim until the frontend branch lands. */
public final class DesignGenerator {
  public static Path generate(HwParams p, Path root) throws java.io.IOException {
    String hash = Integer.toHexString(p.hashCode()) + "0000000";
    Path dir = root.resolve(p.model().name() + "-" + hash.substring(0, 8));
    Path rtl = dir.resolve("rtl");
    Files.createDirectories(rtl);
    Path scratch = Files.createTempDirectory("emit");
    pimforge.hw.Emit.emit("PimBank", p, scratch, scratch);
    StringBuilder fl = new StringBuilder();
    for (String line : Files.readAllLines(scratch.resolve("filelist.f"))) {
      Files.copy(scratch.resolve(line), rtl.resolve(line), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      fl.append(line).append("\n");
    }
    Files.writeString(rtl.resolve("filelist.f"), fl.toString());
    Files.createDirectories(dir.resolve("include"));
    StringBuilder h = new StringBuilder();
    flatten(new ObjectMapper().valueToTree(p), "PIMFORGE", h);
    Files.writeString(dir.resolve("include").resolve(p.model().name() + "_params.h"), h.toString());
    return dir;
  }

  private static void flatten(JsonNode n, String prefix, StringBuilder out) {
    if (n.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
        var e = it.next();
        flatten(e.getValue(), prefix + "_" + e.getKey().replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(), out);
      }
    } else if (n.isNumber()) {
      out.append("#define ").append(prefix).append(" ").append(n.asText()).append("\n");
    } else if (n.isBoolean()) {
      out.append("#define ").append(prefix).append(" ").append(n.asBoolean() ? 1 : 0).append("\n");
    }
  }
}
