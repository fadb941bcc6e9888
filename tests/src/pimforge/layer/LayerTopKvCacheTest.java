package pimforge.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import pimforge.cosim.CosimSeeds;
import pimforge.cosim.LayerRun;
import pimforge.cosim.StreamRun;
import pimforge.cosim.VerilatorBuild;
import pimforge.golden.softmax.SoftmaxOp;
import pimforge.kvcache.KvCacheLayout;
import pimforge.kvcache.KvCacheModel;
import pimforge.kvcache.KvCacheOp;
import pimforge.params.HwParams;

/**
 * The layer top's KV engine and its per-KV-head KV-cache controllers in Verilator against the
 * golden layer machine, bit for bit: a program appends a prefill's keys and values of every KV head
 * (KV APPEND with iterations), then decodes step by step (APPEND the new token, SCORES for its
 * query, a SOFTMAX row over the slots, CONTEXT), and sends every result, score row, probability
 * row and context to m_axis; the final memory behind m_axi_* must equal the golden controllers'.
 * Seeds: the first without stalls, the second with 25 % stalls on the streams and the memory port.
 * Replay: PIMFORGE_COSIM_SEEDS=seed ./mill -i tests.testOnly pimforge.layer.LayerTopKvCacheTest
 */
class LayerTopKvCacheTest {
  static final String HW = "{\"crossbar\": {\"rows\": 32, \"cols\": 32, \"lanes\": 4},"
      + " \"attention\": {\"maxSeqLen\": 8},"
      + " \"kvCache\": {\"enabled\": true, \"policy\": \"HEAVY_HITTER\", \"budgetTokens\": 8, \"windowTokens\": 4,"
      + " \"keyBits\": 4, \"valueBits\": 4, \"groupSize\": 4, \"fullPrecisionTokens\": 4, \"pruneThreshold\": 1}}";
  private static final int PREFILL = 10;
  private static final int DECODE = 5;
  /** First m_axis beat of the probability rows and of the contexts (set by {@link #program}). */
  private static final int[] regions = new int[2];

  static HwParams params() throws Exception {
    return pimforge.TestSupport.design("tiny-llama", HW);
  }

  @Test
  void prefillAndDecodeMatchTheGoldenMachine() throws Exception {
    HwParams p = params();
    LayerPlan plan = LayerPlan.of(p);
    VerilatorBuild.Simulator sim = LayerRun.build(p, CosimSeeds.cacheRoot(), false);
    long[] seeds = CosimSeeds.seeds(2).toArray();
    for (int k = 0; k < seeds.length; k++) {
      long seed = seeds[k];
      boolean stalls = k % 2 == 1;
      String hint = CosimSeeds.replayHint(seed, getClass());
      LayerRun.Phase phase = program(p, plan, new Random(seed));
      LayerMachineModel golden = new LayerMachineModel(p, plan);
      List<long[]> want = golden.run(phase.program(), phase.beats());
      LayerRun.Result r = LayerRun.run(sim, plan, List.of(phase), stalls ? new StreamRun.Stalls(25, seed)
          : StreamRun.Stalls.NONE, 2_000_000, null, hint);
      List<long[]> got = r.phases().get(0).outBeats();
      assertEquals(want.size(), got.size(), "m_axis beats; " + hint);
      for (int b = 0; b < want.size(); b++) {
        assertArrayEquals(want.get(b), got.get(b), "m_axis beat " + b + "; " + hint);
      }
      assertArrayEquals(golden.kvMemoryImage(), r.memory(), "KV-cache memory image; " + hint);
      // Not degenerate: probability rows with several non-zero entries and non-zero contexts.
      long pMax = (1L << p.softmax().outputBits()) - 1;
      long innerProbs = 0;
      long nonZeroContext = 0;
      for (int b = 0; b < want.size(); b++) {
        for (long v : want.get(b)) {
          boolean inProbs = b >= regions[0] && b < regions[1];
          boolean inContext = b >= regions[1];
          innerProbs += inProbs && v > 0 && v < pMax ? 1 : 0;
          nonZeroContext += inContext && v != 0 ? 1 : 0;
        }
      }
      assertTrue(innerProbs >= 2 * DECODE && nonZeroContext >= DECODE, "degenerate stimulus: " + innerProbs
          + " probabilities strictly inside, " + nonZeroContext + " non-zero context words; " + hint);
      long evicted = 0;
      long bytes = 0;
      for (KvCacheModel m : golden.kvCaches()) {
        evicted += m.counters().evicted();
        bytes += m.counters().bytesWritten() + m.counters().bytesRead();
      }
      assertTrue(evicted > 0, "the budget was never reached; " + hint);
      System.out.println(String.format("layer top KV seed %d%s: %d instructions, %d cycles, %d evictions, %d B moved, "
          + "%.0f cycles/s, bit-exact", seed, stalls ? " (stalls 25%)" : "", phase.program().size(),
          r.phases().get(0).counters().cycles(), evicted, bytes, r.cyclesPerSecond()));
    }
  }

