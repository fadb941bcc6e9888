package pimforge.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import pimforge.cosim.BankCosim;
import pimforge.cosim.BankStimulus;
import pimforge.cosim.StreamRun;
import pimforge.cosim.VerilatorBuild;
import pimforge.golden.BankSchedule;
import pimforge.params.HwParams;

/**
 * {@code pimforge simulate}: builds the design's PIM bank in Verilator (cached by design hash),
 * runs seeded random stimulus through it and compares every result with the golden model.
 */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    versionProvider = PimforgeCli.Version.class,
    description = "Co-simulate the design's PIM bank in Verilator against the bit-exact golden model. "
        + "Exit code 1 on a mismatch.")
final class SimulateCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  DesignOptions design;

  @Option(names = "--seed", defaultValue = "1", description = "Seed of weights, inputs and stalls (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--vectors", defaultValue = "16", description = "Random input vectors after the corner cases (default: ${DEFAULT-VALUE}).")
  int vectors;

  @Option(names = "--stalls", defaultValue = "0", paramLabel = "PERCENT",
      description = "Percent of cycles the host withholds valid/ready (0..90, default: ${DEFAULT-VALUE}).")
  int stallPercent;

  @Option(names = "--waves", paramLabel = "<out.fst>", description = "Write an FST waveform (builds a traced simulator).")
  Path waves;

  @Option(names = "--cache", paramLabel = "DIR", defaultValue = "verilog-out/.cosim-cache",
      description = "Where Verilator builds are cached (default: ${DEFAULT-VALUE}).")
  Path cache;

  @Override
  public Integer call() throws Exception {
    pimforge.params.Check.range("--stalls", stallPercent, 0, 90);
    pimforge.params.Check.range("--vectors", vectors, 0, 100000);
    HwParams p = design.params();
    var o = spec.commandLine().getOut();
    VerilatorBuild.Simulator sim = BankCosim.build(p, cache, waves != null);
    String hint = "replay: pimforge simulate --model " + design.model
        + (design.hw != null ? " --hw " + design.hw : "") + " --seed " + seed + " --stalls " + stallPercent;
    BankCosim.Outcome out = BankCosim.run(p, sim, BankStimulus.random(p, seed, vectors),
        new StreamRun.Stalls(stallPercent, seed), waves, hint);

    BankSchedule s = BankSchedule.of(p);
    o.printf("design %s, PimBank %dx%d tiles of %dx%d, seed %d%n", p.model().name(),
        p.bank().tileGridRows(), p.bank().tileGridCols(), p.crossbar().rows(), p.crossbar().cols(), seed);
    o.printf("bit-exact: %s%n", out.bitExact() ? "yes" : "NO, first mismatch: " + out.firstMismatch());
    o.printf("cycles per stage (schedule): weight load %d, input load %d, compute %d, settle %d, drain %d%n",
        s.weightLoadCycles(), s.inputLoadCycles(), s.computeCycles(), s.settleCycles(), s.drainCycles());
    o.printf("cycles measured: weight load %d, multiply %s (schedule %d), total %d%n",
        out.weightLoadCycles(), summarize(out.multiplyCycles()), s.multiplyCycles(), out.totalCycles());
    o.printf("simulated %.0f cycles/s (build %.1f s%s)%n", out.cyclesPerSecond(), sim.buildSeconds(),
        sim.buildSeconds() == 0 ? ", cached" : "");
    if (waves != null) {
      o.println("waves: " + waves);
    }
    if (!out.bitExact()) {
      spec.commandLine().getErr().println(hint);
    }
    return out.bitExact() ? 0 : 1;
  }

  private static String summarize(java.util.List<Long> cycles) {
    long min = cycles.stream().mapToLong(Long::longValue).min().orElse(0);
    long max = cycles.stream().mapToLong(Long::longValue).max().orElse(0);
    return min == max ? Long.toString(min) : min + ".." + max;
  }
}
