package pimforge.bench;

import java.nio.file.Path;
import java.util.List;
import pimforge.cosim.BankConfigSampler;
import pimforge.cosim.BankCosim;
import pimforge.cosim.BankStimulus;
import pimforge.cosim.VerilatorBuild;
import pimforge.config.HwConfigReader;
import pimforge.golden.PimBankModel;
import pimforge.model.ModelPresets;
import pimforge.params.BankParams;
import pimforge.params.CrossbarParams;
import pimforge.params.HwParams;
import pimforge.params.Precision;

/**
 * Co-simulation benchmark on banks larger than CI builds: Verilator build time, simulated cycles
 * per second, and the speed of the RTL simulation relative to the golden model (ratio). Every run
 * is also checked bit for bit. Usage: scripts/benchmark [vectors].
 */
public final class CosimBenchmark {
  private static final HwParams MINILM = HwConfigReader.defaults(ModelPresets.get("all-minilm-l6-v2").orElseThrow());

  public static void main(String[] args) throws Exception {
    int vectors = args.length > 0 ? Integer.parseInt(args[0]) : 64;
    Path cache = Path.of(System.getProperty("pimforge.cosim.cache", "verilog-out/.cosim-cache"));
    List<HwParams> configs = List.of(
        params(new Precision(8, 8, 2, 8, Precision.AdcMode.SCALE, Precision.SignedScheme.OFFSET),
            new CrossbarParams(128, 128, 4), new BankParams(1, 1, 1)),
        params(new Precision(8, 8, 2, 6, Precision.AdcMode.SCALE, Precision.SignedScheme.OFFSET),
            new CrossbarParams(128, 128, 8), new BankParams(3, 1, 1)), // MiniLM hidden 384 over 3 tiles
        params(new Precision(8, 8, 4, 12, Precision.AdcMode.SCALE, Precision.SignedScheme.DIFFERENTIAL),
            new CrossbarParams(256, 256, 4), new BankParams(1, 1, 1)));
    System.out.printf("%-75s %8s %10s %12s %12s %8s%n", "configuration", "build_s", "cycles",
        "sim_cyc/s", "golden/rtl", "exact");
    for (HwParams p : configs) {
      VerilatorBuild.Simulator sim = BankCosim.build(p, cache, false);
      BankStimulus stim = BankStimulus.random(p, 1, vectors);
      BankCosim.Outcome out = BankCosim.run(p, sim, stim, pimforge.cosim.StreamRun.Stalls.NONE, null, "benchmark seed 1");
      double goldenSeconds = goldenSeconds(p, stim);
      System.out.printf("%-75s %8.1f %10d %12.0f %12.2f %8s%n", BankConfigSampler.describe(p),
          sim.buildSeconds(), out.totalCycles(), out.cyclesPerSecond(), out.simSeconds() / goldenSeconds,
          out.bitExact() ? "yes" : "NO: " + out.firstMismatch());
    }
    System.out.println("golden/rtl = Verilator run time / golden model run time for the same transactions");
  }

  private static double goldenSeconds(HwParams p, BankStimulus stim) {
    long start = System.nanoTime();
    PimBankModel golden = new PimBankModel(p);
    golden.loadWeights(stim.weights());
    for (int v = 0; v < stim.inputs().size(); v++) {
      golden.multiply(stim.inputs().get(v), stim.unsignedInputs().get(v));
    }
    return (System.nanoTime() - start) / 1e9;
  }

  private static HwParams params(Precision prec, CrossbarParams xbar, BankParams bank) {
    return MINILM.withPrecision(prec).withCrossbar(xbar).withBank(bank);
  }
}
