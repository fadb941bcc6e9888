package pimforge.check;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import pimforge.cosim.ToolRunner;

/**
 * {@code verilator --lint-only -Wall} over a generated design. UNUSEDSIGNAL is waived: firtool
 * leaves unused bits of wide intermediate wires, and the unused TLAST of the command-framed input
 * stream is part of the AXI-Stream port set. Any other warning or error fails.
 */
public final class VerilatorLint {
  private VerilatorLint() {}

  /** Lint findings; empty when clean. */
  public record Result(boolean clean, String findings) {}

  public static Result run(Path rtlDir, String top) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("verilator", "--lint-only", "-Wall",
        "-Wno-UNUSEDSIGNAL", "--top-module", top));
    RtlFiles.of(rtlDir).forEach(f -> cmd.add(f.toString()));
    ToolRunner.Result r = ToolRunner.run(cmd, rtlDir, null, ".lint", 300);
    String text = r.stderrText() + r.stdoutText();
    boolean clean = r.exitCode() == 0 && !text.contains("%Warning") && !text.contains("%Error");
    java.nio.file.Files.deleteIfExists(r.stdout());
    java.nio.file.Files.deleteIfExists(r.stderr());
    return new Result(clean, text.strip());
  }
}
