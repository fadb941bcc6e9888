package pimforge.cosim;

import pimforge.ports.StreamPorts;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import pimforge.golden.BankSchedule;
import pimforge.golden.PimBankModel;
import pimforge.params.HwParams;

/**
 * Co-simulates the PIM bank at transaction level (load weights, stream vectors, drain results)
 * and compares every result bit for bit with the golden model.
 */
public final class BankCosim {
  /** Bank commands (see PimBank.scala). */

  /** What one run showed. {@code multiplyCycles} has one entry per input vector. */
  public record Outcome(
      boolean bitExact, String firstMismatch, long weightLoadCycles, List<Long> multiplyCycles,
      long totalCycles, double simSeconds) {
    public double cyclesPerSecond() {
      return simSeconds > 0 ? totalCycles / simSeconds : 0;
    }
  }

  private BankCosim() {}

  public static VerilatorBuild.Simulator build(HwParams p, Path cacheRoot, boolean waves)
      throws IOException, InterruptedException {
    return VerilatorBuild.build(p, StreamPorts.pimBank(p), cacheRoot, waves);
  }

  public static Outcome run(HwParams p, VerilatorBuild.Simulator sim, BankStimulus stim, StreamRun.Stalls stalls,
      Path waves, String replayHint) throws IOException, InterruptedException {
    PimBankModel golden = new PimBankModel(p);
    golden.loadWeights(stim.weights());
    List<StreamRun.Transaction> transactions = new ArrayList<>();
    transactions.add(new StreamRun.Transaction(pimforge.golden.BankOp.LOAD_WEIGHTS, false, BankStreamOrder.weightStream(p, stim.weights())));
    for (int v = 0; v < stim.inputs().size(); v++) {
      transactions.add(new StreamRun.Transaction(stim.op(v), true,
          java.util.Arrays.stream(stim.inputs().get(v)).asLongStream().toArray()));
    }
    BankSchedule schedule = BankSchedule.of(p);
    long watchdog = 1000 + 4 * schedule.multiplyCycles();
    StreamRun.Result r = StreamRun.run(sim, transactions, stalls, watchdog, waves, replayHint);

    String mismatch = null;
    List<Long> cycles = new ArrayList<>();
    for (int v = 0; v < stim.inputs().size(); v++) {
      StreamRun.Response got = r.responses().get(v + 1);
      cycles.add(got.cycles());
      if (mismatch == null) {
        mismatch = firstMismatch(v, golden.multiply(stim.inputs().get(v), stim.unsignedInputs().get(v)), got.values());
      }
    }
    return new Outcome(mismatch == null, mismatch, r.responses().get(0).cycles(), cycles, r.totalCycles(), r.seconds());
  }

  private static String firstMismatch(int vector, long[] want, long[] got) {
    if (want.length != got.length) {
      return "vector " + vector + ": " + got.length + " outputs, expected " + want.length;
    }
    for (int o = 0; o < want.length; o++) {
      if (want[o] != got[o]) {
        return "vector " + vector + " output " + o + ": rtl " + got[o] + ", golden " + want[o];
      }
    }
    return null;
  }
}
