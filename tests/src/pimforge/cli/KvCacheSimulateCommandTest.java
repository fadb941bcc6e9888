package pimforge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pimforge.TestSupport;
import pimforge.TestSupport.Run;
import pimforge.cosim.CosimSeeds;

/**
 * {@code simulate --top KvCacheController}: prefill plus decode steps bit-exact and on schedule, a
 * FULL overflow reported from the hardware's status word, bad options. The designs are
 * KvCacheConfigs A and D (same records, so CI builds each once).
 */
class KvCacheSimulateCommandTest {
  /** KvCacheConfigs A: tiny-gpt2, SLIDING_WINDOW of 8, groups of 4, keys 4 b, values 3 b, threshold 1. */
  private static final String WINDOW = "{\"crossbar\": {\"lanes\": 4}, \"kvCache\": {\"policy\": \"SLIDING_WINDOW\","
      + " \"budgetTokens\": 8, \"sinkTokens\": 0, \"windowTokens\": 8, \"keyBits\": 4, \"valueBits\": 3,"
      + " \"groupSize\": 4, \"pruneThreshold\": 1, \"fullPrecisionTokens\": 4}}";
  /** KvCacheConfigs D: tiny-llama, FULL budget 8, groups of 8, 5-bit keys and values, threshold 2. */
  private static final String FULL = "{\"crossbar\": {\"lanes\": 4}, \"kvCache\": {\"policy\": \"FULL\","
      + " \"budgetTokens\": 8, \"sinkTokens\": 0, \"windowTokens\": 8, \"keyBits\": 5, \"valueBits\": 5,"
      + " \"groupSize\": 8, \"pruneThreshold\": 2, \"fullPrecisionTokens\": 8}}";

  @TempDir
  Path tmp;

  private static String cache() {
    return CosimSeeds.cacheRoot().toString();
  }

  @Test
  void prefillAndDecodeAreBitExactAndOnSchedule() throws Exception {
    Path hw = TestSupport.write(tmp, "window.json", WINDOW);
    Run r = TestSupport.cli("simulate", "--model", "tiny-gpt2", "--hw", hw.toString(), "--top", "KvCacheController",
        "--seq", "10", "--decode", "5", "--seed", "3", "--cache", cache());
    System.out.println(r.out());
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("bit-exact (APPEND results, scores, context, counters, external memory image): yes"),
        r.out());
    assertTrue(r.out().contains("cycles match the schedule (KvCacheSchedule): yes"), r.out());
    assertTrue(r.out().contains("prefill: 10 APPENDs"), r.out());
    // the window holds 8 tokens: after 10 prefill tokens 2 were evicted, after decode step 4 (token 14) 7
    assertTrue(r.out().contains("then occupancy 8, evicted 2, refused 0"), r.out());
    assertTrue(r.out().matches("(?s).*\\n    4   14 +\\d+ +\\d+ +\\d+ +\\d+ +8 +7 +0 .*"), r.out());
    assertTrue(r.out().contains("decode: 5 steps"), r.out());
  }

  @Test
  void fullPolicyOverflowIsReportedFromTheHardware() throws Exception {
    Path hw = TestSupport.write(tmp, "full.json", FULL);
    Run r = TestSupport.cli("simulate", "--model", "tiny-llama", "--hw", hw.toString(), "--top", "KvCacheController",
        "--seq", "6", "--decode", "4", "--cache", cache());
    System.out.println(r.out());
    assertEquals(2, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("bit-exact (APPEND results, scores, context, counters, external memory image): yes"),
        r.out());
    assertEquals("error: kvCache.budgetTokens: is 8, allowed at least 10 (--seq + --decode) with policy FULL: the "
        + "hardware set its overflow bit and refused 2 tokens, the first at position 8", r.err().strip());
  }

  @Test
  void badOptionsAreUserErrors() throws Exception {
    Path hw = TestSupport.write(tmp, "window.json", WINDOW);
    Run past = TestSupport.cli("simulate", "--model", "tiny-gpt2", "--hw", hw.toString(), "--top", "KvCacheController",
        "--seq", "120", "--decode", "9");
    assertEquals(2, past.code(), past.err());
    assertEquals("error: --decode: is 9, allowed 0..8 (model.maxPositions 128 minus --seq 120)", past.err().strip());
    Run policy = TestSupport.cli("simulate", "--model", "tiny-gpt2", "--hw", hw.toString(), "--top",
        "KvCacheController", "--kv-policy", "LRU");
    assertEquals(2, policy.code(), policy.err());
    assertEquals("error: --kv-policy: is 'LRU', allowed FULL, SLIDING_WINDOW, SINKS_WINDOW, HEAVY_HITTER",
        policy.err().strip());
    // legal for FULL (R up to the budget), not for a windowed policy (R inside the window of 3)
    Path shortWindow = TestSupport.write(tmp, "short.json", FULL.replace("\"windowTokens\": 8", "\"windowTokens\": 3")
        .replace("\"groupSize\": 8", "\"groupSize\": 4").replace("\"fullPrecisionTokens\": 8", "\"fullPrecisionTokens\": 4"));
    Run window = TestSupport.cli("simulate", "--model", "tiny-llama", "--hw", shortWindow.toString(), "--top",
        "KvCacheController", "--kv-policy", "SLIDING_WINDOW");
    assertEquals(2, window.code(), window.err());
    assertTrue(window.err().startsWith("error: kvCache.fullPrecisionTokens: is 4, allowed a multiple of groupSize 4 in 4..3"),
        window.err());
    Run other = TestSupport.cli("simulate", "--model", "tiny", "--top", "PimBank", "--decode", "3");
    assertEquals(2, other.code(), other.err());
    assertEquals("error: --decode: applies to --top LayerTop or --top KvCacheController only", other.err().strip());
  }
}
