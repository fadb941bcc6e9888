package pimforge.cosim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import pimforge.golden.BankSchedule;
import pimforge.golden.Fixtures;
import pimforge.params.HwParams;

/**
 * Randomized co-simulation of the PIM bank in Verilator against the golden model, bit for bit.
 * Each case is one seed: it picks the configuration, the stimulus and the host's stalls.
 * Replay one case with {@code PIMFORGE_COSIM_SEEDS=<seed> ./mill -i tests.testOnly pimforge.cosim.BankCosimTest}.
 */
class BankCosimTest {
  /** Seeds run in CI; the benchmark script runs more and bigger configurations. */
  private static final int CASES = 10;
  /** Cells summed per simulated cycle; keeps each Verilator build well under a minute. */
  static final int CI_CELL_BUDGET = 4096;

  static LongStream seeds() {
    return CosimSeeds.seeds(CASES);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void bankMatchesGoldenModel(long seed) throws Exception {
    HwParams p = BankConfigSampler.sample(Fixtures.bank(
        pimforge.params.Precision.DEFAULT, pimforge.params.CrossbarParams.DEFAULT,
        pimforge.params.BankParams.DEFAULT), seed, CI_CELL_BUDGET);
    boolean stalls = seed % 2 == 1;
    String hint = CosimSeeds.replayHint(seed, BankCosimTest.class);
    System.out.println("cosim seed=" + seed + " " + BankConfigSampler.describe(p) + (stalls ? " stalls=25%" : ""));

    VerilatorBuild.Simulator sim = BankCosim.build(p, CosimSeeds.cacheRoot(), false);
    BankCosim.Outcome out = BankCosim.run(p, sim, BankStimulus.random(p, seed, 6),
        stalls ? new StreamRun.Stalls(25, seed) : StreamRun.Stalls.NONE, null, hint);
    System.out.println(String.format("  build %.1f s, %d cycles, %.0f simulated cycles/s",
        sim.buildSeconds(), out.totalCycles(), out.cyclesPerSecond()));

    assertTrue(out.bitExact(), out.firstMismatch() + "; " + hint);
    BankSchedule schedule = BankSchedule.of(p);
    for (long cycles : out.multiplyCycles()) {
      if (stalls) {
        assertTrue(cycles >= schedule.multiplyCycles(), "stalls cannot make it faster; " + hint);
      } else {
        assertEquals(schedule.multiplyCycles(), cycles, "multiply cycles vs schedule; " + hint);
      }
    }
    if (!stalls) {
      assertEquals(schedule.weightLoadCycles(), out.weightLoadCycles(), "weight load cycles; " + hint);
    }
  }
}
