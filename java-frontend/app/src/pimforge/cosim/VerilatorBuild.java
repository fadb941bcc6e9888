package pimforge.cosim;

import pimforge.ports.StreamPorts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import pimforge.generate.DesignGenerator;
import pimforge.io.AtomicOutputDir;
import pimforge.params.HwParams;
import pimforge.report.DesignId;

/**
 * Builds the Verilator simulator of one unit top with the generic stream harness. The design is
 * generated exactly as {@code pimforge generate} would. Builds are cached under {@code cacheRoot}
 * by a hash of the RTL and harness source: the same hardware never compiles twice.
 */
public final class VerilatorBuild {
  /** A runnable simulator; {@code buildSeconds} is 0 when it came from the cache. */
  public record Simulator(Path binary, Path designDir, String designHash, boolean waves, double buildSeconds) {}

  /**
   * Which model of the crossbar array macro is compiled: the fast bit-plane popcount model
   * (default; {@code sim/}) or the synthesizable reference (rtl/, one adder per cell).
   */
  public enum ArrayModel { FAST, REFERENCE }

  /**
   * Environment variable overriding which modules are verilated as hierarchy blocks: empty or
   * {@code flat} for none (every instance inlined), else module names separated by commas.
   */
  public static final String HIER_BLOCKS_ENV = "PIMFORGE_HIER_BLOCKS";

  /** The module the model top instantiates once per layer: one hierarchy block, compiled once. */
  static final String LAYER_TOP = "LayerTop";

  private static final long BUILD_TIMEOUT_SECONDS = 1800;

  private VerilatorBuild() {}

  /** A unit top with the generic stream harness (generated from its {@link StreamPorts}). */
  public static Simulator build(HwParams p, StreamPorts ports, Path cacheRoot, boolean waves)
      throws IOException, InterruptedException {
    return build(p, ports.top(), header -> StreamHarnessSource.generate(ports, header), cacheRoot, waves);
  }

  /**
   * Any top with its own harness: {@code harnessOf} turns the parameter header's file name into
   * the harness C++ source.
   */
  public static Simulator build(HwParams p, String top, java.util.function.Function<String, String> harnessOf,
      Path cacheRoot, boolean waves) throws IOException, InterruptedException {
    return build(p, top, harnessOf, cacheRoot, waves, ArrayModel.FAST);
  }

  /** As above, with the crossbar array model chosen. */
  public static Simulator build(HwParams p, String top, java.util.function.Function<String, String> harnessOf,
      Path cacheRoot, boolean waves, ArrayModel arrays) throws IOException, InterruptedException {
    String hash = DesignId.of(p, top).hash();
    // The cache key covers what is compiled (RTL + harness), not only the parameters: a changed
    // generator with the same parameters must not reuse a stale simulator.
    Files.createDirectories(cacheRoot);
    Path staging = Files.createTempDirectory(cacheRoot, "staging-"); // same file system: move, not copy
    try {
      Path designDir = new DesignGenerator(top).generate(p, staging.resolve("design")).dir();
      Path header = parameterHeader(designDir.resolve("include"));
      String harness = harnessOf.apply(header.getFileName().toString());
      List<String> blocks = hierBlocks(top, designDir, waves, System.getenv(HIER_BLOCKS_ENV));
      String config = hierConfig(blocks);
      // Flat builds keep the key they had before hierarchy blocks existed; a hierarchical build's key
      // covers its Verilator options and the configuration naming its blocks.
      String key = contentKey(sources(designDir, arrays), blocks.isEmpty() ? harness
          : harness + "\n" + String.join(" ", options(top, waves, blocks)) + "\n" + config)
          + (waves ? "-fst" : "") + (blocks.isEmpty() ? "" : "-hier");
      Path dir = cacheRoot.resolve(key).toAbsolutePath();
      Path binary = dir.resolve("obj").resolve("V" + top);
      Path stamp = dir.resolve("build.ok");
      if (Files.exists(stamp) && Files.isExecutable(binary)) {
        return new Simulator(binary, dir.resolve("design"), hash, waves, 0);
      }
      long start = System.nanoTime();
      AtomicOutputDir.deleteTree(dir);
      Files.createDirectories(dir);
      Files.move(staging.resolve("design"), dir.resolve("design"));
      designDir = dir.resolve("design").resolve(designDir.getFileName());
      Files.writeString(dir.resolve("harness.cpp"), harness);
      if (!blocks.isEmpty()) {
        Files.writeString(dir.resolve(HIER_CONFIG), config);
      }
      compile(top, dir, designDir, sources(designDir, arrays), waves, blocks);
      if (!Files.isExecutable(binary)) {
        throw new CosimFailure("Verilator produced no simulator in " + dir);
      }
      Files.writeString(stamp, designDir.toString());
      return new Simulator(binary, dir.resolve("design"), hash, waves, (System.nanoTime() - start) / 1e9);
    } finally {
      AtomicOutputDir.deleteTree(staging);
    }
  }

  private static List<Path> sources(Path designDir, ArrayModel arrays) throws IOException {
    return arrays == ArrayModel.FAST ? pimforge.check.RtlFiles.forSimulation(designDir)
        : pimforge.check.RtlFiles.of(designDir.resolve("rtl"));
  }

