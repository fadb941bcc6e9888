package pimforge.cosim;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.LongStream;

/**
 * Seeds, replay hints and the build cache shared by every co-simulation test. A failing case is
 * replayed with {@code PIMFORGE_COSIM_SEEDS=<seed>[,<seed>...] ./mill -i tests.testOnly <test class>}.
 */
public final class CosimSeeds {
  /** First seed of every co-simulation test's default run (CI is deterministic). */
  public static final long FIRST_SEED = 20261125L;

  private CosimSeeds() {}

  /** {@code count} seeds from {@link #FIRST_SEED}, or the ones in PIMFORGE_COSIM_SEEDS. */
  public static LongStream seeds(int count) {
    String replay = System.getenv("PIMFORGE_COSIM_SEEDS");
    if (replay != null && !replay.isBlank()) {
      return Arrays.stream(replay.split(",")).mapToLong(s -> Long.parseLong(s.trim()));
    }
    return LongStream.range(FIRST_SEED, FIRST_SEED + count);
  }

  /** The command that replays one seed of {@code testClass}. */
  public static String replayHint(long seed, Class<?> testClass) {
    return "replay: PIMFORGE_COSIM_SEEDS=" + seed + " ./mill -i tests.testOnly " + testClass.getName();
  }

  /** Where Verilator builds are cached (system property pimforge.cosim.cache overrides). */
  public static Path cacheRoot() {
    return Path.of(System.getProperty("pimforge.cosim.cache", "verilog-out/.cosim-cache"));
  }
}
