package pimforge.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import pimforge.cost.EventCounts;
import pimforge.cosim.CosimSeeds;
import pimforge.cosim.LayerCosim;
import pimforge.cosim.StreamRun;
import pimforge.cosim.VerilatorBuild;
import pimforge.params.AttentionParams.Schedule;
import pimforge.params.HwParams;

/**
 * A whole layer in Verilator (LayerTop) against the golden model (LayerMachineModel), bit for bit,
 * and its performance counters against LayerTiming, cycle for cycle. Each case is one seed: it
 * picks the configuration (both attention schedules, post-LN with LayerNorm/GELU and pre-LN with
 * RMSNorm/SiLU, one bank per matrix or matrices split over several banks), the random layer and
 * input, the sequence length, and on odd seeds random host stalls on both AXI streams.
 * Replay: {@code PIMFORGE_COSIM_SEEDS=<seed> ./mill -i tests.testOnly pimforge.layer.LayerCosimTest}.
 */
class LayerCosimTest {
  private static final int CASES = 12;

  /**
   * The configurations a seed picks from ((seed / 2) mod size, so that each gets an even seed
   * without stalls and an odd one with): an encoder (post-LN, decomposed; the straightforward
   * schedule's K/V writes run in every decoder below); decoders, all causal:
   * BLOOM-style (ALiBi) on single-tile banks so that every matrix spans several banks, GPT-2-style
   * (learned positions, LayerNorm, tanh GELU), Llama-style (RoPE, SwiGLU, grouped-query attention,
   * RMSNorm), GPT-J-style parallel block (partial interleaved RoPE, one shared norm), Gemma-style
   * (explicit head_dim: heads x head_dim = 128 > hidden 64, multi-query, GeGLU).
   */
  static final List<HwParams> CONFIGS = List.of(
      LayerConfigs.small(Schedule.DECOMPOSED, false),
      LayerConfigs.bloomSplit(Schedule.DECOMPOSED),
      LayerConfigs.gpt2Style(Schedule.STRAIGHTFORWARD),
      LayerConfigs.llamaStyle(),
      LayerConfigs.parallelStyle(true),
      LayerConfigs.gemmaStyle());

