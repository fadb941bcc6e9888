package pimforge.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import pimforge.config.HwConfigReader;
import pimforge.kvcache.KvCacheLayout;
import pimforge.model.ModelPresets;
import pimforge.params.HwParams;
import pimforge.params.KvCacheParams;
import pimforge.params.KvCacheParams.Policy;

/**
 * The KV-cache controller's decode-step costs against an independent count of the steady state of a
 * SLIDING_WINDOW cache: after each APPEND the full-precision buffer holds R - G + 1 .. R - 1 tokens,
 * or R - G after a seal; every other slot is sealed and, in the worst case, read in full.
 */
class KvCacheCostTest {
  private static final TechTable T = TechTable.defaults();

  /** tiny-llama (d 16, 4 query heads on 2 KV heads), a window of 8 slots, groups of 4, R = 4. */
  private static final HwParams P = HwConfigReader.defaults(ModelPresets.get("tiny-llama").orElseThrow())
      .withKvCache(new KvCacheParams(Policy.SLIDING_WINDOW, 8, 0, 8, 4, 3, 4, 1, 4));

  @Test
  void worstCaseTrafficMatchesTheSteadyStateCount() {
    KvCacheLayout l = KvCacheLayout.of(P);
    KvCacheCost c = KvCacheCost.of(P, T, 40, KvCacheCost.Kind.WORST_CASE);
    int g = 4;
    int r = 4;
    int cap = 8;
    double meanUnsealed = ((double) g * (r - g) + g * (g - 1) / 2.0) / g;
    double sealedSlots = cap - meanUnsealed;
    long strides = l.keyRecordMaxBytes() + l.valueRecordMaxBytes();
    assertEquals(2, c.queriesPerKvHead());
    assertEquals(strides, c.dramBytesWrittenPerStep(), 1e-9, "one token's largest records per step");
    assertEquals(strides, c.bytesPerSealedToken(), 1e-9, "over the whole run too");
    assertEquals(2 * sealedSlots * strides, c.dramBytesReadPerStep(), 1e-9, "every sealed key and value read per query");
    assertEquals(8, c.occupancy());
    assertEquals(1.0, c.storedFraction(), 0, "no sparsity");
    assertEquals(c.dramBytesReadPerStep() * T.get("dramReadSst_pJPerByte"), c.energyPjPerStep().get("DRAM_READ"), 1e-9);
    // a seal per G steps: 3 quantizer operations per element of G tokens' keys and values
    assertEquals(3.0 * 2 * 16 * g / g, c.events()[3], 1e-9);
    // SCORES and CONTEXT multiply every channel of every cached slot, per query
    assertEquals(2 * 2 * 16 * cap, c.events()[5], 1e-9);
  }

  @Test
  void aWindowSmallerThanTheBudgetHasOneProbabilityPerSlot() {
    // SLIDING_WINDOW keeps windowTokens (8) of a budget of 12: rows have 8 entries (the slots)
    HwParams small = P.withKvCache(new KvCacheParams(Policy.SLIDING_WINDOW, 12, 0, 8, 4, 3, 4, 1, 4));
    KvCacheCost c = KvCacheCost.of(small, T, 40, KvCacheCost.Kind.SYNTHETIC);
    assertEquals(8, c.occupancy());
  }

  @Test
  void syntheticDataMovesNoMoreThanTheWorstCase() {
    KvCacheCost w = KvCacheCost.of(P, T, 40, KvCacheCost.Kind.WORST_CASE);
    KvCacheCost s = KvCacheCost.of(P, T, 40, KvCacheCost.Kind.SYNTHETIC);
    assertTrue(s.dramBytesWrittenPerStep() < w.dramBytesWrittenPerStep(), "pruned entries are not stored");
    assertTrue(s.dramBytesReadPerStep() < w.dramBytesReadPerStep(), "p = 0 slots are not read");
    assertTrue(s.storedFraction() < 1);
    assertTrue(s.energyPjTotalPerStep() < w.energyPjTotalPerStep());
  }

  @Test
  void evaluateAddsTheCacheToTheDecodeStep() {
    ModelEvaluation ev = ModelEvaluation.of(P, T, 32, 8);
    ModelEvaluation.KvDecode kd = ev.kvDecode();
    assertEquals(null, kd.error());
    assertEquals(4, kd.policies().size(), "the record is valid under every policy");
    assertEquals(kd.worstCase().cyclesPerStep(), kd.policies().get("SLIDING_WINDOW").cyclesPerStep(), 0);
    double layer = kd.oneToken().energyPj() + 2 * kd.worstCase().energyPjTotalPerStep();
    assertEquals(2 * layer * 1e-12, ev.kvDecodeJoulesPerToken(kd.worstCase()), 1e-18);
    assertEquals(2 * (kd.oneToken().cycles() + kd.worstCase().cyclesPerStep()) / 100e6,
        ev.kvDecodeSecondsPerToken(kd.worstCase()), 1e-15);
    // the default groupSize (32) does not divide tiny's head dimension (16): said, not failed
    ModelEvaluation tiny = ModelEvaluation.of(HwConfigReader.defaults(ModelPresets.get("tiny").orElseThrow()), T, 8, 2);
    assertTrue(tiny.kvDecode().error().startsWith("kvCache.groupSize"), tiny.kvDecode().error());
  }
}
