package pimforge.kvcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import pimforge.kvcache.KvEvictionModel.RopeConvention;
import pimforge.params.KvCacheParams;
import pimforge.params.KvCacheParams.Policy;
import pimforge.params.ParamError;

/**
 * {@link KvCacheModel} when the policy keeps fewer tokens than budgetTokens (SLIDING_WINDOW with
 * windowTokens < budgetTokens, SINKS_WINDOW with sinkTokens + windowTokens < budgetTokens): SCORES
 * gives one score per slot of the layout (its capacity), and CONTEXT takes one probability per
 * such slot, as {@link KvCacheOp} says.
 */
class KvCacheModelSlotsTest {

  @Test
  void contextTakesOneProbabilityPerScoredSlot() {
    KvCacheParams[] configs = {
        new KvCacheParams(Policy.SLIDING_WINDOW, 16, 4, 12, 4, 4, 4, 0, 4),
        new KvCacheParams(Policy.SINKS_WINDOW, 16, 2, 8, 4, 4, 4, 0, 4),
    };
    for (KvCacheParams kv : configs) {
      KvCacheLayout layout = new KvCacheLayout(kv, KvEvictionModel.capacityOf(kv), 8, 8, 8, 64, 4);
      KvCacheModel m = new KvCacheModel(layout, RopeConvention.ORIGINAL);
      for (int t = 0; t < 30; t++) {
        int[] x = new int[8];
        for (int c = 0; c < 8; c++) {
          x[c] = (t * 7 + c * 13) % 100 - 50;
        }
        m.append(x, x);
        long[] scores = m.scores(x);
        assertEquals(layout.capacity(), scores.length, kv.policy() + " scores");
        long[] p = new long[scores.length];
        boolean[] valid = m.eviction().validSlots();
        for (int s = 0; s < p.length; s++) {
          p[s] = valid[s] ? 1 : 0;
        }
        long[] ctx = m.context(p);
        assertEquals(8, ctx.length);
      }
      assertTrue(m.counters().evicted() > 0, kv.policy() + " evicted");
      ParamError e = assertThrows(ParamError.class, () -> m.context(new long[kv.budgetTokens()]));
      assertTrue(e.getMessage().contains("allowed exactly " + layout.capacity()), e.getMessage());
    }
  }
}
