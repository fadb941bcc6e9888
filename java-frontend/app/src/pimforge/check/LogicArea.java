package pimforge.check;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import pimforge.cost.CellAreas;
import pimforge.generate.DesignGenerator;
import pimforge.io.AtomicOutputDir;
import pimforge.params.HwParams;
import pimforge.report.DesignHash;

/**
 * Digital logic area of one layer top from Yosys: the design is generated, synthesized
 * hierarchically ({@link YosysSynth}, every module once; crossbar arrays, scratchpad and
 * instruction memory black-boxed: their area is the analytic macro area), and the generic cell
 * counts are converted with {@link CellAreas}. Results are cached by design hash under
 * {@code cacheDir}, since synthesis of a large layer top takes minutes.
 *
 * @param totalUm2 the whole layer top (every instance counted, from the hierarchy totals)
 * @param perModuleUm2 one instance of each module
 */
public record LogicArea(double totalUm2, long cells, Map<String, Double> perModuleUm2, Map<String, Long> unknownCells) {

  private static final Pattern MODULE = Pattern.compile("^=== (.+) ===$");
  private static final Pattern CELL_TYPE = Pattern.compile("^\\s+(\\$_\\w+_|\\w+)\\s+(\\d+)$");

  public static LogicArea of(HwParams p, Path cacheDir) throws IOException, InterruptedException {
    String hash = DesignHash.hash8(DesignHash.of(p));
    Path cached = cacheDir.resolve(hash + ".json");
    ObjectMapper m = new ObjectMapper();
    if (Files.isRegularFile(cached)) {
      return m.readValue(cached.toFile(), LogicArea.class);
    }
    Path scratch = Files.createTempDirectory("pimforge-logic-");
    try {
      DesignGenerator.Result r = new DesignGenerator("LayerTop").generate(p, scratch.resolve("out"));
      YosysSynth.Result s = YosysSynth.run(r.dir().resolve("rtl"), "LayerTop", scratch.resolve("yosys"), false);
      if (!s.ok()) {
        throw new IllegalStateException("yosys synthesis failed: " + pimforge.cosim.ToolRunner.tail(s.log(), 5));
      }
      Map<String, Long> unknown = new LinkedHashMap<>();
      LogicArea a = new LogicArea(CellAreas.um2(s.cellsByType(), unknown), s.cells(), perModule(s.log()), unknown);
      Files.createDirectories(cacheDir);
      AtomicOutputDir.writeText(cached, m.writeValueAsString(a));
      return a;
    } finally {
      AtomicOutputDir.deleteTree(scratch);
    }
  }

  /** Area of one instance of each module, from the per-module blocks of the last `stat`. */
  static Map<String, Double> perModule(String log) {
    Map<String, Double> out = new LinkedHashMap<>();
    String module = null;
    Map<String, Long> cells = new LinkedHashMap<>();
    for (String line : log.split("\n")) {
      Matcher mm = MODULE.matcher(line.trim());
      if (mm.matches()) {
        if (module != null) {
          out.put(module, CellAreas.um2(cells));
        }
        module = mm.group(1);
        cells = new LinkedHashMap<>();
        continue;
      }
      Matcher t = CELL_TYPE.matcher(line);
      if (module != null && t.matches() && t.group(1).startsWith("$_")) {
        cells.put(t.group(1), Long.parseLong(t.group(2)));
      }
    }
    if (module != null) {
      out.put(module, CellAreas.um2(cells));
    }
    out.remove("design hierarchy");
    return out;
  }
}