  /** The program and its s_axis beats (see the class comment). */
  static LayerRun.Phase program(HwParams p, LayerPlan plan, Random rnd) {
    int lanes = plan.lanes();
    KvCacheLayout l = KvCacheLayout.of(p);
    int heads = p.model().numKvHeads();
    int vec = l.vectorBeats(l.headDim());
    int slots = l.vectorBeats(l.capacity());
    int res = KvSpec.resultBeats(lanes);
    int tokens = PREFILL + DECODE;
    // Scratchpad regions (words): keys, values, queries per (token, head); then outputs.
    int keys = 0;
    int values = keys + tokens * heads * vec;
    int queries = values + tokens * heads * vec;
    int config = queries + DECODE * heads * vec;
    int results = config + 1;
    int scores = results + tokens * heads * res;
    int probs = scores + DECODE * heads * slots;
    int context = probs + DECODE * heads * slots;
    int end = context + DECODE * heads * vec;
    assertTrue(end <= plan.scratchWords(), "scratchpad of " + plan.scratchWords() + " words too small for " + end);
    regions[0] = probs - results; // output beats of the probability rows, then of the contexts
    regions[1] = context - results;

    List<long[]> beats = new ArrayList<>();
    ProgramBuilder b = new ProgramBuilder(p);
    int inputWords = config;
    for (int w = 0; w < inputWords; w++) {
      long[] beat = new long[lanes];
      for (int e = 0; e < lanes; e++) {
        int m = rnd.nextInt(8) == 0 ? 4000 : 600; // elements of about 2^9, a few outliers that saturate
        beat[e] = rnd.nextInt(5) == 0 ? 0 : rnd.nextInt(2 * m + 1) - m;
      }
      beats.add(beat);
    }
    long[] cfg = new long[lanes];
    cfg[0] = 5; // softmax multiplier and shift
    cfg[1] = 3;
    beats.add(cfg);
    b.add(Instructions.hostIn(LayerStage.QKV, 0, inputWords + 1, 1, 0));
    b.add(Instructions.softmaxConfigure(LayerStage.SCORES, config, 1));
    int shiftIn = 2;
    int shiftScores = 8;
    int shiftContext = 10;
    for (int h = 0; h < heads; h++) {
      b.add(kv(KvCacheOp.APPEND, h, keys + h * vec, values + h * vec, results + h * res, PREFILL, heads * vec,
          heads * res, shiftIn, 0));
    }
    for (int s = 0; s < DECODE; s++) {
      int t = PREFILL + s;
      for (int h = 0; h < heads; h++) {
        int row = s * heads + h;
        b.add(kv(KvCacheOp.APPEND, h, keys + (t * heads + h) * vec, values + (t * heads + h) * vec,
            results + (t * heads + h) * res, 1, 0, 0, shiftIn, 0));
        b.add(kv(KvCacheOp.SCORES, h, queries + row * vec, 0, scores + row * slots, 1, 0, 0, shiftIn, shiftScores));
        b.add(Instructions.softmaxRows(LayerStage.SCORES, scores + row * slots, slots, l.capacity(), 0,
            probs + row * slots, 1, 0, 0, 0, 0));
        b.add(kv(KvCacheOp.CONTEXT, h, probs + row * slots, 0, context + row * vec, 1, 0, 0, 0, shiftContext));
      }
    }
    b.add(Instructions.hostOut(LayerStage.OUTPUT, results, end - results, 1, 0));
    return new LayerRun.Phase(b.end(), beats);
  }

  private static Instruction kv(int cmd, int head, int src, int src2, int dst, int repeat, int srcStep, int dstStep,
      int shift, int outShift) {
    return new Instruction(Opcode.KV, LayerStage.SCORES, 0, cmd, repeat, src, dst, src2, 0, srcStep, dstStep, head, 0,
        shift, outShift, 0);
  }
}
