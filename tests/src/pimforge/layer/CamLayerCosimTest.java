package pimforge.layer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import pimforge.cosim.CosimSeeds;
import pimforge.cosim.DecodeCosim;
import pimforge.cosim.LayerCosim;
import pimforge.cosim.StreamRun;
import pimforge.cosim.VerilatorBuild;
import pimforge.params.HwParams;

/**
 * CAM attention in the layer top in Verilator, bit for bit against the golden machine: an encoder
 * prefill (all rows visible), a decoder prefill (causal row limits), and decoders' prefill plus
 * decode steps whose cache evicts (SLIDING_WINDOW, HEAVY_HITTER: the victim's CAM row takes the
 * new key), binary scores and exact re-scoring, two of them with 25 % stalls on the streams (and
 * the memory port). Replay: PIMFORGE_COSIM_SEEDS=seed ./mill -i tests.testOnly pimforge.layer.CamLayerCosimTest
 */
class CamLayerCosimTest {
  static final int PREFILL = 5;
  static final int DECODE = 6;

  /** 8 positions, CAM of 2 tiles of 4 rows, top-3 (binary) or top-4 re-scored. */
  static HwParams of(String preset, boolean rescore, String kv) throws Exception {
    String cam = "{\"enabled\": true, \"rowsPerTile\": 4, \"topK\": " + (rescore ? 4 : 3) + ", \"stages\": 2,"
        + " \"matchAdcBits\": 3, \"lanes\": 4, \"cols\": 64, \"keyBits\": 6, \"valueBits\": 8, \"rescore\": " + rescore
        + "}";
    String json = "{\"crossbar\": {\"rows\": 32, \"cols\": 32, \"lanes\": 4}, \"attention\": {\"maxSeqLen\": 8,"
        + " \"schedule\": \"STRAIGHTFORWARD\"}, \"cam\": " + cam + (kv == null ? "" : ", \"kvCache\": " + kv) + "}";
    return pimforge.TestSupport.design(preset, json);
  }

  static Stream<Arguments> prefills() throws Exception {
    return Stream.of(Arguments.of("tiny encoder, binary", of("tiny", false, null), false),
        Arguments.of("tiny-llama causal, re-scored", of("tiny-llama", true, null), true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("prefills")
  void prefillIsBitExact(String name, HwParams p, boolean stalls) throws Exception {
    long seed = CosimSeeds.seeds(1).findFirst().orElseThrow();
    String hint = CosimSeeds.replayHint(seed, getClass());
    VerilatorBuild.Simulator sim = LayerCosim.build(p, CosimSeeds.cacheRoot(), false);
    LayerCosim.Outcome o = LayerCosim.run(p, sim, seed, p.attention().maxSeqLen(),
        stalls ? new StreamRun.Stalls(25, seed) : StreamRun.Stalls.NONE, null, hint);
    System.out.println(String.format("cam layer %s seed %d%s: %d cycles (schedule at least %d); build %.0f s", name,
        seed, stalls ? " stalls 25%" : "", o.measured().cycles(), o.schedule().cycles(), sim.buildSeconds()));
    assertTrue(o.bitExact(), name + ": " + o.firstMismatch() + "; " + hint);
    assertTrue(o.measured().cycles() >= o.schedule().cycles(), name + ": below the schedule's lower bound; " + hint);
  }

  static Stream<Arguments> decodes() throws Exception {
    return Stream.of(
        Arguments.of("tiny-gpt2 SLIDING_WINDOW, binary", of("tiny-gpt2", false, "{\"enabled\": true, \"policy\":"
            + " \"SLIDING_WINDOW\", \"budgetTokens\": 6, \"windowTokens\": 6, \"keyBits\": 4, \"valueBits\": 4,"
            + " \"groupSize\": 2, \"fullPrecisionTokens\": 2}"), false),
        Arguments.of("tiny-llama HEAVY_HITTER, re-scored", of("tiny-llama", true, "{\"enabled\": true, \"policy\":"
            + " \"HEAVY_HITTER\", \"budgetTokens\": 6, \"sinkTokens\": 1, \"windowTokens\": 2, \"keyBits\": 4,"
            + " \"valueBits\": 4, \"groupSize\": 2, \"fullPrecisionTokens\": 2}"), true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("decodes")
  void prefillAndDecodeAreBitExact(String name, HwParams p, boolean stalls) throws Exception {
    long seed = CosimSeeds.seeds(1).findFirst().orElseThrow();
    String hint = CosimSeeds.replayHint(seed, getClass());
    VerilatorBuild.Simulator sim = LayerCosim.build(p, CosimSeeds.cacheRoot(), false);
    DecodeCosim.Outcome o = DecodeCosim.run(p, sim, seed, PREFILL, DECODE,
        stalls ? new StreamRun.Stalls(25, seed) : StreamRun.Stalls.NONE, null, hint);
    System.out.println(String.format("cam decode %s seed %d%s: prefill %d tokens %d cycles; build %.0f s", name, seed,
        stalls ? " stalls 25%" : "", PREFILL, o.prefillCycles(), sim.buildSeconds()));
    for (DecodeCosim.Step s : o.steps()) {
      System.out.println(String.format("  position %d: %d cycles, occupancy %d, evicted %d, refused %d, cosine vs"
          + " full cache %.4f", s.position(), s.cycles(), s.occupancy(), s.evicted(), s.refused(),
          s.cosineVsFullCache()));
    }
    assertTrue(o.bitExact(), name + ": " + o.firstMismatch() + "; " + hint);
    assertTrue(o.steps().get(o.steps().size() - 1).evicted() > 0, name + ": nothing was evicted; " + hint);
  }
}
