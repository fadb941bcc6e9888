package pimforge.softmax;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import pimforge.cosim.CosimSeeds;
import pimforge.ports.StreamPorts;
import pimforge.cosim.StreamRun;
import pimforge.cosim.UnitCosim;
import pimforge.golden.softmax.SoftmaxConfig;
import pimforge.golden.softmax.SoftmaxModel;
import pimforge.golden.softmax.SoftmaxSchedule;
import pimforge.params.HwParams;

/**
 * Co-simulation of the softmax unit in Verilator against {@link SoftmaxModel}, bit for bit, and
 * the cycle counts against {@link SoftmaxSchedule}. Seed s uses configuration s % 3 and host stalls
 * when (s / 3) is odd. Replay with
 * {@code PIMFORGE_COSIM_SEEDS=<seed> ./mill -i tests.testOnly pimforge.softmax.SoftmaxCosimTest}.
 */
class SoftmaxCosimTest {
  private static final int CASES = 6;
  private static final int RANDOM_ROWS = 40;

  static LongStream seeds() {
    return CosimSeeds.seeds(CASES);
  }

  /** Host transactions and the golden answers they must produce. */
  private record Plan(List<StreamRun.Transaction> transactions, List<long[]> expected, List<Integer> rowBeats) {}

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void softmaxMatchesGoldenModel(long seed) throws Exception {
    HwParams p = SoftmaxConfigs.CONFIGS.get((int) Math.floorMod(seed, 3L));
    boolean stalls = Math.floorMod(seed / 3, 2L) == 1;
    String hint = CosimSeeds.replayHint(seed, SoftmaxCosimTest.class);
    System.out.println("softmax cosim seed=" + seed + " " + SoftmaxConfigs.describe(p) + (stalls ? " stalls=25%" : ""));

    Plan plan = plan(p, new Random(seed));
    StreamRun.Result r = UnitCosim.run(p, StreamPorts.softmax(p), plan.transactions(), stalls ? 25 : 0, seed,
        1000 + 4 * SoftmaxSchedule.rowCycles(p, p.softmaxDerived().rowBeats()), hint);

    long inner = plan.expected().stream().flatMapToLong(Arrays::stream)
        .filter(v -> v > 0 && v < (1L << p.softmax().outputBits()) - 1).count();
    long all = plan.expected().stream().mapToLong(e -> e.length).sum();
    System.out.println("  " + inner + " of " + all + " probabilities strictly between 0 and the largest code");
    assertTrue(inner * 10 >= all, "stimulus too degenerate (mostly 0 or saturated); " + hint);
    for (int t = 0; t < plan.transactions().size(); t++) {
      StreamRun.Response got = r.responses().get(t);
      StreamRun.Transaction tx = plan.transactions().get(t);
      assertEquals(Arrays.toString(plan.expected().get(t)), Arrays.toString(got.values()),
          "transaction " + t + " (op " + tx.op() + ", scores " + Arrays.toString(tx.values()) + "); " + hint);
      long want = tx.op() == 0 ? SoftmaxSchedule.configCycles(p) : SoftmaxSchedule.rowCycles(p, plan.rowBeats().get(t));
      if (stalls) {
        assertTrue(got.cycles() >= want, "stalls cannot make it faster; " + hint);
      } else {
        assertEquals(want, got.cycles(), "cycles of transaction " + t + " vs SoftmaxSchedule; " + hint);
      }
    }
  }

  /** Configure (scale fitted to the rows), corner rows, random rows; reconfigure halfway (maybe any legal scale). */
  private static Plan plan(HwParams p, Random rnd) {
    SoftmaxModel golden = new SoftmaxModel(p);
    List<StreamRun.Transaction> txs = new ArrayList<>();
    List<long[]> expected = new ArrayList<>();
    List<Integer> beats = new ArrayList<>();
    long spread = SoftmaxRows.spread(p, rnd);
    List<long[]> rows = new ArrayList<>(SoftmaxRows.corners(p, rnd));
    for (int i = 0; i < RANDOM_ROWS; i++) {
      rows.add(SoftmaxRows.random(p, rnd, spread));
    }
    for (int i = 0; i < rows.size(); i++) {
      if (i == 0 || i == rows.size() / 2) {
        SoftmaxConfig c = SoftmaxRows.configFor(p, rnd, spread, i > 0 && rnd.nextInt(3) == 0);
        golden.configure(c);
        txs.add(new StreamRun.Transaction(pimforge.golden.softmax.SoftmaxOp.CONFIGURE, false, c.packet(p)));
        expected.add(new long[0]);
        beats.add(0);
      }
      long[] padded = SoftmaxModel.padToBeats(p, rows.get(i));
      txs.add(new StreamRun.Transaction(pimforge.golden.softmax.SoftmaxOp.ROW, true, padded));
      expected.add(golden.row(padded));
      beats.add(padded.length / p.softmax().lanes());
    }
    return new Plan(txs, expected, beats);
  }
}
