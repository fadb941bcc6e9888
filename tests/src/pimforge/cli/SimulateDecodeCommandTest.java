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
 * {@code simulate --decode} end to end: prefill and decode steps bit-exact with the per-step table,
 * a FULL cache overflowing its budget as a one-line error naming kvCache.budgetTokens (exit 2),
 * and bad options refused by name. The designs are those of LayerTopKvCacheTest and
 * DecodeCosimTest, so CI builds each once.
 */
class SimulateDecodeCommandTest {
  @TempDir
  Path tmp;

  private static final String H2O = "{\"crossbar\": {\"rows\": 32, \"cols\": 32, \"lanes\": 4},"
      + " \"attention\": {\"maxSeqLen\": 8},"
      + " \"kvCache\": {\"enabled\": true, \"policy\": \"HEAVY_HITTER\", \"budgetTokens\": 8, \"windowTokens\": 4,"
      + " \"keyBits\": 4, \"valueBits\": 4, \"groupSize\": 4, \"fullPrecisionTokens\": 4, \"pruneThreshold\": 1}}";

  private static final String FULL = "{\"crossbar\": {\"rows\": 32, \"cols\": 32, \"lanes\": 4}, \"attention\":"
      + " {\"maxSeqLen\": 8, \"schedule\": \"STRAIGHTFORWARD\"}, \"kvCache\": {\"enabled\": true, \"policy\": \"FULL\","
      + " \"budgetTokens\": 8, \"keyBits\": 8, \"valueBits\": 8, \"groupSize\": 8, \"fullPrecisionTokens\": 8}}";

  @Test
  void decodeStepsAreBitExactWithAPerStepTable() throws Exception {
    Path hw = TestSupport.write(tmp, "h2o.json", H2O);
    Run r = TestSupport.cli("simulate", "--model", "tiny-llama", "--hw", hw.toString(), "--seq", "6", "--decode", "4",
        "--kv-policy", "HEAVY_HITTER", "--cache", CosimSeeds.cacheRoot().toString());
    System.out.println(r.out());
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("bit-exact (every phase and the KV memory image): yes"), r.out());
    assertTrue(r.out().matches("(?s).*\\n +9 +\\d+ +16 +\\d+ +0 .*"), "a row for position 9: " + r.out());
  }

  @Test
  void aFullCacheOverflowIsAClearError() throws Exception {
    Path hw = TestSupport.write(tmp, "full.json", FULL);
    Run r = TestSupport.cli("simulate", "--model", "tiny-gpt2", "--hw", hw.toString(), "--seq", "6", "--decode", "4",
        "--cache", CosimSeeds.cacheRoot().toString());
    assertEquals(2, r.code(), r.out() + r.err());
    assertTrue(r.err().contains("kvCache.budgetTokens") && r.err().contains("refused 2 tokens"), r.err());
    assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
  }

  @Test
  void badDecodeOptionsAreRefusedByName() throws Exception {
    Path hw = TestSupport.write(tmp, "h2o.json", H2O);
    Run policy = TestSupport.cli("simulate", "--model", "tiny-llama", "--hw", hw.toString(), "--decode", "2",
        "--kv-policy", "LRU");
    assertEquals(2, policy.code());
    assertTrue(policy.err().contains("--kv-policy"), policy.err());
    Run past = TestSupport.cli("simulate", "--model", "tiny-llama", "--hw", hw.toString(), "--seq", "6", "--decode",
        "500");
    assertEquals(2, past.code());
    assertTrue(past.err().contains("--decode") && past.err().contains("1..122"), past.err());
    Run encoder = TestSupport.cli("simulate", "--model", "tiny", "--seq", "4", "--decode", "2");
    assertEquals(2, encoder.code());
    assertTrue(encoder.err().contains("kvCache.enabled"), encoder.err());
    Run alone = TestSupport.cli("simulate", "--model", "tiny-llama", "--kv-policy", "FULL");
    assertEquals(2, alone.code());
    assertTrue(alone.err().contains("--kv-policy"), alone.err());
  }
}
