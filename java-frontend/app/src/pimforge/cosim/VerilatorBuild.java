package pimforge.cosim;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import pimforge.generate.DesignGenerator;
import pimforge.io.AtomicOutputDir;
import pimforge.params.HwParams;
import pimforge.report.DesignId;

/**
 * Builds the Verilator simulator of a design's PimBank with its harness. Builds are cached by
 * design hash under {@code cacheRoot}: the same parameters never compile twice.
 */
public final class VerilatorBuild {
  /** A runnable simulator; {@code buildSeconds} is 0 when it came from the cache. */
  public record Simulator(Path binary, Path designDir, boolean waves, double buildSeconds) {}

  private static final long BUILD_TIMEOUT_SECONDS = 1800;
  /** The harness drives the bank's host protocol. */
  static final String TOP = "PimBank";

  private VerilatorBuild() {}

  public static Simulator build(HwParams p, Path cacheRoot, boolean waves) throws IOException, InterruptedException {
    String key = DesignId.of(p, TOP).hash() + (waves ? "-fst" : "");
    Path dir = cacheRoot.resolve(key).toAbsolutePath();
    Path binary = dir.resolve("obj").resolve("VPimBank");
    Path stamp = dir.resolve("build.ok");
    if (Files.exists(stamp) && Files.isExecutable(binary)) {
      return new Simulator(binary, Path.of(Files.readString(stamp).trim()), waves, 0);
    }
    long start = System.nanoTime();
    AtomicOutputDir.deleteTree(dir);
    Files.createDirectories(dir);
    Path designDir = new DesignGenerator(TOP).generate(p, dir.resolve("design")).dir().toAbsolutePath();
    Path header = onlyFile(designDir.resolve("include"));
    Files.writeString(dir.resolve("harness.cpp"),
        BankHarnessSource.generate(p, header.getFileName().toString()));

    List<String> cmd = new ArrayList<>(List.of("verilator", "--cc", "--exe", "--build", "-j", "2",
        "-O3", "--x-assign", "fast", "--x-initial", "fast", "--noassert", "-Wno-fatal",
        "--top-module", TOP, "-Mdir", "obj",
        "-CFLAGS", "-O1 -I" + header.getParent(), "-LDFLAGS", "-pthread"));
    if (waves) {
      cmd.add("--trace-fst");
    }
    Path rtl = designDir.resolve("rtl");
    for (String line : Files.readAllLines(rtl.resolve("filelist.f"))) {
      String f = line.trim();
      if (!f.isEmpty() && !f.startsWith("//")) {
        cmd.add(rtl.resolve(f).toString());
      }
    }
    cmd.add("harness.cpp");
    ToolRunner.Result r = ToolRunner.run(cmd, dir, null, "verilator", BUILD_TIMEOUT_SECONDS);
    if (r.exitCode() != 0 || !Files.isExecutable(binary)) {
      throw new CosimFailure("Verilator build failed (exit " + r.exitCode() + ") in " + dir + ":\n"
          + ToolRunner.tail(r.stderrText() + r.stdoutText(), 30));
    }
    Files.writeString(stamp, designDir.toString());
    return new Simulator(binary, designDir, waves, (System.nanoTime() - start) / 1e9);
  }

  private static Path onlyFile(Path folder) throws IOException {
    try (var s = Files.list(folder)) {
      return s.filter(f -> f.toString().endsWith(".h")).findFirst()
          .orElseThrow(() -> new CosimFailure("no parameter header in " + folder));
    }
  }
}
