package pimforge.cosim;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a built simulator once, as every co-simulation does: host input from a file, the stall and
 * waveform options, a time limit, and a crash, hang or non-zero exit turned into a
 * {@link CosimFailure} carrying the replay hint.
 */
final class SimulatorProcess {
  private SimulatorProcess() {}

  /** The simulator's stdout lines and its wall-clock seconds. */
  record Output(List<String> lines, double seconds) {}

  /**
   * @param extraArgs harness options beyond --stall-percent, --stall-seed and --waves
   * @param waves FST file to write, or null
   */
  static Output run(VerilatorBuild.Simulator sim, Path work, Path input, StreamRun.Stalls stalls,
      List<String> extraArgs, Path waves, long timeoutSeconds, String replayHint)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(sim.binary().toString(),
        "--stall-percent", Integer.toString(stalls.percent()),
        "--stall-seed", Long.toString(stalls.seed())));
    cmd.addAll(extraArgs);
    if (waves != null) {
      cmd.addAll(List.of("--waves", waves.toAbsolutePath().toString()));
    }
    long start = System.nanoTime();
    ToolRunner.Result r;
    try {
      r = ToolRunner.run(cmd, work, input, "sim", timeoutSeconds);
    } catch (CosimFailure e) {
      throw new CosimFailure(e.getMessage() + "; " + replayHint);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    List<String> lines = Files.readAllLines(r.stdout());
    if (r.exitCode() != 0) {
      throw new CosimFailure("simulator exit " + r.exitCode() + ": "
          + ToolRunner.tail(String.join("\n", lines) + "\n" + r.stderrText(), 5) + "; " + replayHint);
    }
    return new Output(lines, seconds);
  }
}
