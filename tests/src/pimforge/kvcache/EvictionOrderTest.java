package pimforge.kvcache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import pimforge.kvcache.KvEvictionModel.AppendResult;
import pimforge.kvcache.KvEvictionModel.Outcome;
import pimforge.kvcache.KvEvictionModel.RopeConvention;
import pimforge.params.KvCacheParams;
import pimforge.params.KvCacheParams.Policy;
import pimforge.params.ParamError;

/**
 * {@link KvEvictionModel} against the independent {@link EvictionReferences}: the cached set after
 * every step, for every policy, many seeds, budgets smaller than the sequence, random probability
 * rows (half of the seeds draw from 0..3 so that score ties are frequent). The H2O comparison is
 * exact because the probabilities are multiples of the fixed-point LSB (the double sums are exact);
 * {@link #quantizedScoresRarelyFlipAnEviction} measures separately how often rounding real-valued
 * probabilities to outputBits changes an H2O eviction decision.
 */
class EvictionOrderTest {
  private static final int SEEDS = 300;

  /** One random configuration of a policy. */
  private record Case(KvCacheParams kv, int probabilityBits, int tokens, boolean ties) {}

  private static Case randomCase(Policy policy, Random r) {
    int budget = 2 + r.nextInt(23);
    int sinks = r.nextInt(Math.min(5, budget - 1) + 1);
    int window = switch (policy) {
      case SINKS_WINDOW -> 1 + r.nextInt(budget - sinks);
      case FULL -> budget;
      default -> 1 + r.nextInt(budget);
    };
    if (policy == Policy.SINKS_WINDOW && sinks + window > budget) {
      throw new AssertionError("bad case");
    }
    KvCacheParams kv = new KvCacheParams(policy, budget, sinks, window, 8, 8, 1, 0, 1, false);
    int tokens = budget + 1 + r.nextInt(3 * budget);
    return new Case(kv, 4 + r.nextInt(9), tokens, r.nextBoolean());
  }

  private static EvictionReferences.Reference referenceOf(KvCacheParams kv) {
    return switch (kv.policy()) {
      case FULL -> EvictionReferences.full(kv.budgetTokens());
      case SLIDING_WINDOW -> EvictionReferences.slidingWindow(kv.windowTokens());
      case SINKS_WINDOW -> EvictionReferences.sinksWindow(kv.sinkTokens(), kv.windowTokens());
      case HEAVY_HITTER -> EvictionReferences.heavyHitter(kv.budgetTokens(), kv.windowTokens());
    };
  }

  @Test
  void cachedSetMatchesReferenceEveryStepAndPropertiesHold() {
    long evictions = 0;
    for (Policy policy : Policy.values()) {
      for (int seed = 0; seed < SEEDS; seed++) {
        Random r = new Random(seed * 31L + policy.ordinal());
        Case c = randomCase(policy, r);
        KvCacheParams kv = c.kv();
        // Positions with random gaps: token index t has position pos[t] (the model sees positions only).
        int[] pos = new int[c.tokens()];
        for (int t = 1; t < pos.length; t++) {
          pos[t] = pos[t - 1] + 1 + (r.nextInt(4) == 0 ? r.nextInt(3) : 0);
        }
        Map<Integer, Integer> tokenOf = new HashMap<>();
        for (int t = 0; t < pos.length; t++) {
          tokenOf.put(pos[t], t);
        }
        KvEvictionModel g = new KvEvictionModel(kv, c.probabilityBits(), pos[pos.length - 1] + 1,
            r.nextBoolean() ? RopeConvention.ORIGINAL : RopeConvention.CACHE_INDEX);
        EvictionReferences.Reference ref = referenceOf(kv);
        String where = policy + " seed " + seed + " " + kv;
        List<Integer> before = List.of();
        for (int t = 0; t < c.tokens(); t++) {
          AppendResult res = g.append(pos[t]);
          List<Integer> expected = ref.add(t);
          List<Integer> got = new ArrayList<>();
          for (int p : g.cachedPositions()) {
            got.add(tokenOf.get(p));
          }
          assertEquals(expected, got, where + " step " + t);

          // The append result agrees with the set difference.
          List<Integer> gone = new ArrayList<>(before);
          gone.removeAll(got);
          if (res.outcome() == Outcome.STORED_EVICTED) {
            evictions++;
            assertEquals(List.of(tokenOf.get(res.evictedPosition())), gone, where + " step " + t);
            assertEquals(pos[t], g.positions()[res.slot()]);
          } else {
            assertEquals(List.of(), gone, where + " step " + t);
            assertEquals(res.outcome() == Outcome.REFUSED, !got.contains(t), where + " step " + t);
          }
          before = got;

          // Properties that need no reference.
          assertTrue(g.occupancy() <= kv.budgetTokens() && g.occupancy() == got.size(), where);
          if (policy == Policy.SINKS_WINDOW) {
            for (int s = 0; s < Math.min(kv.sinkTokens(), t + 1); s++) {
              assertTrue(got.contains(s), where + " sink " + s + " missing at step " + t);
            }
          }
          if (policy != Policy.FULL) {
            for (int k = Math.max(0, t - kv.windowTokens() + 1); k <= t; k++) {
              assertTrue(got.contains(k), where + " recent token " + k + " missing at step " + t);
            }
          }
          assertEquals(t + 1, g.tokensAppended());
          assertEquals(t + 1, g.occupancy() + g.tokensEvicted() + g.tokensRefused(), where);

          // This step's attention row: the same probability per token to both.
          long pMax = (1L << c.probabilityBits()) - 1;
          long[] row = new long[kv.budgetTokens()];
          Map<Integer, Double> p = new HashMap<>();
          int[] slotPos = g.positions();
          for (int s = 0; s < row.length; s++) {
            if (slotPos[s] >= 0) {
              row[s] = c.ties() ? r.nextInt(4) : (long) (r.nextDouble() * (pMax + 1));
              p.put(tokenOf.get(slotPos[s]), Math.scalb((double) row[s], -c.probabilityBits()));
            }
          }
          g.accumulate(row);
          ref.attend(p);
        }
        if (policy == Policy.FULL) {
          assertEquals(c.tokens() - kv.budgetTokens(), g.tokensRefused(), where);
          assertEquals(c.tokens() - kv.budgetTokens(), ref.refused(), where);
          assertEquals(0, g.tokensEvicted(), where);
        } else {
          assertEquals(0, g.tokensRefused(), where);
        }
      }
    }
    System.out.println(String.format("eviction order: %d cases x 4 policies, %d evictions checked", SEEDS, evictions));
    assertTrue(evictions > 10_000);
  }

