package pimforge.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import pimforge.cosim.CosimSeeds;
import pimforge.cosim.ModelCosim;
import pimforge.cosim.StreamRun;
import pimforge.cosim.VerilatorBuild;
import pimforge.params.AttentionParams.Schedule;
import pimforge.params.HwParams;

/**
 * The model top of the 2-layer tiny encoder in Verilator: both layers' weights loaded one layer at
 * a time, then both layers started together, layer 0's output streaming into layer 1; the last
 * layer's output against two chained golden models, bit for bit, and every layer's counters against
 * its exact schedule. Each seed draws both layers' weights, the input and the sequence length; odd
 * seeds stall the host streams.
 * Replay: {@code PIMFORGE_COSIM_SEEDS=<seed> ./mill -i tests.testOnly pimforge.layer.ModelCosimTest}.
 */
class ModelCosimTest {
  private static final int CASES = 2;

  static LongStream seeds() {
    return CosimSeeds.seeds(CASES);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void modelTopMatchesChainedGoldenModels(long seed) throws Exception {
    HwParams p = LayerConfigs.small(Schedule.DECOMPOSED, false);
    assertEquals(2, p.model().numLayers(), "the tiny model has two layers");
    boolean stalls = seed % 2 == 1;
    int seqLen = 1 + (int) Math.floorMod(seed * 7919, (long) p.attention().maxSeqLen());
    String hint = CosimSeeds.replayHint(seed, ModelCosimTest.class);
    System.out.println(String.format("model cosim seed=%d %s, %d layers, seq=%d%s", seed, p.model().name(),
        p.model().numLayers(), seqLen, stalls ? " stalls=25%" : ""));
    List<CompiledLayer> layers = new ArrayList<>();
    for (int l = 0; l < p.model().numLayers(); l++) {
      layers.add(LayerCompiler.compile(p, RandomLayers.of(p, seed * 31 + l), seqLen));
    }

    VerilatorBuild.Simulator sim = ModelCosim.build(p, CosimSeeds.cacheRoot(), false);
    ModelCosim.Outcome out = ModelCosim.run(p, sim, layers,
        stalls ? new StreamRun.Stalls(25, seed) : StreamRun.Stalls.NONE, null, hint);
    System.out.println(String.format("  build %.1f s, %d cycles, %.0f simulated cycles/s, layer cycles %d / %d",
        sim.buildSeconds(), out.totalCycles(), out.cyclesPerSecond(), out.layerCounters().get(0).cycles(),
        out.layerCounters().get(1).cycles()));

    assertTrue(out.bitExact(), out.firstMismatch() + "; " + hint);
    assertEquals(seqLen * p.model().hiddenSize() / p.crossbar().lanes(), out.outBeats().size(), hint);
    if (!stalls) {
      assertNull(out.scheduleMismatch(), hint);
    }
    // The layers really differ: the model output is not layer 0's output.
    LayerMachineModel first = new LayerMachineModel(p);
    first.run(layers.get(0).setupProgram(), layers.get(0).setupBeats());
    List<long[]> layer0 = first.run(layers.get(0).program(), layers.get(0).beats());
    boolean differs = false;
    for (int b = 0; b < layer0.size() && !differs; b++) {
      differs = !java.util.Arrays.equals(layer0.get(b), out.outBeats().get(b));
    }
    assertTrue(differs, "the output went through both layers; " + hint);
  }
}
