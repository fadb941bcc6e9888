package pimforge.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
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
 * CAM attention in the layer top in Verilator, bit for bit against the golden machine, every
 * design over {@link #SEEDS} seeds, odd seeds with 25 % stalls on the streams (and the memory
 * port): an encoder prefill (all rows visible) and a decoder prefill (causal row limits), whose
 * cycles equal LayerTiming's without stalls; decoders' prefill plus decode steps whose cache
 * evicts (SLIDING_WINDOW, SINKS_WINDOW: the victim's CAM row takes the new key) or refuses (FULL
 * past its budget: the CAM write is skipped), binary scores and exact re-scoring, each step at
 * least the decode program's LayerTiming bound. Replay one seed:
 * PIMFORGE_COSIM_SEEDS=seed ./mill -i tests.testOnly pimforge.layer.CamLayerCosimTest
 */
class CamLayerCosimTest {
  static final int SEEDS = 2;
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

  private static Stream<Arguments> withSeeds(List<Arguments> designs) {
    return designs.stream().flatMap(d -> CosimSeeds.seeds(SEEDS).mapToObj(s -> Arguments.of(d.get()[0], d.get()[1], s)));
  }

  static Stream<Arguments> prefills() throws Exception {
    return withSeeds(List.of(Arguments.of("tiny encoder, binary", of("tiny", false, null)),
        Arguments.of("tiny-llama causal, re-scored", of("tiny-llama", true, null))));
  }

  @ParameterizedTest(name = "{0} seed {2}")
  @MethodSource("prefills")
  void prefillIsBitExact(String name, HwParams p, long seed) throws Exception {
    boolean stalls = seed % 2 == 1;
    String hint = CosimSeeds.replayHint(seed, getClass());
    VerilatorBuild.Simulator sim = LayerCosim.build(p, CosimSeeds.cacheRoot(), false);
    LayerCosim.Outcome o = LayerCosim.run(p, sim, seed, p.attention().maxSeqLen(),
        stalls ? new StreamRun.Stalls(25, seed) : StreamRun.Stalls.NONE, null, hint);
    System.out.println(String.format("cam layer %s seed %d%s: %d cycles (schedule %d); build %.0f s", name, seed,
        stalls ? " stalls 25%" : "", o.measured().cycles(), o.schedule().cycles(), sim.buildSeconds()));
    assertTrue(o.bitExact(), name + ": " + o.firstMismatch() + "; " + hint);
    assertTrue(o.schedule().exact(), name + ": a prefill's CAM program has exact durations");
    if (stalls) {
      assertTrue(o.measured().cycles() >= o.schedule().cycles(), name + ": faster than the schedule; " + hint);
    } else {
      assertTrue(o.countersMatch(), name + ": " + o.counterMismatch() + "; " + hint);
    }
  }

  static final String KV = "\"budgetTokens\": 6, \"keyBits\": 4, \"valueBits\": 4, \"groupSize\": 2,"
      + " \"fullPrecisionTokens\": 2}";

  static Stream<Arguments> decodes() throws Exception {
    return withSeeds(List.of(
        Arguments.of("tiny-gpt2 SLIDING_WINDOW, binary", of("tiny-gpt2", false, "{\"enabled\": true, \"policy\":"
            + " \"SLIDING_WINDOW\", \"windowTokens\": 6, " + KV)),
        Arguments.of("tiny-llama SINKS_WINDOW, re-scored", of("tiny-llama", true, "{\"enabled\": true, \"policy\":"
            + " \"SINKS_WINDOW\", \"sinkTokens\": 2, \"windowTokens\": 4, " + KV)),
        Arguments.of("tiny-llama FULL refusing, binary", of("tiny-llama", false, "{\"enabled\": true, \"policy\":"
            + " \"FULL\", " + KV))));
  }

  @ParameterizedTest(name = "{0} seed {2}")
  @MethodSource("decodes")
  void prefillAndDecodeAreBitExact(String name, HwParams p, long seed) throws Exception {
    boolean stalls = seed % 2 == 1;
    String hint = CosimSeeds.replayHint(seed, getClass());
    VerilatorBuild.Simulator sim = LayerCosim.build(p, CosimSeeds.cacheRoot(), false);
    DecodeCosim.Outcome o = DecodeCosim.run(p, sim, seed, PREFILL, DECODE,
        stalls ? new StreamRun.Stalls(25, seed) : StreamRun.Stalls.NONE, null, hint);
    System.out.println(String.format("cam decode %s seed %d%s: prefill %d tokens %d cycles; build %.0f s", name, seed,
        stalls ? " stalls 25%" : "", PREFILL, o.prefillCycles(), sim.buildSeconds()));
    LayerPlan plan = LayerPlan.of(p);
    long bound = LayerTiming.of(p, LayerProgram.decode(p, plan, ScratchLayout.of(p, plan.lanes()),
        LayerProgram.Shifts.ZERO, new ProgramBuilder(p))).cycles();
    for (DecodeCosim.Step s : o.steps()) {
      System.out.println(String.format("  position %d: %d cycles (at least %d), occupancy %d, evicted %d, refused %d,"
          + " cosine vs full cache %.4f", s.position(), s.cycles(), bound, s.occupancy(), s.evicted(), s.refused(),
          s.cosineVsFullCache()));
      assertTrue(s.cycles() >= bound, name + ": step " + s.position() + " faster than the schedule's bound; " + hint);
    }
    assertTrue(o.bitExact(), name + ": " + o.firstMismatch() + "; " + hint);
    DecodeCosim.Step last = o.steps().get(o.steps().size() - 1);
    if (p.kvCache().policy() == pimforge.params.KvCacheParams.Policy.FULL) {
      assertTrue(last.refused() > 0 && last.overflowStatus(), name + ": the cache never refused; " + hint);
    } else {
      assertTrue(last.evicted() > 0, name + ": nothing was evicted; " + hint);
    }
    assertEquals(PREFILL + DECODE, last.position() + 1, name + ": steps");
  }
}