  @Test
  void ropePositionsFollowTheConvention() {
    for (Policy policy : List.of(Policy.SLIDING_WINDOW, Policy.SINKS_WINDOW, Policy.HEAVY_HITTER)) {
      KvCacheParams kv = new KvCacheParams(policy, 8, 2, policy == Policy.HEAVY_HITTER ? 3 : 6, 8, 8, 1, 0, 1, false);
      KvEvictionModel orig = new KvEvictionModel(kv, 8, 100, RopeConvention.ORIGINAL);
      KvEvictionModel cache = new KvEvictionModel(kv, 8, 100, RopeConvention.CACHE_INDEX);
      Random r = new Random(7);
      for (int t = 0; t < 40; t++) {
        int position = 2 * t + 1;
        orig.append(position);
        cache.append(position);
        long[] row = new long[8];
        for (int s : orig.slots()) {
          row[s] = r.nextInt(256);
        }
        orig.accumulate(row);
        cache.accumulate(row);
        assertArrayEquals(orig.positions(), cache.positions());
        assertArrayEquals(orig.positions(), orig.ropePositions());
        assertEquals(position, orig.queryRopePosition());
        // CACHE_INDEX: the rank of each cached key among the cached positions (time order).
        int[] sorted = cache.cachedPositions();
        int[] expect = Arrays.stream(cache.positions()).map(p -> p < 0 ? -1 : Arrays.binarySearch(sorted, p)).toArray();
        assertArrayEquals(expect, cache.ropePositions(), policy + " step " + t);
        assertEquals(cache.occupancy() - 1, cache.queryRopePosition());
        if (policy == Policy.SINKS_WINDOW && t >= 8) {
          // StreamingLLM: sinks at 0..S-1, the window at S..S+W-1, the query at S+W-1.
          int[] rp = cache.ropePositions();
          assertEquals(0, rp[0]);
          assertEquals(1, rp[1]);
          assertEquals(7, cache.queryRopePosition());
        }
      }
    }
  }

  @Test
  void fullRefusesAndTheRefusedQueryKeepsItsPosition() {
    KvCacheParams kv = new KvCacheParams(Policy.FULL, 2, 0, 2, 8, 8, 1, 0, 1, false);
    KvEvictionModel orig = new KvEvictionModel(kv, 8, 100, RopeConvention.ORIGINAL);
    KvEvictionModel cache = new KvEvictionModel(kv, 8, 100, RopeConvention.CACHE_INDEX);
    for (int p : new int[] {0, 5}) {
      assertEquals(Outcome.STORED, orig.append(p).outcome());
      cache.append(p);
    }
    assertEquals(1, cache.queryRopePosition());
    assertEquals(new AppendResult(Outcome.REFUSED, -1, -1), orig.append(9));
    cache.append(9);
    assertEquals(9, orig.queryRopePosition());
    assertEquals(2, cache.queryRopePosition()); // one past the cache, as if appended
    assertArrayEquals(new int[] {0, 5}, orig.positions());
    assertEquals(1, orig.tokensRefused());
    assertEquals(0, orig.tokensEvicted());
  }

