package pimforge.cosim;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import pimforge.golden.PimBankModel;
import pimforge.io.AtomicOutputDir;
import pimforge.params.HwParams;

/**
 * Runs the bank in Verilator at transaction level (load weights, stream vectors, drain results)
 * and compares every result bit for bit with the golden model.
 */
public final class BankCosim {
  private static final long RUN_TIMEOUT_SECONDS = 600;

  /** Host flow-control behaviour: percent of cycles the host withholds valid/ready (0 = never). */
  public record Stalls(int percent, long seed) {
    public static final Stalls NONE = new Stalls(0, 0);
  }

  /** What one run showed. {@code multiplyCycles} has one entry per input vector. */
  public record Outcome(
      boolean bitExact, String firstMismatch, long weightLoadCycles, List<Long> multiplyCycles,
      long totalCycles, double simSeconds) {
    public double cyclesPerSecond() {
      return simSeconds > 0 ? totalCycles / simSeconds : 0;
    }
  }

  private BankCosim() {}

  /**
   * @param replayHint appended to any failure so it can be reproduced (seed, command)
   * @param waves FST file to write, or null (the simulator must have been built with waves)
   */
  public static Outcome run(HwParams p, VerilatorBuild.Simulator sim, BankStimulus stim, Stalls stalls,
      Path waves, String replayHint) throws IOException, InterruptedException {
    PimBankModel golden = new PimBankModel(p);
    golden.loadWeights(stim.weights());
    List<long[]> expected = new ArrayList<>();
    for (int[] x : stim.inputs()) {
      expected.add(golden.multiply(x));
    }

    Path work = Files.createTempDirectory("pimforge-cosim");
    try {
      Path transactions = work.resolve("transactions.txt");
      writeTransactions(p, stim, transactions);
      List<String> cmd = new ArrayList<>(List.of(sim.binary().toString(),
          "--stall-percent", Integer.toString(stalls.percent()),
          "--stall-seed", Long.toString(stalls.seed())));
      if (waves != null) {
        cmd.addAll(List.of("--waves", waves.toAbsolutePath().toString()));
      }
      long start = System.nanoTime();
      ToolRunner.Result r;
      try {
        r = ToolRunner.run(cmd, work, transactions, "sim", RUN_TIMEOUT_SECONDS);
      } catch (CosimFailure e) {
        throw new CosimFailure(e.getMessage() + "; " + replayHint);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      List<String> lines = Files.readAllLines(r.stdout());
      if (r.exitCode() != 0) {
        throw new CosimFailure("simulator exit " + r.exitCode() + ": "
            + ToolRunner.tail(String.join("\n", lines) + "\n" + r.stderrText(), 5) + "; " + replayHint);
      }
      return compare(lines, expected, seconds, replayHint);
    } finally {
      AtomicOutputDir.deleteTree(work);
    }
  }

  private static void writeTransactions(HwParams p, BankStimulus stim, Path file) throws IOException {
    try (BufferedWriter w = Files.newBufferedWriter(file)) {
      w.write('W');
      for (long v : BankStreamOrder.weightStream(p, stim.weights())) {
        w.write(' ');
        w.write(Long.toString(v));
      }
      w.write('\n');
      for (int[] x : stim.inputs()) {
        w.write('X');
        for (int v : x) {
          w.write(' ');
          w.write(Integer.toString(v));
        }
        w.write('\n');
      }
    }
  }

  private static Outcome compare(List<String> lines, List<long[]> expected, double seconds, String hint) {
    long loadCycles = -1;
    long total = -1;
    List<Long> mvmCycles = new ArrayList<>();
    String mismatch = null;
    int vector = 0;
    for (String line : lines) {
      String[] f = line.trim().split("\\s+");
      switch (f[0]) {
        case "L" -> loadCycles = Long.parseLong(f[1]);
        case "END" -> total = Long.parseLong(f[1]);
        case "Y" -> {
          if (vector >= expected.size()) {
            throw new CosimFailure("simulator returned more results than vectors; " + hint);
          }
          mvmCycles.add(Long.parseLong(f[1]));
          long[] want = expected.get(vector);
          long[] got = Arrays.stream(f, 2, f.length).mapToLong(Long::parseLong).toArray();
          if (mismatch == null) {
            mismatch = firstMismatch(vector, want, got);
          }
          vector++;
        }
        default -> throw new CosimFailure("unexpected simulator output '" + line + "'; " + hint);
      }
    }
    if (vector != expected.size() || loadCycles < 0 || total < 0) {
      throw new CosimFailure("simulator output incomplete (" + vector + " of " + expected.size()
          + " vectors); " + hint);
    }
    return new Outcome(mismatch == null, mismatch, loadCycles, mvmCycles, total, seconds);
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
