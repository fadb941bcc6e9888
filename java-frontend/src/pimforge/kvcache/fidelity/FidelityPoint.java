package pimforge.kvcache.fidelity;

import java.util.ArrayList;
import java.util.List;
import pimforge.params.KvCacheParams;
import pimforge.params.KvCacheParams.Policy;

/**
 * One configuration of the KV-cache fidelity sweep: an eviction policy at a token budget, key and
 * value bits (the same for both) and a prune threshold (in quantization steps of the group).
 *
 * @param policy eviction policy
 * @param budgetPercent budget as a percentage of the context measured (for the table)
 * @param budgetTokens slots per layer and KV head
 * @param bits keyBits = valueBits, 2..16
 * @param pruneThreshold kvCache.pruneThreshold
 */
public record FidelityPoint(Policy policy, int budgetPercent, int budgetTokens, int bits, int pruneThreshold) {
  /** StreamingLLM's sink count (its default, REFERENCE.md section 5). */
  public static final int SINKS = 4;
  public static final List<Integer> BUDGET_PERCENTS = List.of(25, 50, 100);
  public static final List<Integer> BITS = List.of(8, 4, 3, 2);

  /**
   * The kvCache section of this point: FULL and SLIDING_WINDOW keep budgetTokens; SINKS_WINDOW
   * {@link #SINKS} sinks (fewer if the budget is tiny) and budget - sinks window tokens; HEAVY_HITTER
   * a recent window of half the budget (H2O's heavy/recent split); groupSize G and
   * fullPrecisionTokens R = G.
   *
   * @throws pimforge.params.ParamError if the record refuses the combination (e.g. R above the window)
   */
  public KvCacheParams params(int groupSize) {
    int b = budgetTokens;
    return switch (policy) {
      case FULL, SLIDING_WINDOW -> new KvCacheParams(policy, b, 0, b, bits, bits, groupSize, pruneThreshold, groupSize);
      case SINKS_WINDOW -> {
        int s = Math.min(SINKS, b - 1);
        yield new KvCacheParams(policy, b, s, b - s, bits, bits, groupSize, pruneThreshold, groupSize);
      }
      case HEAVY_HITTER -> new KvCacheParams(policy, b, 0, Math.max(1, b / 2), bits, bits, groupSize, pruneThreshold,
          groupSize);
    };
  }

  /** Budget of a percentage of the context: round(tokens * percent / 100), at least 1. */
  public static int budgetOf(int tokens, int percent) {
    return Math.max(1, (int) Math.round(tokens * percent / 100.0));
  }

  /**
   * The standard sweep over a context of {@code tokens}: every policy x budgets 25/50/100 % x bits
   * 8/4/3/2 at threshold 0 (policy, then budget, then bits), then FULL at 100 % with 4 and 2 bits at
   * threshold 1 (pruning).
   */
  public static List<FidelityPoint> sweep(int tokens) {
    List<FidelityPoint> r = new ArrayList<>();
    for (Policy p : Policy.values()) {
      for (int pct : BUDGET_PERCENTS) {
        for (int bits : BITS) {
          r.add(new FidelityPoint(p, pct, budgetOf(tokens, pct), bits, 0));
        }
      }
    }
    r.add(new FidelityPoint(Policy.FULL, 100, tokens, 4, 1));
    r.add(new FidelityPoint(Policy.FULL, 100, tokens, 2, 1));
    return r;
  }
}
