package pimforge.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import pimforge.cosim.CosimSeeds;
import pimforge.cosim.LayerCosim;
import pimforge.cosim.StreamRun;
import pimforge.cosim.VerilatorBuild;
import pimforge.params.HwParams;
import pimforge.params.ModelShape;

/**
 * Layer designs drawn per seed ({@link RandomLayerDesigns}) rather than fixed configurations.
 * Golden model: every seed compiles, tracks the float layer, and is causal when it is a decoder.
 * Verilator: two seeds build the drawn design and run it bit-exact against the golden model, with
 * the hardware counters equal to LayerTiming (odd seeds: 20 % host stalls, counters bounded).
 * Replay one: {@code PIMFORGE_COSIM_SEEDS=<seed> ./mill -i tests.testOnly pimforge.layer.RandomLayerDesignTest}.
 */
class RandomLayerDesignTest {

  static LongStream goldenSeeds() {
    return CosimSeeds.seeds(24);
  }

  static LongStream rtlSeeds() {
    return CosimSeeds.seeds(2);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("goldenSeeds")
  void drawnDesignTracksTheFloatLayer(long seed) {
    RandomLayerDesigns.Design d = RandomLayerDesigns.draw(seed);
    HwParams p = d.params();
    RandomLayers.RandomLayer layer = RandomLayers.of(p, seed);
    long[][] out = CausalAttentionTest.runGolden(p, layer, layer.input(d.seqLen()));
    double[][] got = layer.quantized().dequantizeOutput(out);
    double[][] want = layer.floatLayer().forward(layer.input(d.seqLen()));
    double cos = Similarity.cosine(got, want);
    System.out.println(String.format("seed %d: %s: cosine %.5f", seed, d.description(), cos));
    assertTrue(cos >= 0.98, "seed " + seed + " (" + d.description() + "): cosine " + cos);
    if (p.model().family() == ModelShape.Family.DECODER && d.seqLen() > 1) {
      double[][] changed = layer.input(d.seqLen());
      changed[d.seqLen() - 1] = changed[0].clone();
      long[][] out2 = CausalAttentionTest.runGolden(p, layer, changed);
      for (int t = 0; t < d.seqLen() - 1; t++) {
        assertArrayEquals(out[t], out2[t], "seed " + seed + ": token " + t + " saw the last token");
      }
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("rtlSeeds")
  void drawnDesignIsBitExactInVerilator(long seed) throws Exception {
    RandomLayerDesigns.Design d = RandomLayerDesigns.draw(seed);
    HwParams p = d.params();
    boolean stalls = seed % 2 == 1;
    String hint = CosimSeeds.replayHint(seed, RandomLayerDesignTest.class);
    System.out.println("random layer design seed=" + seed + ": " + d.description() + (stalls ? ", stalls 20%" : ""));
    VerilatorBuild.Simulator sim = LayerCosim.build(p, CosimSeeds.cacheRoot(), false);
    LayerCosim.Outcome out = LayerCosim.run(p, sim, seed, d.seqLen(),
        stalls ? new StreamRun.Stalls(20, seed) : StreamRun.Stalls.NONE, null, hint);
    System.out.println(String.format("  build %.1f s, %d cycles, %.0f simulated cycles/s", sim.buildSeconds(),
        out.measured().cycles(), out.cyclesPerSecond()));
    assertTrue(out.bitExact(), out.firstMismatch() + "; " + hint);
    assertEquals(out.goldenCrossbarWrites(), out.measured().xbarWrites(), "crossbar writes; " + hint);
    if (stalls) {
      assertTrue(out.measured().cycles() >= out.schedule().cycles(), "stalls cannot make it faster; " + hint);
    } else {
      assertTrue(out.countersMatch(), out.counterMismatch() + "; " + hint);
    }
  }
}