  /** Verilator configuration file (in the build folder) naming the hierarchy blocks. */
  private static final String HIER_CONFIG = "hier.vlt";

  /**
   * The modules verilated once each as hierarchy blocks ({@code --hierarchical}): under the model
   * top, {@code LayerTop} (every layer instantiates the same module; flat, Verilator would compile
   * one copy per layer). None with waves (Verilator cannot trace inside a hierarchy block), none
   * for other tops. {@code env}, the value of {@link #HIER_BLOCKS_ENV} (null when unset), overrides
   * the choice (for measurements).
   */
  static List<String> hierBlocks(String top, Path designDir, boolean waves, String env) throws IOException {
    List<String> blocks;
    if (env != null) {
      blocks = env.isBlank() || env.trim().equals("flat") ? List.of()
          : java.util.Arrays.stream(env.split(",")).map(String::trim).filter(m -> !m.isEmpty()).toList();
    } else {
      blocks = top.equals("ModelTop") && instances(designDir, top, LAYER_TOP) > 1 ? List.of(LAYER_TOP) : List.of();
    }
    if (waves) {
      return List.of();
    }
    for (String m : blocks) {
      if (m.equals(top) || !Files.isRegularFile(designDir.resolve("rtl").resolve(m + ".sv"))) {
        throw new IllegalArgumentException(HIER_BLOCKS_ENV + ": " + m + " is not a module below " + top);
      }
    }
    return blocks;
  }

  /** How many times {@code module} is instantiated in the module {@code parent} (its rtl/ file). */
  private static int instances(Path designDir, String parent, String module) throws IOException {
    Path f = designDir.resolve("rtl").resolve(parent + ".sv");
    if (!Files.isRegularFile(f)) {
      return 0;
    }
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^\\s*" + module + "\\s+\\w+\\s*\\(")
        .matcher(Files.readString(f));
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  private static String hierConfig(List<String> blocks) {
    StringBuilder b = new StringBuilder("`verilator_config\n");
    blocks.forEach(m -> b.append("hier_block -module \"").append(m).append("\"\n"));
    return blocks.isEmpty() ? "" : b.toString();
  }

  /** Verilator options beyond the files (the include folder is added by {@link #compile}). */
  private static List<String> options(String top, boolean waves, List<String> blocks) {
    List<String> o = new ArrayList<>(List.of("--cc", "--exe", "--build", "-j", "2",
        "-O3", "--x-assign", "fast", "--x-initial", "fast", "--noassert", "-Wno-fatal",
        "--top-module", top, "-Mdir", "obj", "-LDFLAGS", "-pthread"));
    if (waves) {
      o.add("--trace-fst");
    }
    if (!blocks.isEmpty()) {
      // Verilator's default for the model code is -Os (OPT_FAST; -CFLAGS comes before it). A
      // hierarchy block's library is compiled once for all its instances and the model top's runs
      // are long: -O2 costs about 10% more build time and saves about 20% simulation time
      // (6-layer MiniLM model top).
      o.addAll(List.of("--hierarchical", "-MAKEFLAGS", "OPT_FAST=-O2"));
    }
    return o;
  }

  private static void compile(String top, Path dir, Path designDir, List<Path> sources, boolean waves,
      List<String> blocks) throws IOException, InterruptedException {
    Path include = designDir.resolve("include").toAbsolutePath();
    List<String> cmd = new ArrayList<>(List.of("verilator"));
    cmd.addAll(options(top, waves, blocks));
    cmd.addAll(List.of("-CFLAGS", "-O1 -I" + include));
    if (!blocks.isEmpty()) {
      cmd.add(HIER_CONFIG);
    }
    sources.forEach(f -> cmd.add(f.toAbsolutePath().toString()));
    cmd.add("harness.cpp");
    ToolRunner.Result r = ToolRunner.run(cmd, dir, null, "verilator", BUILD_TIMEOUT_SECONDS);
    if (r.exitCode() != 0) {
      throw new CosimFailure("Verilator build failed (exit " + r.exitCode() + ") in " + dir + ":\n"
          + ToolRunner.tail(r.stderrText() + r.stdoutText(), 30));
    }
  }

  /** SHA-256 (first 24 hex digits) over the compiled files in filelist order and the harness source. */
  private static String contentKey(List<Path> sources, String harness) throws IOException {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (Path f : sources) {
        sha.update(f.getParent().getFileName().toString().getBytes(StandardCharsets.UTF_8));
        sha.update(f.getFileName().toString().getBytes(StandardCharsets.UTF_8));
        sha.update(Files.readAllBytes(f));
      }
      sha.update(harness.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sha.digest()).substring(0, 24);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e); // every JDK has SHA-256
    }
  }

  private static Path parameterHeader(Path folder) throws IOException {
    try (var s = Files.list(folder)) {
      return s.filter(f -> f.toString().endsWith("_params.h")).findFirst()
          .orElseThrow(() -> new CosimFailure("no parameter header in " + folder));
    }
  }
}
