package pimforge.kvcache;

import java.util.Arrays;
import pimforge.params.Check;
import pimforge.params.HwParams;
import pimforge.params.KvCacheParams;
import pimforge.params.KvCacheParams.Policy;
import pimforge.params.ParamError;

/**
 * Golden model of the token-eviction part of the KV-cache controller, for one layer and one KV head:
 * exactly the state and the decisions the future RTL controller will have (no RTL exists yet).
 *
 * <p><b>State</b> (integers only, what the hardware holds), per slot {@code s} in {@code 0 ..
 * budgetTokens-1}: a valid bit, the token's original position ({@link #positionBits()} bits), its
 * insertion order (a running count of appended tokens, {@link #orderBits()} bits) and, for
 * HEAVY_HITTER only, the accumulated attention score: an unsigned fixed-point sum of the softmax
 * unit's probabilities, each an unsigned {@code softmax.outputBits}-bit fraction (LSB =
 * 2^-outputBits), so the score has outputBits fraction bits and {@link #scoreBits()} bits in all:
 * {@code scoreBits = bitLength(maxContext * (2^outputBits - 1))}, wide enough for one full
 * probability per step over the whole context, so it cannot overflow while at most
 * {@code maxContext} rows are accumulated. The adder saturates at 2^scoreBits - 1 all the same
 * (reached only if a caller accumulates more rows than the context holds).
 *
 * <p><b>Policies</b> ({@code kvCache.policy}; definitions in REFERENCE.md sections 2 and 5):
 * <ul>
 *   <li>FULL: capacity budgetTokens; when full a new token is refused (not stored) and counted.
 *   <li>SLIDING_WINDOW: capacity windowTokens W; when full the oldest token is evicted.
 *   <li>SINKS_WINDOW (StreamingLLM): capacity sinkTokens S + W; the first S tokens appended are never
 *       evicted; when full the oldest non-sink token is evicted.
 *   <li>HEAVY_HITTER (H2O): capacity budgetTokens; when full, the candidates are all cached tokens
 *       except the newest W-1 (so that with the new token the newest W are kept); the candidate with
 *       the lowest accumulated score is evicted, ties to the oldest (smallest insertion order). A new
 *       token starts with score 0; kept tokens keep their scores; evicted tokens never return.
 *       sinkTokens is not used by this policy (H2O has no sinks).
 * </ul>
 *
 * <p><b>Order within a step</b> (fixed by the hardware having exactly budgetTokens slots): {@link
 * #append} (evict if full, then store the new token in the freed slot), then the attention over the
 * cache including the new token, then {@link #accumulate} with that step's probability row. The
 * authors' H2O code attends over budget+1 tokens and evicts afterwards, so its victim has seen one
 * more probability row; here the victim is chosen from the scores accumulated up to the previous
 * step. The independent references in the tests use the same step order.
 *
 * <p><b>Slots.</b> A new token takes the lowest free slot while the cache fills, afterwards the
 * victim's slot (so SLIDING_WINDOW is a ring over slots 0..W-1, SINKS_WINDOW holds the sinks in
 * slots 0..S-1 and a ring over S..S+W-1).
 *
 * <p><b>RoPE positions</b> ({@link RopeConvention}): ORIGINAL rotates each cached key with its
 * original position; CACHE_INDEX (StreamingLLM's convention) rotates with the key's index in the
 * cache ordered by insertion, 0..n-1, and the query with n-1 (the new token is the newest). Under
 * CACHE_INDEX positions change when a token is evicted, so keys must be stored unrotated and rotated
 * on every read; under ORIGINAL they may be stored rotated. See {@link #ropePositions()}.
 */
public final class KvEvictionModel {

  /** Which position each cached key (and the query) is rotated with. */
  public enum RopeConvention {
    /** The token's position in the sequence (what the model saw in training; no renumbering). */
    ORIGINAL,
    /** StreamingLLM: the key's index among the cached tokens in insertion order; query = count - 1. */
    CACHE_INDEX
  }

  /** What {@link #append} did. */
  public enum Outcome {
    /** Stored in a free slot. */
    STORED,
    /** Stored in the slot of an evicted token. */
    STORED_EVICTED,
    /** FULL policy at its budget: not stored. */
    REFUSED
  }

  /**
   * Result of {@link #append}.
   *
   * @param outcome what happened
   * @param slot slot the new token went into, -1 if refused
   * @param evictedPosition original position of the evicted token, -1 if none
   */
  public record AppendResult(Outcome outcome, int slot, int evictedPosition) {}

  private final KvCacheParams kv;
  private final int probabilityBits;
  private final int maxContext;
  private final RopeConvention rope;
  private final int capacity;
  private final int scoreBits;
  private final long scoreMax;

  private final boolean[] valid;
  private final int[] position;
  private final long[] order;
  private final long[] score;

  private int occupancy;
  private long appended;
  private long evicted;
  private long refused;
  private int lastPosition = -1;

