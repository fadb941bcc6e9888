package pimforge.layer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import pimforge.cosim.CosimSeeds;
import pimforge.cosim.DecodeCosim;
import pimforge.cosim.LayerRun;
import pimforge.cosim.StreamRun;
import pimforge.cosim.VerilatorBuild;
import pimforge.params.HwParams;

/**
 * Prefill plus decode steps of a whole compiled layer on the layer top in Verilator, bit for bit
 * against the golden machine ({@link DecodeCosim}): a tiny GPT-2-style and a tiny Llama-style
 * layer, every eviction policy, budgets (8 tokens) below the 12 tokens decoded so that every
 * policy evicts (FULL refuses), the second and fourth with 25 % stalls on the streams and the
 * memory port. Replay: PIMFORGE_COSIM_SEEDS=seed ./mill -i tests.testOnly pimforge.layer.DecodeCosimTest
 */
class DecodeCosimTest {
  static final int PREFILL = 6;
  static final int DECODE = 6;

  static HwParams of(String preset, String kv) throws Exception {
    String json = "{\"crossbar\": {\"rows\": 32, \"cols\": 32, \"lanes\": 4}, \"attention\": {\"maxSeqLen\": 8,"
        + " \"schedule\": \"STRAIGHTFORWARD\"}, \"kvCache\": " + kv + "}";
    return pimforge.TestSupport.design(preset, json);
  }

  static Stream<Arguments> designs() throws Exception {
    return Stream.of(
        Arguments.of("tiny-llama HEAVY_HITTER", LayerTopKvCacheTest.params(), false),
        Arguments.of("tiny-gpt2 SLIDING_WINDOW", of("tiny-gpt2", "{\"enabled\": true, \"policy\": \"SLIDING_WINDOW\","
            + " \"budgetTokens\": 8, \"windowTokens\": 8, \"keyBits\": 4, \"valueBits\": 4, \"groupSize\": 4,"
            + " \"fullPrecisionTokens\": 4, \"pruneThreshold\": 1}"), true),
        Arguments.of("tiny-llama SINKS_WINDOW", of("tiny-llama", "{\"enabled\": true, \"policy\": \"SINKS_WINDOW\","
            + " \"budgetTokens\": 8, \"sinkTokens\": 2, \"windowTokens\": 6, \"keyBits\": 3, \"valueBits\": 3,"
            + " \"groupSize\": 2, \"fullPrecisionTokens\": 4, \"pruneThreshold\": 0}"), false),
        Arguments.of("tiny-gpt2 FULL", of("tiny-gpt2", "{\"enabled\": true, \"policy\": \"FULL\", \"budgetTokens\": 8,"
            + " \"keyBits\": 8, \"valueBits\": 8, \"groupSize\": 8, \"fullPrecisionTokens\": 8}"), true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("designs")
  void prefillAndDecodeAreBitExact(String name, HwParams p, boolean stalls) throws Exception {
    long seed = CosimSeeds.seeds(1).findFirst().orElseThrow();
    String hint = CosimSeeds.replayHint(seed, getClass());
    VerilatorBuild.Simulator sim = LayerRun.build(p, CosimSeeds.cacheRoot(), false);
    DecodeCosim.Outcome o = DecodeCosim.run(p, sim, seed, PREFILL, DECODE,
        stalls ? new StreamRun.Stalls(25, seed) : StreamRun.Stalls.NONE, null, hint);
    System.out.println(String.format("decode %s seed %d%s: prefill %d tokens %d cycles; build %.0f s, %.0f cycles/s",
        name, seed, stalls ? " stalls 25%" : "", PREFILL, o.prefillCycles(), sim.buildSeconds(),
        o.simulatedCycles() / Math.max(1e-9, o.simSeconds())));
    for (DecodeCosim.Step s : o.steps()) {
      System.out.println(String.format("  position %d: %d cycles, occupancy %d, evicted %d, refused %d, %d B written, "
          + "%d B read, cosine vs full cache %.4f", s.position(), s.cycles(), s.occupancy(), s.evicted(), s.refused(),
          s.bytesWritten(), s.bytesRead(), s.cosineVsFullCache()));
    }
    assertTrue(o.bitExact(), name + ": " + o.firstMismatch() + "; " + hint);
    DecodeCosim.Step last = o.steps().get(o.steps().size() - 1);
    assertTrue(last.evicted() + last.refused() > 0, name + ": the budget was never reached; " + hint);
  }
}
