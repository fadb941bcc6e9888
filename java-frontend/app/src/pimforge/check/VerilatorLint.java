package pimforge.check;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import pimforge.cosim.ToolRunner;
import pimforge.hw.Emit;
import pimforge.io.AtomicOutputDir;

/**
 * {@code verilator --lint-only -Wall} over a generated design. UNUSEDSIGNAL is waived: firtool
 * leaves unused bits of wide intermediate wires, and the unused TLAST of the command-framed input
 * stream is part of the AXI-Stream port set. Any other warning or error fails.
 *
 * <p>Every distinct unit is linted once: the top, and each module the top instantiates as a
 * separately elaborated black box ({@code Emit.separatelyElaboratedNames}: the crossbar array, the
 * layer top of a model top), each with the others replaced by port-only stubs. Linting a model top
 * as one flat design would elaborate every crossbar array of every bank of every layer (BERT-base:
 * 5760 arrays, more than 20 GB).
 */
public final class VerilatorLint {
  private VerilatorLint() {}

  /** Lint findings; empty when clean. */
  public record Result(boolean clean, String findings) {}

  public static Result run(Path rtlDir, String top) throws IOException, InterruptedException {
    List<String> boxes = new ArrayList<>(scala.jdk.javaapi.CollectionConverters.asJava(
        Emit.separatelyElaboratedNames(top)));
    List<String> units = new ArrayList<>(List.of(top));
    units.addAll(boxes);
    Path stubs = Files.createTempDirectory("pimforge-lint-stubs-");
    try {
      StringBuilder findings = new StringBuilder();
      boolean clean = true;
      for (String unit : units) {
        List<String> cmd = new ArrayList<>(List.of("verilator", "--lint-only", "-Wall",
            "-Wno-UNUSEDSIGNAL", "--top-module", unit));
        for (Path f : RtlFiles.of(rtlDir)) {
          String module = f.getFileName().toString().replaceFirst("\\.sv$", "");
          if (!boxes.contains(module) || module.equals(unit)) {
            cmd.add(f.toString());
          }
        }
        for (String box : boxes) {
          if (!box.equals(unit)) {
            Path stub = stubs.resolve(unit + "-" + box).resolve(box + ".sv");
            Files.createDirectories(stub.getParent());
            Files.writeString(stub, stub(Files.readString(rtlDir.resolve(box + ".sv")), box), StandardCharsets.UTF_8);
            cmd.add(stub.toString());
          }
        }
        ToolRunner.Result r = ToolRunner.run(cmd, rtlDir, null, ".lint", 600);
        String text = r.stderrText() + r.stdoutText();
        clean &= r.exitCode() == 0 && !text.contains("%Warning") && !text.contains("%Error");
        if (!text.isBlank()) {
          findings.append(unit).append(":\n").append(text.strip()).append('\n');
        }
        Files.deleteIfExists(r.stdout());
        Files.deleteIfExists(r.stderr());
      }
      return new Result(clean, findings.toString().strip());
    } finally {
      AtomicOutputDir.deleteTree(stubs);
    }
  }

  /** The module's port list with an empty body (firtool writes `module M(` ... `);`). */
  static String stub(String source, String module) {
    int start = source.indexOf("module " + module + "(");
    int end = source.indexOf(");", start);
    if (start < 0 || end < 0) {
      throw new IllegalStateException("no port list of " + module + " in its file"); // a generator bug
    }
    return "/* verilator lint_off UNDRIVEN */\n" + source.substring(start, end + 2) + "\nendmodule\n"
        + "/* verilator lint_on UNDRIVEN */\n";
  }
}
