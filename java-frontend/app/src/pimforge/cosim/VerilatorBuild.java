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
 * Builds the Verilator simulator of one unit top with the generic stream harness. The design is
 * generated exactly as {@code pimforge generate} would. Builds are cached by design hash under
 * {@code cacheRoot}: the same parameters never compile twice.
 */
public final class VerilatorBuild {
  /** A runnable simulator; {@code buildSeconds} is 0 when it came from the cache. */
  public record Simulator(Path binary, Path designDir, String designHash, boolean waves, double buildSeconds) {}

  private static final long BUILD_TIMEOUT_SECONDS = 1800;

  private VerilatorBuild() {}

  public static Simulator build(HwParams p, StreamPorts ports, Path cacheRoot, boolean waves)
      throws IOException, InterruptedException {
    String hash = DesignId.of(p, ports.top()).hash();
    String harness = StreamHarnessSource.generate(ports, "params.h");
    // The cache key covers the harness too: a harness change must not reuse an old binary.
    String harnessKey = String.format("%08x", harness.hashCode());
    Path dir = cacheRoot.resolve(hash.substring(0, 16) + "-" + harnessKey + (waves ? "-fst" : "")).toAbsolutePath();
    Path binary = dir.resolve("obj").resolve("V" + ports.top());
    Path stamp = dir.resolve("build.ok");
    if (Files.exists(stamp) && Files.isExecutable(binary)) {
      return new Simulator(binary, Path.of(Files.readString(stamp).trim()), hash, waves, 0);
    }
    long start = System.nanoTime();
    AtomicOutputDir.deleteTree(dir);
    Files.createDirectories(dir);
    Path designDir = new DesignGenerator(ports.top()).generate(p, dir.resolve("design")).dir().toAbsolutePath();
    Path header = parameterHeader(designDir.resolve("include"));
    Files.writeString(dir.resolve("harness.cpp"),
        StreamHarnessSource.generate(ports, header.getFileName().toString()));

    List<String> cmd = new ArrayList<>(List.of("verilator", "--cc", "--exe", "--build", "-j", "2",
        "-O3", "--x-assign", "fast", "--x-initial", "fast", "--noassert", "-Wno-fatal",
        "--top-module", ports.top(), "-Mdir", "obj",
        "-CFLAGS", "-O1 -I" + header.getParent(), "-LDFLAGS", "-pthread"));
    if (waves) {
      cmd.add("--trace-fst");
    }
    pimforge.check.RtlFiles.of(designDir.resolve("rtl")).forEach(f -> cmd.add(f.toString()));
    cmd.add("harness.cpp");
    ToolRunner.Result r = ToolRunner.run(cmd, dir, null, "verilator", BUILD_TIMEOUT_SECONDS);
    if (r.exitCode() != 0 || !Files.isExecutable(binary)) {
      throw new CosimFailure("Verilator build failed (exit " + r.exitCode() + ") in " + dir + ":\n"
          + ToolRunner.tail(r.stderrText() + r.stdoutText(), 30));
    }
    Files.writeString(stamp, designDir.toString());
    return new Simulator(binary, designDir, hash, waves, (System.nanoTime() - start) / 1e9);
  }

  private static Path parameterHeader(Path folder) throws IOException {
    try (var s = Files.list(folder)) {
      return s.filter(f -> f.toString().endsWith("_params.h")).findFirst()
          .orElseThrow(() -> new CosimFailure("no parameter header in " + folder));
    }
  }
}