  @Test
  void scoreRegistersAreSizedForTheContextAndSaturate() {
    KvCacheParams kv = new KvCacheParams(Policy.HEAVY_HITTER, 2, 0, 1, 8, 8, 1, 0, 1, false);
    KvEvictionModel g = new KvEvictionModel(kv, 8, 1000, RopeConvention.ORIGINAL);
    assertEquals(18, g.scoreBits()); // 1000 * 255 = 255000 < 2^18
    g.append(0);
    for (int i = 0; i < 1000; i++) {
      g.accumulate(new long[] {255, 0});
    }
    assertEquals(255_000, g.scores()[0]); // the whole context: no saturation
    for (int i = 0; i < 100; i++) {
      g.accumulate(new long[] {255, 0});
    }
    assertEquals((1L << 18) - 1, g.scores()[0]); // beyond it: saturated, not wrapped
  }

  @Test
  void badInputNamesTheField() {
    KvCacheParams kv = new KvCacheParams(Policy.HEAVY_HITTER, 4, 0, 2, 8, 8, 1, 0, 1, false);
    KvEvictionModel g = new KvEvictionModel(kv, 8, 10, RopeConvention.ORIGINAL);
    g.append(3);
    assertEquals("kvCache.position: is 3, allowed 4..9", assertThrows(ParamError.class, () -> g.append(3)).getMessage());
    assertEquals("kvCache.position: is 10, allowed 4..9", assertThrows(ParamError.class, () -> g.append(10)).getMessage());
    assertThrows(ParamError.class, () -> g.accumulate(new long[3]));
    assertEquals("kvCache.probabilities[1]: is 5, allowed 0..0",
        assertThrows(ParamError.class, () -> g.accumulate(new long[] {1, 5, 0, 0})).getMessage());
    assertEquals("kvCache.probabilities[0]: is 256, allowed 0..255",
        assertThrows(ParamError.class, () -> g.accumulate(new long[] {256, 0, 0, 0})).getMessage());
    assertThrows(ParamError.class, () -> new KvCacheParams(Policy.SINKS_WINDOW, 8, 4, 5, 8, 8, 1, 0, 1, false));
  }

  /**
   * Real-valued softmax rows (random logits, sd 2) over the cached tokens: the golden model gets
   * them rounded to outputBits, a double shadow score per slot gets the real values. At every H2O
   * eviction, with the same state, the double argmin (ties to the oldest) is compared with the
   * golden victim. Prints the flip rate per outputBits.
   */
  @Test
  void quantizedScoresRarelyFlipAnEviction() {
    for (int bits : new int[] {4, 8, 12, 16}) {
      long evictions = 0;
      long flips = 0;
      for (int seed = 0; seed < 100; seed++) {
        Random r = new Random(1000 + seed);
        int budget = 16 + r.nextInt(49);
        int window = 1 + r.nextInt(budget / 2);
        KvCacheParams kv = new KvCacheParams(Policy.HEAVY_HITTER, budget, 0, window, 8, 8, 1, 0, 1, false);
        int tokens = 4 * budget;
        KvEvictionModel g = new KvEvictionModel(kv, bits, tokens, RopeConvention.ORIGINAL);
        double[] shadow = new double[budget];
        long[] order = new long[budget];
        long pMax = (1L << bits) - 1;
        for (int t = 0; t < tokens; t++) {
          if (g.occupancy() == budget) {
            int[] slotPos = g.positions();
            int best = -1;
            for (int s = 0; s < budget; s++) {
              boolean candidate = slotPos[s] <= t - window; // not among the newest window-1 (position = index)
              if (candidate && (best < 0 || shadow[s] < shadow[best]
                  || (shadow[s] == shadow[best] && order[s] < order[best]))) {
                best = s;
              }
            }
            AppendResult res = g.append(t);
            evictions++;
            if (res.slot() != best) {
              flips++;
            }
          } else {
            g.append(t);
          }
          final int tok = t;
          int newSlot = Arrays.stream(g.slots()).filter(s -> g.positions()[s] == tok).findFirst().orElseThrow();
          shadow[newSlot] = 0;
          order[newSlot] = t;
          // Softmax over the cached tokens.
          int[] slots = g.slots();
          double[] e = new double[slots.length];
          double sum = 0;
          for (int i = 0; i < e.length; i++) {
            e[i] = Math.exp(2 * r.nextGaussian());
            sum += e[i];
          }
          long[] row = new long[budget];
          for (int i = 0; i < e.length; i++) {
            double p = e[i] / sum;
            shadow[slots[i]] += p;
            row[slots[i]] = Math.min(pMax, Math.round(Math.scalb(p, bits)));
          }
          g.accumulate(row);
        }
      }
      double rate = (double) flips / evictions;
      System.out.println(String.format("H2O eviction flips, %2d-bit probabilities vs double: %d of %d (%.3f %%)",
          bits, flips, evictions, 100 * rate));
      assertTrue(evictions > 1000);
      assertTrue(rate < (bits <= 4 ? 0.5 : 0.05), "flip rate " + rate + " at " + bits + " bits");
    }
  }
}
