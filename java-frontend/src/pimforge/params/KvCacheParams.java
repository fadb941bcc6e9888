package pimforge.params;

/**
 * KV-cache controller: bounded budget, cascade pruning-quantization, token eviction policy
 * (generator arrives with the KV-cache issue).
 *
 * @param policy token eviction policy
 * @param budgetTokens tokens kept per layer and KV head (1..1048576)
 * @param sinkTokens first tokens always kept by SINKS_WINDOW (0..budgetTokens)
 * @param windowTokens most recent tokens kept by SLIDING_WINDOW, SINKS_WINDOW, HEAVY_HITTER (1..budgetTokens)
 * @param keyBits bits of a stored key element (2..16)
 * @param valueBits bits of a stored value element (2..16)
 * @param groupSize elements sharing one quantization scale (power of two, 1..1024)
 * @param pruneThreshold magnitudes at or below this many quantization steps of their group are pruned
 *     (0..min(255, 2^(min(keyBits, valueBits) - 1) - 1); format in {@code pimforge.kvcache.KvQuantizer})
 * @param fullPrecisionTokens R, the KIVI full-precision window: the newest tokens stay unquantized in
 *     the controller's on-chip buffer; when it holds R tokens its oldest groupSize tokens are quantized
 *     (keys per channel over those groupSize tokens) and written out. A multiple of groupSize,
 *     groupSize..budgetTokens rounded up to groupSize; with a windowed policy at most windowTokens (the
 *     buffer's tokens are then never eviction victims)
 * @param enabled instantiate the KV engine and one KV-cache controller per KV head in the layer top
 *     (decoder models only; the layer top then has an AXI4 master port {@code m_axi_*})
 */
public record KvCacheParams(
    Policy policy, int budgetTokens, int sinkTokens, int windowTokens, int keyBits, int valueBits,
    int groupSize, int pruneThreshold, int fullPrecisionTokens, boolean enabled) {

  public enum Policy { FULL, SLIDING_WINDOW, SINKS_WINDOW, HEAVY_HITTER }

  public static final KvCacheParams DEFAULT = new KvCacheParams(Policy.FULL, 1024, 4, 1020, 8, 8, 32, 0, 32, false);

  public KvCacheParams {
    Check.present("kvCache.policy", policy);
    Check.range("kvCache.budgetTokens", budgetTokens, 1, 1 << 20);
    Check.range("kvCache.sinkTokens", sinkTokens, 0, budgetTokens);
    Check.range("kvCache.windowTokens", windowTokens, 1, budgetTokens);
    Check.that(policy != Policy.SINKS_WINDOW || sinkTokens + windowTokens <= budgetTokens,
        "kvCache.windowTokens", "is " + windowTokens + ", allowed 1.." + (budgetTokens - sinkTokens)
            + " (sinkTokens + windowTokens <= budgetTokens)");
    Check.range("kvCache.keyBits", keyBits, 2, 16);
    Check.range("kvCache.valueBits", valueBits, 2, 16);
    Check.powerOfTwo("kvCache.groupSize", groupSize, 1, 1024);
    // A threshold of qmax = 2^(bits-1) steps or more prunes every entry of every group (the group's
    // largest magnitude is at most qmax steps, pimforge.kvcache.KvQuantizer), so it is rejected.
    int narrowQmax = 1 << (Math.min(keyBits, valueBits) - 1);
    Check.that(pruneThreshold >= 0 && pruneThreshold <= Math.min(255, narrowQmax - 1), "kvCache.pruneThreshold",
        "is " + pruneThreshold + ", allowed 0.." + Math.min(255, narrowQmax - 1)
            + " (below 2^(min(keyBits, valueBits) - 1) steps, which would prune every entry)");
    int rMax = policy == Policy.FULL ? roundUp(budgetTokens, groupSize) : windowTokens;
    Check.that(fullPrecisionTokens % groupSize == 0 && fullPrecisionTokens >= groupSize
            && fullPrecisionTokens <= rMax, "kvCache.fullPrecisionTokens",
        "is " + fullPrecisionTokens + ", allowed a multiple of groupSize " + groupSize + " in " + groupSize + ".." + rMax
            + (policy == Policy.FULL ? " (budgetTokens rounded up to groupSize)"
                : " (windowTokens: the full-precision tokens must lie inside the protected window)"));
  }

  /** A controller description without the layer-top switch (enabled = false). */
  public KvCacheParams(Policy policy, int budgetTokens, int sinkTokens, int windowTokens, int keyBits, int valueBits,
      int groupSize, int pruneThreshold, int fullPrecisionTokens) {
    this(policy, budgetTokens, sinkTokens, windowTokens, keyBits, valueBits, groupSize, pruneThreshold,
        fullPrecisionTokens, false);
  }

  /** The same parameters with the layer-top switch {@code enabled} set. */
  public KvCacheParams withEnabled(boolean on) {
    return new KvCacheParams(policy, budgetTokens, sinkTokens, windowTokens, keyBits, valueBits, groupSize,
        pruneThreshold, fullPrecisionTokens, on);
  }

  private static int roundUp(int n, int m) {
    return (n + m - 1) / m * m;
  }
}