  /**
   * @param kv the KV-cache section of the record (policy, budgetTokens, sinkTokens, windowTokens)
   * @param probabilityBits bits of one softmax probability (softmax.outputBits, 4..16)
   * @param maxContext largest position + 1 (model.maxPositions), 1..2^24
   * @param rope RoPE position convention
   */
  public KvEvictionModel(KvCacheParams kv, int probabilityBits, int maxContext, RopeConvention rope) {
    this.kv = Check.present("kvCache", kv);
    this.probabilityBits = Check.range("softmax.outputBits", probabilityBits, 4, 16);
    this.maxContext = Check.range("model.maxPositions", maxContext, 1, 1 << 24);
    this.rope = Check.present("kvCache.ropeConvention", rope);
    this.capacity = capacityOf(kv);
    long maxSum = (long) maxContext * ((1L << probabilityBits) - 1);
    this.scoreBits = 64 - Long.numberOfLeadingZeros(maxSum);
    this.scoreMax = (1L << scoreBits) - 1;
    int b = kv.budgetTokens();
    valid = new boolean[b];
    position = new int[b];
    order = new long[b];
    score = new long[b];
  }

  /** The model for one layer and KV head of a design (probabilities of softmax.outputBits bits). */
  public static KvEvictionModel of(HwParams hw, RopeConvention rope) {
    return new KvEvictionModel(hw.kvCache(), hw.softmax().outputBits(), hw.model().maxPositions(), rope);
  }

  /** Tokens the policy keeps at most: budget (FULL, HEAVY_HITTER), W (SLIDING_WINDOW), S + W (SINKS_WINDOW). */
  public static int capacityOf(KvCacheParams kv) {
    return switch (kv.policy()) {
      case FULL, HEAVY_HITTER -> kv.budgetTokens();
      case SLIDING_WINDOW -> kv.windowTokens();
      case SINKS_WINDOW -> kv.sinkTokens() + kv.windowTokens();
    };
  }

  /**
   * Appends the token at {@code position} (original sequence position, strictly increasing,
   * 0..maxContext-1). Evicts by policy when the cache is at capacity; FULL refuses instead.
   *
   * @throws ParamError if the position is out of range or not after the previous one
   */
  public AppendResult append(int position) {
    Check.range("kvCache.position", position, lastPosition + 1, maxContext - 1);
    lastPosition = position;
    if (occupancy < capacity) {
      int slot = lowestFreeSlot();
      store(slot, position);
      occupancy++;
      return new AppendResult(Outcome.STORED, slot, -1);
    }
    if (kv.policy() == Policy.FULL) {
      refused++;
      return new AppendResult(Outcome.REFUSED, -1, -1);
    }
    int victim = victimSlot();
    int gone = this.position[victim];
    evicted++;
    store(victim, position);
    return new AppendResult(Outcome.STORED_EVICTED, victim, gone);
  }

  /**
   * Adds one softmax row to the scores (HEAVY_HITTER; validated and otherwise ignored by the other
   * policies, which hold no scores).
   *
   * @param probabilitiesPerSlot length budgetTokens, slot order; each an unsigned probability code
   *     0..2^outputBits-1 (value = code * 2^-outputBits); 0 for empty slots
   */
  public void accumulate(long[] probabilitiesPerSlot) {
    if (probabilitiesPerSlot.length != valid.length) {
      throw new ParamError("kvCache.probabilities", "has " + probabilitiesPerSlot.length
          + " entries, allowed exactly " + valid.length + " (budgetTokens)");
    }
    long pMax = (1L << probabilityBits) - 1;
    for (int s = 0; s < valid.length; s++) {
      long p = probabilitiesPerSlot[s];
      Check.range("kvCache.probabilities[" + s + "]", p, 0, valid[s] ? pMax : 0);
    }
    if (kv.policy() != Policy.HEAVY_HITTER) {
      return;
    }
    for (int s = 0; s < valid.length; s++) {
      if (valid[s]) {
        score[s] = Math.min(scoreMax, score[s] + probabilitiesPerSlot[s]);
      }
    }
  }

  private void store(int slot, int pos) {
    valid[slot] = true;
    position[slot] = pos;
    order[slot] = appended++;
    score[slot] = 0;
  }

  private int lowestFreeSlot() {
    for (int s = 0; s < valid.length; s++) {
      if (!valid[s]) {
        return s;
      }
    }
    throw new IllegalStateException("no free slot below capacity");
  }

  /** The slot to evict from a cache at capacity (not FULL). */
  private int victimSlot() {
    return switch (kv.policy()) {
      case SLIDING_WINDOW -> oldest(Long.MIN_VALUE);
      case SINKS_WINDOW -> oldest(kv.sinkTokens() - 1L); // insertion orders 0..S-1 are the sinks
      case HEAVY_HITTER -> lowestScoreOutsideWindow();
      case FULL -> throw new IllegalStateException("FULL never evicts");
    };
  }

