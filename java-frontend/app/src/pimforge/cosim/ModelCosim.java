package pimforge.cosim;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import pimforge.io.AtomicOutputDir;
import pimforge.layer.CompiledLayer;
import pimforge.layer.LayerMachineModel;
import pimforge.layer.LayerPlan;
import pimforge.layer.LayerTiming;
import pimforge.layer.ModelRegisters;
import pimforge.params.HwParams;

/**
 * Co-simulates the model top ({@code ModelTop}) as a host driver would: for each layer, route
 * s_axis to it, load its setup program (static weights, parameters) and run it alone; then route
 * s_axis to layer 0 and the last layer's m_axis to the host, write every layer's program, START
 * them together and stream the input. Layer l+1 consumes layer l's output as it streams. The golden
 * model chains {@link LayerMachineModel}s the same way: layer l+1's input beats are layer l's output.
 */
public final class ModelCosim {
  public static final String TOP = "ModelTop";
  private static final long RUN_TIMEOUT_SECONDS = 1800;

  /**
   * @param layerCounters counters of each layer after the inference run
   * @param scheduleMismatch first difference between a counter and the exact schedule: every setup
   *     phase and layer 0 exactly (without stalls); later layers wait for their input, so their
   *     cycles may only be longer, their instructions and crossbar writes exact
   */
  public record Outcome(boolean bitExact, String firstMismatch, List<LayerRun.Counters> layerCounters,
      String scheduleMismatch, List<long[]> outBeats, List<long[]> expected, long totalCycles, double seconds) {
    public double cyclesPerSecond() {
      return seconds > 0 ? totalCycles / seconds : 0;
    }
  }

  private ModelCosim() {}

  public static VerilatorBuild.Simulator build(HwParams p, Path cacheRoot, boolean waves)
      throws IOException, InterruptedException {
    LayerPlan plan = LayerPlan.of(p);
    long ctrl = ModelRegisters.address(plan, p.model().numLayers(), ModelRegisters.CTRL);
    return VerilatorBuild.build(p, TOP, header -> LayerHarnessSource.generate(plan, header, TOP, ctrl), cacheRoot,
        waves);
  }

  /**
   * @param layers the compiled layers, one per layer of the model top (same seqLen); layer 0's beats
   *     are the model input, the others' beats are unused (their input is the previous layer's output)
   */
  public static Outcome run(HwParams p, VerilatorBuild.Simulator sim, List<CompiledLayer> layers,
      StreamRun.Stalls stalls, Path waves, String hint) throws IOException, InterruptedException {
    LayerPlan plan = LayerPlan.of(p);
    int n = p.model().numLayers();
    if (layers.size() != n) {
      throw new IllegalArgumentException(layers.size() + " compiled layers for a model top of " + n);
    }
    // Golden model: the layers chained.
    List<long[]> beats = layers.get(0).beats();
    List<LayerTiming> setupTiming = new ArrayList<>();
    List<LayerTiming> layerTiming = new ArrayList<>();
    long maxCycles = 1000;
    for (CompiledLayer c : layers) {
      LayerMachineModel m = new LayerMachineModel(p, plan);
      m.run(c.setupProgram(), c.setupBeats());
      beats = m.run(c.program(), beats);
      setupTiming.add(LayerTiming.of(p, c.setupProgram()));
      layerTiming.add(LayerTiming.of(p, c.program()));
      maxCycles += 4 * Math.max(setupTiming.get(setupTiming.size() - 1).cycles(),
          layerTiming.get(layerTiming.size() - 1).cycles());
    }
    List<long[]> want = beats;

    Path work = Files.createTempDirectory("pimforge-model");
    try {
      Path input = work.resolve("host.txt");
      write(plan, n, layers, maxCycles, input);
      SimulatorProcess.Output out = SimulatorProcess.run(sim, work, input, stalls, List.of(), waves,
          RUN_TIMEOUT_SECONDS, hint);
      Iterator<String> it = out.lines().iterator();
      String first = it.hasNext() ? it.next() : "";
      if (!first.startsWith("HASH ") || !first.substring(5).trim().equals(sim.designHash())) {
        throw new CosimFailure("simulator output does not start with this design's HASH: '" + first + "'; " + hint);
      }
      String schedule = null;
      for (int l = 0; l < n; l++) {
        LayerRun.expect(it, "D", hint);
        LayerRun.Counters c = LayerRun.counters(it, hint);
        LayerRun.expect(it, "O", hint);
        schedule = schedule != null ? schedule : LayerCosim.counterMismatch("layer " + l + " setup", setupTiming.get(l), c, true);
      }
      LayerRun.expect(it, "D", hint);
      List<LayerRun.Counters> counters = new ArrayList<>();
      for (int l = 0; l < n; l++) {
        LayerRun.Counters c = LayerRun.counters(it, hint);
        counters.add(c);
        schedule = schedule != null ? schedule : LayerCosim.counterMismatch("layer " + l, layerTiming.get(l), c, l == 0);
      }
      List<long[]> got = LayerRun.outBeats(LayerRun.expect(it, "O", hint), plan.lanes());
      long total = Long.parseLong(LayerRun.expect(it, "END", hint)[1]);
      String diff = LayerCosim.firstMismatch(layers.get(0), want, got);
      return new Outcome(diff == null, diff, counters, schedule, got, want, total, out.seconds());
    } finally {
      AtomicOutputDir.deleteTree(work);
    }
  }

  private static void write(LayerPlan plan, int n, List<CompiledLayer> layers, long maxCycles, Path file)
      throws IOException {
    long model = ModelRegisters.address(plan, n, 0);
    try (BufferedWriter w = Files.newBufferedWriter(file)) {
      for (int l = 0; l < n; l++) { // setup: one layer at a time
        w.write("W " + (model + ModelRegisters.ROUTE) + " " + ModelRegisters.pair(l, n - 1) + "\n");
        w.write("W " + (model + ModelRegisters.RUN_RANGE) + " " + ModelRegisters.pair(l, l) + "\n");
        LayerRun.writeProgram(w, plan, ModelRegisters.address(plan, l, 0), layers.get(l).setupProgram());
        LayerRun.writeBeats(w, plan, layers.get(l).setupBeats());
        w.write("G " + maxCycles + "\n");
        readCounters(w, plan, l);
        w.write("O\n");
      }
      w.write("W " + (model + ModelRegisters.ROUTE) + " " + ModelRegisters.pair(0, n - 1) + "\n");
      w.write("W " + (model + ModelRegisters.RUN_RANGE) + " " + ModelRegisters.pair(0, n - 1) + "\n");
      for (int l = 0; l < n; l++) {
        LayerRun.writeProgram(w, plan, ModelRegisters.address(plan, l, 0), layers.get(l).program());
      }
      LayerRun.writeBeats(w, plan, layers.get(0).beats());
      w.write("G " + maxCycles + "\n");
      for (int l = 0; l < n; l++) {
        readCounters(w, plan, l);
      }
      w.write("O\n");
    }
  }

  private static void readCounters(BufferedWriter w, LayerPlan plan, int layer) throws IOException {
    for (int a : LayerRun.counterReads()) {
      w.write("R " + ModelRegisters.address(plan, layer, a) + "\n");
    }
  }
}
