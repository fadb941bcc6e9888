package pimforge.check;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import pimforge.cosim.ToolRunner;

/**
 * Generic Yosys synthesis ({@code read_verilog -sv; synth; stat}) of a generated design. The
 * crossbar arrays ({@code CrossbarArray}: cells and column sums, an analog macro) and the layer top's
 * scratchpad and instruction memory are black-boxed: they are macros, and flattening them into flip-flops would make runtime and
 * the cell count meaningless.
 */
public final class YosysSynth {
  private YosysSynth() {}

  /** Synthesis outcome: total cells of the top (logic only, macros as black boxes) and by type. */
  public record Result(boolean ok, long cells, Map<String, Long> cellsByType, String log) {}

  private static final Pattern CELLS = Pattern.compile("Number of cells:\\s+(\\d+)");
  private static final Pattern CELL_TYPE = Pattern.compile("^\\s+(\\$_\\w+_|\\w+)\\s+(\\d+)$");

  public static Result run(Path rtlDir, String top, Path workDir) throws IOException, InterruptedException {
    return run(rtlDir, top, workDir, true);
  }

  /**
   * @param flatten false synthesizes every module once and counts cells over the design hierarchy:
   *     a top of many identical units (the layer top's banks) then synthesizes in a fraction of the
   *     time, at the price of no optimization across module boundaries
   */
  public static Result run(Path rtlDir, String top, Path workDir, boolean flatten)
      throws IOException, InterruptedException {
    StringBuilder script = new StringBuilder("read_verilog -sv");
    for (Path f : RtlFiles.of(rtlDir)) {
      script.append(' ').append(f.toAbsolutePath());
    }
    script.append("\nblackbox CrossbarArray Scratchpad InstructionMemory\nhierarchy -check -top ").append(top)
        .append(flatten ? "\nsynth -flatten -top " : "\nsynth -top ").append(top).append("\nstat\n");
    Files.createDirectories(workDir);
    Path ys = workDir.resolve("synth.ys");
    Files.writeString(ys, script.toString());
    ToolRunner.Result r = ToolRunner.run(java.util.List.of("yosys", "-q", "-l", "yosys.log", "-s",
        ys.toAbsolutePath().toString()), workDir, null, "yosys", 1800);
    String log = Files.exists(workDir.resolve("yosys.log")) ? Files.readString(workDir.resolve("yosys.log")) : "";
    boolean ok = r.exitCode() == 0 && !log.contains("ERROR");
    return parseStat(ok, log + r.stderrText());
  }

  /** Reads the last `stat` block: total cells and the per-type lines below it. */
  static Result parseStat(boolean ok, String log) {
    int at = log.lastIndexOf("Number of cells:");
    if (at < 0) {
      return new Result(false, 0, Map.of(), log);
    }
    Matcher m = CELLS.matcher(log.substring(at));
    long cells = m.find() ? Long.parseLong(m.group(1)) : 0;
    Map<String, Long> byType = new LinkedHashMap<>();
    for (String line : log.substring(at).split("\n")) {
      Matcher t = CELL_TYPE.matcher(line);
      if (t.matches()) {
        byType.put(t.group(1), Long.parseLong(t.group(2)));
      }
    }
    return new Result(ok, cells, byType, log);
  }
}
