package pimforge.cosim;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import pimforge.kvcache.KvCacheLayout;
import pimforge.kvcache.KvCacheModel;
import pimforge.kvcache.KvCacheOp;
import pimforge.kvcache.KvCacheSchedule;
import pimforge.kvcache.KvEvictionModel.RopeConvention;
import pimforge.params.HwParams;
import pimforge.ports.StreamPorts;

/**
 * Co-simulates the KV-cache controller (built by {@link VerilatorBuild#build(HwParams, StreamPorts,
 * Path, boolean)} with {@link StreamPorts#kvCache}) of one layer and KV head through a prefill of P tokens
 * (APPEND each) and N decode steps (APPEND, SCORES, CONTEXT with the plain softmax of the scores,
 * {@link KvCacheStimulus#softmax}), with a COUNTERS read after the prefill and after every step.
 * Every response and the final external-memory image are compared with {@link KvCacheModel}; the
 * cycles of every transaction are set beside {@link KvCacheSchedule}'s (exact without stalls).
 */
public final class KvCacheCosim {
  public static final String TOP = StreamPorts.KV_CACHE_TOP;

  /** Cycles of one command, measured and scheduled (the schedule assumes no stalls). */
  public record Cycles(long measured, long schedule) {}

  /**
   * One decode step: the APPEND result words (outcome, slot, evicted position, position), the
   * cycles of its three commands, and the hardware's counters after it.
   */
  public record Step(long[] append, Cycles appendCycles, Cycles scoresCycles, Cycles contextCycles,
      KvCacheModel.Counters counters) {
    public long measured() {
      return appendCycles.measured() + scoresCycles.measured() + contextCycles.measured();
    }

    public long schedule() {
      return appendCycles.schedule() + scoresCycles.schedule() + contextCycles.schedule();
    }
  }

  /**
   * What a run showed: bit-exactness (first mismatch), the prefill's APPEND cycles and the hardware
   * counters after it (null without a prefill), the decode steps, the first refused token's
   * position (-1 if none; from the hardware's APPEND results), whether every transaction took the
   * scheduled cycles, and the simulator's totals.
   */
  public record Outcome(boolean bitExact, String firstMismatch, List<Cycles> prefill,
      KvCacheModel.Counters afterPrefill, List<Step> steps, long firstRefusedPosition, String scheduleMismatch,
      long totalCycles, double seconds) {
    public double cyclesPerSecond() {
      return seconds > 0 ? totalCycles / seconds : 0;
    }
  }

  private KvCacheCosim() {}