  /** Valid slot with the smallest insertion order greater than {@code after}. */
  private int oldest(long after) {
    int best = -1;
    for (int s = 0; s < valid.length; s++) {
      if (valid[s] && order[s] > after && (best < 0 || order[s] < order[best])) {
        best = s;
      }
    }
    return best;
  }

  /**
   * Lowest score among the slots older than the newest W-1; strict comparison in slot scan with the
   * insertion order as tie-break (equal score: the smaller order, i.e. the older token, is evicted).
   */
  private int lowestScoreOutsideWindow() {
    long windowStart = appended - (kv.windowTokens() - 1L); // orders >= this are protected
    int best = -1;
    for (int s = 0; s < valid.length; s++) {
      if (!valid[s] || order[s] >= windowStart) {
        continue;
      }
      if (best < 0 || score[s] < score[best] || (score[s] == score[best] && order[s] < order[best])) {
        best = s;
      }
    }
    return best;
  }

  /** Whether slot {@code s} holds a token. */
  public boolean isValid(int s) {
    return valid[s];
  }

  /** Valid bit per slot. */
  public boolean[] validSlots() {
    return valid.clone();
  }

  /** Original position per slot, -1 for an empty slot. */
  public int[] positions() {
    int[] p = new int[valid.length];
    for (int s = 0; s < p.length; s++) {
      p[s] = valid[s] ? position[s] : -1;
    }
    return p;
  }

  /** Indices of the valid slots, ascending. */
  public int[] slots() {
    return java.util.stream.IntStream.range(0, valid.length).filter(s -> valid[s]).toArray();
  }

  /** Original positions of the cached tokens, ascending (the cached set). */
  public int[] cachedPositions() {
    int[] p = Arrays.stream(slots()).map(s -> position[s]).toArray();
    Arrays.sort(p);
    return p;
  }

  /** Accumulated score per slot (unsigned, outputBits fraction bits), 0 for empty slots and non-H2O policies. */
  public long[] scores() {
    long[] r = new long[valid.length];
    for (int s = 0; s < r.length; s++) {
      r[s] = valid[s] ? score[s] : 0;
    }
    return r;
  }

  /**
   * Position each cached key is rotated with, per slot (-1 for empty slots): its original position
   * (ORIGINAL) or its index among the cached tokens in insertion order (CACHE_INDEX).
   */
  public int[] ropePositions() {
    int[] r = new int[valid.length];
    for (int s = 0; s < r.length; s++) {
      if (!valid[s]) {
        r[s] = -1;
      } else if (rope == RopeConvention.ORIGINAL) {
        r[s] = position[s];
      } else {
        int rank = 0;
        for (int t = 0; t < valid.length; t++) {
          if (valid[t] && order[t] < order[s]) {
            rank++;
          }
        }
        r[s] = rank;
      }
    }
    return r;
  }

  /**
   * Position the query of the newest token is rotated with: its original position (ORIGINAL) or
   * occupancy - 1 (CACHE_INDEX); -1 if nothing was appended. Under FULL after a refusal the query
   * is the refused token's, at its original position (ORIGINAL) or occupancy (CACHE_INDEX, one past
   * the cache, as if appended).
   */
  public int queryRopePosition() {
    if (lastPosition < 0) {
      return -1;
    }
    if (rope == RopeConvention.ORIGINAL) {
      return lastPosition;
    }
    boolean lastStored = occupancy > 0 && position[newestSlot()] == lastPosition;
    return lastStored ? occupancy - 1 : occupancy;
  }

  private int newestSlot() {
    int best = -1;
    for (int s = 0; s < valid.length; s++) {
      if (valid[s] && (best < 0 || order[s] > order[best])) {
        best = s;
      }
    }
    return best;
  }

  /** Tokens cached now. */
  public int occupancy() {
    return occupancy;
  }

  /** Tokens the policy keeps at most ({@link #capacityOf}). */
  public int capacity() {
    return capacity;
  }

  /** Tokens appended (stored or refused). */
  public long tokensAppended() {
    return appended + refused;
  }

  /** Tokens evicted so far. */
  public long tokensEvicted() {
    return evicted;
  }

  /** Tokens refused so far (FULL only). */
  public long tokensRefused() {
    return refused;
  }

  /** Bits of one score register: bitLength(maxContext * (2^outputBits - 1)). */
  public int scoreBits() {
    return scoreBits;
  }

  /** Bits of a slot's position register: bitLength(maxContext - 1), at least 1. */
  public int positionBits() {
    return Math.max(1, 32 - Integer.numberOfLeadingZeros(maxContext - 1));
  }

  /** Bits of a slot's insertion-order register (orders count stored tokens, at most maxContext). */
  public int orderBits() {
    return Math.max(1, 32 - Integer.numberOfLeadingZeros(maxContext - 1));
  }

  public RopeConvention ropeConvention() {
    return rope;
  }

  public KvCacheParams params() {
    return kv;
  }
}
