package pimforge.cosim;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import pimforge.layer.CompiledLayer;
import pimforge.layer.LayerCompiler;
import pimforge.layer.LayerMachineModel;
import pimforge.layer.LayerPlan;
import pimforge.layer.LayerStage;
import pimforge.layer.LayerTiming;
import pimforge.layer.RandomLayers;
import pimforge.params.HwParams;

/**
 * Co-simulates one whole layer: a seeded random layer is quantized and compiled, the setup and
 * layer programs run on the LayerTop simulator and on the golden {@link LayerMachineModel}, and the
 * output beats are compared bit for bit; the hardware counters are compared with {@link LayerTiming}.
 */
public final class LayerCosim {
  /**
   * What one run showed.
   *
   * @param firstMismatch null when the output is bit-exact
   * @param countersMatch whether cycles, stage cycles, crossbar writes and instruction count equal the schedule
   *     (only meaningful without host stalls)
   * @param hardwareBeats the layer's m_axis beats from the RTL
   * @param goldenBeats the same from the golden model
   */
  public record Outcome(
      CompiledLayer compiled, boolean bitExact, String firstMismatch, LayerTiming schedule, LayerRun.Counters measured,
      LayerRun.Counters setup, boolean countersMatch, String counterMismatch, long goldenCrossbarWrites,
      long simulatedCycles, double simSeconds, List<long[]> hardwareBeats, List<long[]> goldenBeats) {
    public double cyclesPerSecond() {
      return simSeconds > 0 ? simulatedCycles / simSeconds : 0;
    }
  }

  private LayerCosim() {}

  public static VerilatorBuild.Simulator build(HwParams p, Path cacheRoot, boolean waves)
      throws IOException, InterruptedException {
    return LayerRun.build(p, cacheRoot, waves);
  }

  public static Outcome run(HwParams p, VerilatorBuild.Simulator sim, long seed, int seqLen, StreamRun.Stalls stalls,
      Path waves, String replayHint) throws IOException, InterruptedException {
    return run(p, sim, LayerCompiler.compile(p, RandomLayers.of(p, seed), seqLen), stalls, waves, replayHint);
  }

  public static Outcome run(HwParams p, VerilatorBuild.Simulator sim, CompiledLayer c, StreamRun.Stalls stalls,
      Path waves, String replayHint) throws IOException, InterruptedException {
    LayerPlan plan = LayerPlan.of(p);
    LayerMachineModel golden = new LayerMachineModel(p, plan);
    golden.run(c.setupProgram(), c.setupBeats());
    List<long[]> want = golden.run(c.program(), c.beats());
    LayerTiming schedule = LayerTiming.of(p, c.program());
    LayerTiming setupSchedule = LayerTiming.of(p, c.setupProgram());
    long maxCycles = 1000 + 4 * Math.max(schedule.cycles(), setupSchedule.cycles());

    LayerRun.Result r = LayerRun.run(sim, plan, List.of(new LayerRun.Phase(c.setupProgram(), c.setupBeats()),
        new LayerRun.Phase(c.program(), c.beats())), stalls, maxCycles, waves, replayHint);
    LayerRun.PhaseResult layer = r.phases().get(1);
    String mismatch = firstMismatch(c, want, layer.outBeats());
    if (mismatch == null && layer.lastBeats() != 1) {
      mismatch = "m_axis carried TLAST on " + layer.lastBeats() + " beats, expected 1 (the final one)";
    }
    String counters = counterMismatch("layer", schedule, layer.counters());
    if (counters == null) {
      counters = counterMismatch("setup", setupSchedule, r.phases().get(0).counters());
    }
    long goldenWrites = golden.crossbarWrites(); // counted per run, like the XBAR_WRITES register
    if (counters == null && goldenWrites != layer.counters().xbarWrites()) {
      counters = "crossbar writes: hardware " + layer.counters().xbarWrites() + ", golden model " + goldenWrites;
    }
    return new Outcome(c, mismatch == null, mismatch, schedule, layer.counters(), r.phases().get(0).counters(),
        counters == null, counters, goldenWrites, r.totalCycles(), r.seconds(), layer.outBeats(), want);
  }

  /** First differing output element of layer {@code c}'s beats, as "token t element e: ...", or null. */
  static String firstMismatch(CompiledLayer c, List<long[]> want, List<long[]> got) {
    if (want.size() != got.size()) {
      return got.size() + " output beats, expected " + want.size();
    }
    int lanes = c.lanes();
    int perRow = c.hidden() / lanes;
    for (int b = 0; b < want.size(); b++) {
      for (int l = 0; l < lanes; l++) {
        if (want.get(b)[l] != got.get(b)[l]) {
          return "token " + b / perRow + " element " + ((b % perRow) * lanes + l) + ": rtl " + got.get(b)[l]
              + ", golden " + want.get(b)[l];
        }
      }
    }
    return null;
  }

  private static String counterMismatch(String phase, LayerTiming t, LayerRun.Counters hw) {
    return counterMismatch(phase, t, hw, true);
  }

  /**
   * First counter that differs from the schedule, or null. {@code exactCycles} false: a layer that
   * waited for its input (model top) may only take longer, and its stage counters are not compared.
   */
  static String counterMismatch(String phase, LayerTiming t, LayerRun.Counters hw, boolean exactCycles) {
    exactCycles &= t.exact(); // KV instructions: the schedule's cycles are lower bounds
    if (exactCycles ? t.cycles() != hw.cycles() : hw.cycles() < t.cycles()) {
      return phase + " cycles: hardware " + hw.cycles() + ", schedule " + t.cycles();
    }
    for (LayerStage s : exactCycles ? LayerStage.values() : new LayerStage[0]) {
      if (t.stage(s) != hw.stage(s)) {
        return phase + " stage " + s + " cycles: hardware " + hw.stage(s) + ", schedule " + t.stage(s);
      }
    }
    if (t.xbarWrites() != hw.xbarWrites()) {
      return phase + " crossbar writes: hardware " + hw.xbarWrites() + ", schedule " + t.xbarWrites();
    }
    if (t.instructions() != hw.instructions()) {
      return phase + " instructions: hardware " + hw.instructions() + ", schedule " + t.instructions();
    }
    return null;
  }
}