  public static Outcome run(HwParams p, VerilatorBuild.Simulator sim, int prefill, int decode, long seed,
      StreamRun.Stalls stalls, Path waves, String replayHint) throws IOException, InterruptedException {
    KvCacheLayout layout = KvCacheLayout.of(p);
    KvCacheModel golden = new KvCacheModel(layout, RopeConvention.ORIGINAL);
    KvCacheSchedule schedule = KvCacheSchedule.of(layout);
    KvCacheStimulus stim = new KvCacheStimulus(layout, new Random(seed));
    List<StreamRun.Transaction> tx = new ArrayList<>();
    List<long[]> expected = new ArrayList<>();
    List<Long> scheduled = new ArrayList<>();
    List<String> what = new ArrayList<>();
    for (int t = 0; t < prefill + decode; t++) {
      int[] k = stim.vector();
      int[] v = stim.vector();
      long[] in = Arrays.copyOf(stim.beats(k), 2 * layout.vectorBeats(k.length) * layout.lanes());
      long[] vb = stim.beats(v);
      System.arraycopy(vb, 0, in, vb.length, vb.length);
      add(tx, expected, scheduled, what, KvCacheOp.APPEND, in, golden.append(k, v), schedule.append(golden.lastSeal()),
          "APPEND of token " + t);
      if (t >= prefill) {
        int[] q = stim.vector();
        long sc = schedule.scores(golden);
        long[] scores = golden.scores(q);
        add(tx, expected, scheduled, what, KvCacheOp.SCORES, stim.beats(q), scores, sc, "SCORES of step " + (t - prefill));
        long[] probs = stim.softmax(scores);
        long cc = schedule.context(golden, probs);
        add(tx, expected, scheduled, what, KvCacheOp.CONTEXT, stim.beats(probs), golden.context(probs), cc,
            "CONTEXT of step " + (t - prefill));
      }
      if (t >= prefill || t == prefill - 1) {
        add(tx, expected, scheduled, what, KvCacheOp.COUNTERS, new long[0], golden.counters().words(),
            schedule.counters(), "COUNTERS after token " + t);
      }
    }
    long longest = scheduled.stream().mapToLong(Long::longValue).max().orElse(0);
    long watchdog = 1000 + 20 * longest;
    StreamRun.Result r = StreamRun.run(sim, tx, stalls, watchdog, waves, replayHint);

    String mismatch = null;
    String late = null;
    long refused = -1;
    List<Cycles> pre = new ArrayList<>();
    KvCacheModel.Counters afterPrefill = null;
    List<Step> steps = new ArrayList<>();
    int n = 0;
    for (int t = 0; t < prefill + decode; t++) {
      int first = n;
      int count = t >= prefill ? 4 : t == prefill - 1 ? 2 : 1;
      for (int i = first; i < first + count; i++) {
        if (mismatch == null) {
          mismatch = firstMismatch(what.get(i), expected.get(i), r.responses().get(i).values());
        }
        if (late == null && r.responses().get(i).cycles() != scheduled.get(i)) {
          late = what.get(i) + ": " + r.responses().get(i).cycles() + " cycles, schedule " + scheduled.get(i);
        }
      }
      long[] append = r.responses().get(first).values();
      if (refused < 0 && append.length > 3 && append[0] == KvCacheOp.OUTCOME_REFUSED) {
        refused = append[3];
      }
      if (t < prefill) {
        pre.add(cycles(r, scheduled, first));
        if (t == prefill - 1) {
          afterPrefill = KvCacheModel.Counters.of(r.responses().get(first + 1).values());
        }
      } else {
        steps.add(new Step(Arrays.copyOf(append, KvCacheLayout.APPEND_RESULT_WORDS), cycles(r, scheduled, first),
            cycles(r, scheduled, first + 1), cycles(r, scheduled, first + 2),
            KvCacheModel.Counters.of(r.responses().get(first + 3).values())));
      }
      n += count;
    }
    if (mismatch == null) {
      byte[] image = Arrays.copyOf(r.memory(), (int) layout.memoryBytes());
      byte[] want = golden.memory();
      for (int i = 0; i < want.length && mismatch == null; i++) {
        if (image[i] != want[i]) {
          mismatch = "external memory byte " + i + ": rtl " + (image[i] & 0xff) + ", golden " + (want[i] & 0xff);
        }
      }
    }
    return new Outcome(mismatch == null, mismatch, pre, afterPrefill, steps, refused, late, r.totalCycles(),
        r.seconds());
  }

  private static void add(List<StreamRun.Transaction> tx, List<long[]> expected, List<Long> scheduled,
      List<String> what, int op, long[] in, long[] want, long cycles, String name) {
    tx.add(new StreamRun.Transaction(op, true, in));
    expected.add(want);
    scheduled.add(cycles);
    what.add(name);
  }

  private static Cycles cycles(StreamRun.Result r, List<Long> scheduled, int i) {
    return new Cycles(r.responses().get(i).cycles(), scheduled.get(i));
  }

  /** The words after {@code want.length} are beat padding and must be 0. */
  private static String firstMismatch(String what, long[] want, long[] got) {
    if (got.length < want.length) {
      return what + ": " + got.length + " words, expected " + want.length;
    }
    for (int i = 0; i < got.length; i++) {
      long w = i < want.length ? want[i] : 0;
      if (got[i] != w) {
        return what + " word " + i + ": rtl " + got[i] + ", golden " + w;
      }
    }
    return null;
  }
}
