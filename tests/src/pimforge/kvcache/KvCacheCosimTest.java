package pimforge.kvcache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import pimforge.cosim.KvCacheStimulus;
import pimforge.cosim.StreamRun;
import pimforge.cosim.VerilatorBuild;
import pimforge.kvcache.KvEvictionModel.RopeConvention;
import pimforge.params.HwParams;
import pimforge.ports.StreamPorts;

/**
 * Co-simulation of the KV-cache controller in Verilator against {@link KvCacheModel}, bit for bit:
 * every APPEND result, score row, context vector and counter set, and the final external-memory
 * image. Seed s uses configuration s % 4 ({@link KvCacheConfigs}) and, when (s / 4) is odd, 25 %
 * stalls on the host streams and on the AXI4 memory port; without stalls every transaction's cycles
 * must equal {@link KvCacheSchedule}'s, with stalls be at least that. A run is a prefill of P tokens and N
 * decode steps (APPEND, SCORES, CONTEXT), with P + N well past the budget. Replay with
 * {@code PIMFORGE_COSIM_SEEDS=<seed> ./mill -i tests.testOnly pimforge.kvcache.KvCacheCosimTest}.
 */
class KvCacheCosimTest {
  private static final int CASES = 8;

  static LongStream seeds() {
    return CosimSeeds.seeds(CASES);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void controllerMatchesGoldenModel(long seed) throws Exception {
    HwParams p = KvCacheConfigs.CONFIGS.get((int) Math.floorMod(seed, (long) KvCacheConfigs.CONFIGS.size()));
    boolean stalls = Math.floorMod(seed / KvCacheConfigs.CONFIGS.size(), 2L) == 1;
    String hint = CosimSeeds.replayHint(seed, KvCacheCosimTest.class);
    System.out.println("kv-cache cosim seed=" + seed + " " + KvCacheConfigs.describe(p) + (stalls ? " stalls=25%" : ""));

    KvCacheLayout layout = KvCacheLayout.of(p);
    KvCacheModel golden = new KvCacheModel(layout, RopeConvention.ORIGINAL);
    KvCacheStimulus stim = new KvCacheStimulus(layout, new Random(seed));
    List<StreamRun.Transaction> tx = new ArrayList<>();
    List<long[]> expected = new ArrayList<>();
    List<String> what = new ArrayList<>();
    List<Long> cycles = new ArrayList<>();
    KvCacheSchedule schedule = KvCacheSchedule.of(layout);
    int prefill = layout.capacity() + 3;
    int decode = 12;
    for (int t = 0; t < prefill + decode; t++) {
      int[] k = stim.vector();
      int[] v = stim.vector();
      tx.add(new StreamRun.Transaction(KvCacheOp.APPEND, true, concat(stim.beats(k), stim.beats(v))));
      expected.add(golden.append(k, v));
      cycles.add(schedule.append(golden.lastSeal()));
      what.add("APPEND token " + t);
      if (t >= prefill) {
        int[] q = stim.vector();
        tx.add(new StreamRun.Transaction(KvCacheOp.SCORES, true, stim.beats(q)));
        cycles.add(schedule.scores(golden));
        long[] scores = golden.scores(q);
        expected.add(scores);
        what.add("SCORES step " + (t - prefill));
        long[] probs = stim.probabilities(scores);
        tx.add(new StreamRun.Transaction(KvCacheOp.CONTEXT, true, stim.beats(probs)));
        cycles.add(schedule.context(golden, probs));
        expected.add(golden.context(probs));
        what.add("CONTEXT step " + (t - prefill));
      }
      if (t % 7 == 6 || t == prefill + decode - 1) {
        tx.add(new StreamRun.Transaction(KvCacheOp.COUNTERS, true, new long[0]));
        expected.add(golden.counters().words());
        cycles.add(schedule.counters());
        what.add("COUNTERS after token " + t);
      }
    }

    VerilatorBuild.Simulator sim = VerilatorBuild.build(p, StreamPorts.kvCache(p), CosimSeeds.cacheRoot(), false);
    StreamRun.Result r = StreamRun.run(sim, tx, stalls ? new StreamRun.Stalls(25, seed) : StreamRun.Stalls.NONE,
        20_000, null, hint);
    System.out.println(String.format("  build %.1f s, %d transactions, %d cycles, %.0f simulated cycles/s",
        sim.buildSeconds(), tx.size(), r.totalCycles(), r.cyclesPerSecond()));
    KvCacheModel.Counters ct = golden.counters();
    System.out.println(String.format("  appended %d, evicted %d, refused %d, pruned %d, zero codes %d, stored %d, "
        + "%d B written, %d B read", ct.appended(), ct.evicted(), ct.refused(), ct.pruned(), ct.zeroCodes(),
        ct.storedCodes(), ct.bytesWritten(), ct.bytesRead()));
    assertTrue(ct.evicted() + ct.refused() > 0, "the budget was never reached; " + hint);
    assertTrue(ct.pruned() + ct.zeroCodes() > 0 && ct.storedCodes() > 0, "stimulus never pruned or never stored; " + hint);

    byte[] image = Arrays.copyOf(r.memory(), (int) layout.memoryBytes());
    assertArrayEquals(golden.memory(), image, "external memory image differs; " + hint);
    for (int i = image.length; i < r.memory().length; i++) {
      assertEquals(0, r.memory()[i], "write outside the cache's memory at byte " + i + "; " + hint);
    }
    for (int n = 0; n < tx.size(); n++) {
      long[] got = r.responses().get(n).values();
      long[] want = expected.get(n);
      assertTrue(got.length >= want.length, what.get(n) + ": " + got.length + " words; " + hint);
      assertArrayEquals(want, Arrays.copyOf(got, want.length), what.get(n) + " differs; " + hint);
      for (int i = want.length; i < got.length; i++) {
        assertEquals(0, got[i], what.get(n) + ": padding word " + i + " not zero; " + hint);
      }
      if (!stalls) {
        assertEquals(cycles.get(n), r.responses().get(n).cycles(), what.get(n) + ": cycles vs KvCacheSchedule; " + hint);
      } else {
        assertTrue(r.responses().get(n).cycles() >= cycles.get(n), what.get(n) + ": faster than KvCacheSchedule; " + hint);
      }
    }
    long sealed = 0;
    for (int n = 0; n < tx.size(); n++) {
      sealed += what.get(n).startsWith("APPEND") && cycles.get(n) > schedule.appendCycles() ? 1 : 0;
    }
    assertTrue(sealed > 0, "no APPEND sealed; " + hint);
  }

  private static long[] concat(long[] a, long[] b) {
    long[] r = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }
}
