package pimforge.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import pimforge.cosim.CosimSeeds;
import pimforge.cosim.LayerRun;
import pimforge.cosim.StreamRun;
import pimforge.cosim.VerilatorBuild;
import pimforge.params.HwParams;

/**
 * LayerTop on random programs (RandomPrograms: every engine busy at once, random wait masks, stage
 * tags, iterations, offsets and flags): every run's counters exactly as LayerTiming predicts, and
 * the scratchpad regions the engines wrote bit for bit as OpcodeReference computes them.
 * Replay a seed: PIMFORGE_COSIM_SEEDS=seed ./mill -i tests.testOnly pimforge.layer.LayerTopRandomProgramsTest
 */
class LayerTopRandomProgramsTest {
  private static final HwParams P = LayerConfigs.small();
  private static final int PROGRAMS = 4;

  @Test
  void randomProgramsMatchTheReferenceAndTheCycleModel() throws Exception {
    VerilatorBuild.Simulator sim = LayerRun.build(P, CosimSeeds.cacheRoot(), false);
    for (long seed : CosimSeeds.seeds(2).toArray()) {
      RandomPrograms gen = new RandomPrograms(P, seed);
      List<LayerRun.Phase> phases = new ArrayList<>();
      phases.add(gen.setup());
      for (int i = 0; i < PROGRAMS; i++) {
        phases.add(gen.program(24));
      }
      phases.add(gen.readBack());
      String hint = CosimSeeds.replayHint(seed, getClass());
      LayerRun.Result r = LayerRun.run(sim, LayerPlan.of(P), phases, StreamRun.Stalls.NONE, 1_000_000, null, hint);
      OpcodeReference reference = new OpcodeReference(P);
      long modelCycles = 0;
      for (int i = 0; i < phases.size(); i++) {
        LayerRun.Phase ph = phases.get(i);
        LayerRun.PhaseResult got = r.phases().get(i);
        String what = "seed " + seed + " program " + i + " (" + hint + ")";
        List<long[]> expected = reference.run(ph.program(), ph.beats());
        assertEquals(expected.size(), got.outBeats().size(), what + ": m_axis beats");
        for (int b = 0; b < expected.size(); b++) {
          assertArrayEquals(expected.get(b), got.outBeats().get(b), what + ": m_axis beat " + b);
        }
        LayerTiming t = LayerTiming.of(P, ph.program());
        assertEquals(t.cycles(), got.counters().cycles(), what + ": CYCLES");
        assertEquals(t.instructions(), got.counters().instructions(), what + ": INSTRUCTIONS");
        assertEquals(t.xbarWrites(), got.counters().xbarWrites(), what + ": XBAR_WRITES");
        assertArrayEquals(t.stageCycles(), got.counters().stageCycles(), what + ": STAGE_CYCLES");
        modelCycles += t.cycles();
      }
      System.out.println(String.format("layer random programs seed %d: %d runs, %d cycles as modelled, %.0f cycles/s",
          seed, phases.size(), modelCycles, r.cyclesPerSecond()));
    }
  }
}