  static LongStream seeds() {
    return CosimSeeds.seeds(CASES);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void layerMatchesGoldenModelAndSchedule(long seed) throws Exception {
    HwParams p = CONFIGS.get((int) Math.floorMod(seed / 2, (long) CONFIGS.size()));
    boolean stalls = seed % 2 == 1;
    int maxSeq = p.attention().maxSeqLen();
    int seqLen = seed % 4 < 2 ? maxSeq : 1 + (int) Math.floorMod(seed * 7919, (long) maxSeq);
    String hint = CosimSeeds.replayHint(seed, LayerCosimTest.class);
    System.out.println(String.format("layer cosim seed=%d %s %s %s %s %s seq=%d%s", seed, p.model().name(),
        p.model().family(), p.attention().schedule(), p.model().preNorm() ? "pre-LN" : "post-LN", p.derived().bankInputs() + "x" + p.derived().bankOutputs() + " banks",
        seqLen, stalls ? " stalls=25%" : ""));

    VerilatorBuild.Simulator sim = LayerCosim.build(p, CosimSeeds.cacheRoot(), false);
    LayerCosim.Outcome out = LayerCosim.run(p, sim, seed, seqLen,
        stalls ? new StreamRun.Stalls(25, seed) : StreamRun.Stalls.NONE, null, hint);
    System.out.println(String.format("  build %.1f s, %d cycles (layer %d), %.0f simulated cycles/s, %d crossbar writes",
        sim.buildSeconds(), out.simulatedCycles(), out.measured().cycles(), out.cyclesPerSecond(),
        out.measured().xbarWrites()));

    assertTrue(out.bitExact(), out.firstMismatch() + "; " + hint);
    assertEquals(out.schedule().xbarWrites(), out.measured().xbarWrites(), "crossbar writes; " + hint);
    assertEquals(out.goldenCrossbarWrites(), out.measured().xbarWrites(), "crossbar writes vs golden; " + hint);
    // the cost model's events against the hardware counters (counts do not depend on stalls)
    EventCounts events = EventCounts.of(p, out.compiled().program());
    assertEquals(out.measured().xbarWrites(), events.total(Event.XBAR_WRITES), "event model crossbar writes; " + hint);
    assertEquals(out.measured().instructions(), events.instructions(), "event model instructions; " + hint);
    EventCounts setupEvents = EventCounts.of(p, out.compiled().setupProgram());
    assertEquals(out.setup().xbarWrites(), setupEvents.total(Event.XBAR_WRITES), "event model setup writes; " + hint);
    if (stalls) {
      assertTrue(out.measured().cycles() >= out.schedule().cycles(), "stalls cannot make it faster; " + hint);
    } else {
      assertTrue(out.countersMatch(), out.counterMismatch() + "; " + hint);
      if (seqLen == maxSeq) { // the numbers report.md/report.json print for this design
        LayerTiming reported = LayerSchedules.of(p).entry(p.attention().schedule()).layer();
        assertEquals(reported.cycles(), out.measured().cycles(), "report total cycles; " + hint);
        for (LayerStage s : LayerStage.values()) {
          assertEquals(reported.stage(s), out.measured().stage(s), "report " + s + " cycles; " + hint);
        }
        assertEquals(reported.xbarWrites(), out.measured().xbarWrites(), "report crossbar writes; " + hint);
      }
    }
  }

  /**
   * Causality in the RTL, a property with no reference: changing token j of a decoder's input
   * leaves the hardware's outputs of tokens 0..j-1 bit for bit unchanged (and changes a later one).
   */
  @ParameterizedTest(name = "seed {0}")
  @MethodSource("causalSeeds")
  void decoderRtlIsCausal(long seed) throws Exception {
    HwParams p = LayerConfigs.gpt2Style(Schedule.STRAIGHTFORWARD);
    String hint = CosimSeeds.replayHint(seed, LayerCosimTest.class);
    int seq = p.attention().maxSeqLen();
    int j = 1 + (int) Math.floorMod(seed * 31, (long) (seq - 1));
    System.out.println("layer cosim causality seed=" + seed + " seq=" + seq + " changed token " + j);
    RandomLayers.RandomLayer layer = RandomLayers.of(p, seed);
    double[][] x = layer.input(seq);
    double[][] changed = java.util.Arrays.stream(x).map(double[]::clone).toArray(double[][]::new);
    java.util.Random r = new java.util.Random(seed);
    for (int c = 0; c < changed[j].length; c++) {
      changed[j][c] = r.nextGaussian();
    }
    VerilatorBuild.Simulator sim = LayerCosim.build(p, CosimSeeds.cacheRoot(), false);
    long[][][] hw = new long[2][][];
    for (int k = 0; k < 2; k++) {
      double[][] in = k == 0 ? x : changed;
      CompiledLayer c = LayerCompiler.compile(p, layer.quantized(), layer.quantized().quantizeInput(in, p.sfu().actBits()));
      LayerCosim.Outcome out = LayerCosim.run(p, sim, c, new StreamRun.Stalls(25, seed + k), null, hint);
      assertTrue(out.bitExact(), out.firstMismatch() + "; " + hint);
      hw[k] = c.toMatrix(out.hardwareBeats());
    }
    for (int t = 0; t < j; t++) {
      org.junit.jupiter.api.Assertions.assertArrayEquals(hw[0][t], hw[1][t],
          "hardware output of token " + t + " changed with token " + j + "; " + hint);
    }
    boolean later = false;
    for (int t = j; t < seq; t++) {
      later |= !java.util.Arrays.equals(hw[0][t], hw[1][t]);
    }
    assertTrue(later, "changing token " + j + " changed no output; " + hint);
  }

  static LongStream causalSeeds() {
    return CosimSeeds.seeds(1);
  }
}
