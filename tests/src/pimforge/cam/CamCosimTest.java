package pimforge.cam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import pimforge.cosim.CosimSeeds;
import pimforge.cosim.StreamRun;
import pimforge.cosim.UnitCosim;
import pimforge.golden.cam.CamAttentionModel;
import pimforge.golden.cam.CamOp;
import pimforge.golden.cam.CamPackets;
import pimforge.golden.cam.CamSchedule;
import pimforge.golden.softmax.SoftmaxConfig;
import pimforge.params.HwParams;
import pimforge.ports.StreamPorts;

/**
 * Co-simulation of the CAM attention unit in Verilator against {@link CamAttentionModel}, bit for
 * bit (indices, scores, probabilities, context), and every transaction's cycles against
 * {@link CamSchedule}. Seed s uses configuration s % 3 of {@link CamConfigs} and host stalls when
 * (s / 3) is odd. Replay with
 * {@code PIMFORGE_COSIM_SEEDS=<seed> ./mill -i tests.testOnly pimforge.cam.CamCosimTest}.
 */
class CamCosimTest {
  private static final int CASES = 6;
  private static final int QUERIES = 12;

  static LongStream seeds() {
    return CosimSeeds.seeds(CASES);
  }

  private record Plan(List<StreamRun.Transaction> transactions, List<long[]> expected) {}

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void camMatchesGoldenModel(long seed) throws Exception {
    HwParams p = CamConfigs.CONFIGS.get((int) Math.floorMod(seed, 3L));
    boolean stalls = Math.floorMod(seed / 3, 2L) == 1;
    String hint = CosimSeeds.replayHint(seed, CamCosimTest.class);
    System.out.println("cam cosim seed=" + seed + " " + CamConfigs.describe(p) + (stalls ? " stalls=25%" : ""));

    Plan plan = plan(p, new Random(seed));
    StreamRun.Result r = UnitCosim.run(p, StreamPorts.cam(p), plan.transactions(), stalls ? 25 : 0, seed,
        1000 + 4 * CamSchedule.query(p).total(), hint);

    long inner = plan.expected().stream().filter(e -> e.length > 0)
        .mapToLong(e -> Arrays.stream(e, 2 * p.camDerived().topKBeats() * p.cam().lanes(),
            3 * p.camDerived().topKBeats() * p.cam().lanes()).filter(v -> v > 0).count() > 1 ? 1 : 0).sum();
    System.out.println("  " + inner + " of the queries spread probability over more than one survivor");
    assertTrue(inner * 2 >= QUERIES, "stimulus too degenerate; " + hint);
    for (int t = 0; t < plan.transactions().size(); t++) {
      StreamRun.Response got = r.responses().get(t);
      StreamRun.Transaction tx = plan.transactions().get(t);
      assertEquals(Arrays.toString(plan.expected().get(t)), Arrays.toString(got.values()),
          "transaction " + t + " (op " + tx.op() + ", values " + Arrays.toString(tx.values()) + "); " + hint);
      long want = switch (tx.op()) {
        case CamOp.CONFIGURE -> CamSchedule.configCycles(p);
        case CamOp.WRITE -> CamSchedule.writeCycles(p);
        case CamOp.CLEAR -> CamSchedule.clearCycles(p);
        default -> CamSchedule.query(p).total();
      };
      if (stalls) {
        assertTrue(got.cycles() >= want, "stalls cannot make it faster; " + hint);
      } else {
        assertEquals(want, got.cycles(), "cycles of transaction " + t + " (op " + tx.op() + ") vs CamSchedule; " + hint);
      }
    }
  }

  /**
   * Configure; write every row (random order, some rows twice); queries (one equal to a stored
   * key, every third with a random row limit); reconfigure; clear and write fewer rows than topK (empty survivor slots); more queries.
   */
  private static Plan plan(HwParams p, Random rnd) {
    CamAttentionModel golden = new CamAttentionModel(p);
    CamStimulus stim = new CamStimulus(p, rnd);
    List<StreamRun.Transaction> txs = new ArrayList<>();
    List<long[]> expected = new ArrayList<>();
    int n = p.camDerived().keys();
    long[][] keys = new long[n][];
    configure(p, golden, stim.config(), txs, expected);
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      order.add(i);
    }
    java.util.Collections.shuffle(order, rnd);
    order.add(order.get(0));
    for (int row : order) {
      keys[row] = stim.key();
      write(p, golden, row, keys[row], stim.value(), txs, expected);
    }
    for (int q = 0; q < QUERIES; q++) {
      if (q == QUERIES / 2) {
        configure(p, golden, stim.config(), txs, expected);
      }
      if (q == QUERIES - 2) {
        golden.clear();
        txs.add(new StreamRun.Transaction(CamOp.CLEAR, false, CamPackets.clear(p)));
        expected.add(new long[0]);
        for (int i = 0; i < Math.max(1, p.cam().topK() / 2); i++) {
          int row = rnd.nextInt(n);
          keys[row] = stim.key();
          write(p, golden, row, keys[row], stim.value(), txs, expected);
        }
      }
      long[] query = q == 1 ? keys[rnd.nextInt(n)] : stim.key();
      int limit = q % 3 == 2 ? rnd.nextInt(n + 1) : n; // every third query causal: rows 0..limit-1
      txs.add(new StreamRun.Transaction(CamOp.QUERY, true, CamPackets.query(p, limit, query)));
      expected.add(CamPackets.answer(p, golden.query(query, limit)));
    }
    return new Plan(txs, expected);
  }

  private static void configure(HwParams p, CamAttentionModel golden, SoftmaxConfig c,
      List<StreamRun.Transaction> txs, List<long[]> expected) {
    golden.configure(c);
    txs.add(new StreamRun.Transaction(CamOp.CONFIGURE, false, CamPackets.configure(p, c)));
    expected.add(new long[0]);
  }

  private static void write(HwParams p, CamAttentionModel golden, int row, long[] key, long[] value,
      List<StreamRun.Transaction> txs, List<long[]> expected) {
    golden.write(row, key, value);
    txs.add(new StreamRun.Transaction(CamOp.WRITE, false, CamPackets.write(p, row, key, value)));
    expected.add(new long[0]);
  }
}
