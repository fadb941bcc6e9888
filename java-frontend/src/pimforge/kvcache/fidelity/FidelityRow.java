package pimforge.kvcache.fidelity;

import pimforge.kvcache.KvCacheModel.Counters;
import pimforge.params.KvCacheParams;

/**
 * The measured fidelity of one kvCache configuration, over every token of every head and layer.
 *
 * @param kv the configuration measured
 * @param budgetPercent tokens the policy keeps ({@link pimforge.kvcache.KvEvictionModel#capacityOf}, budgetTokens
 *     unless a window is smaller) as a percentage of the context (rounded)
 * @param attentionMean mean over tokens and layers of the cosine between the compressed and the
 *     reference attention output of a token (heads concatenated)
 * @param attentionMin the smallest such cosine
 * @param layerMean the same for the layer output (NaN when the workload has no layer)
 * @param layerMin the smallest layer-output cosine (NaN when none)
 * @param counters the controllers' counters summed over all heads and layers
 * @param headDim d, channels per head
 * @param heads controllers measured (heads x layers)
 */
public record FidelityRow(KvCacheParams kv, int budgetPercent, double attentionMean, double attentionMin, double layerMean,
    double layerMin, Counters counters, int headDim, int heads) {

  /** Entries of sealed (quantized, written) tokens: pruned + zero codes + stored codes (d keys + d values each). */
  public long sealedEntries() {
    return counters.pruned() + counters.zeroCodes() + counters.storedCodes();
  }

  /** Tokens sealed and written to external memory, summed over heads: sealedEntries / (2 d). */
  public double sealedTokens() {
    return sealedEntries() / (2.0 * headDim);
  }

  /** Bytes written to external memory per sealed token (key + value records, whole 8-byte beats); NaN if none. */
  public double bytesPerToken() {
    return sealedEntries() == 0 ? Double.NaN : counters.bytesWritten() / sealedTokens();
  }

  /** fp16 bytes of a token's key and value, 2 * d * 2, over {@link #bytesPerToken()}. */
  public double compressionVsFp16() {
    return 4.0 * headDim / bytesPerToken();
  }

  /** (pruned + zero codes) / sealed entries: the share of entries not stored; NaN if none sealed. */
  public double sparsity() {
    return sealedEntries() == 0 ? Double.NaN : (counters.pruned() + counters.zeroCodes()) / (double) sealedEntries();
  }

  /** Tokens the policy keeps: budgetTokens, or windowTokens (SLIDING_WINDOW), sinks + window (SINKS_WINDOW). */
  public int keptTokens() {
    return pimforge.kvcache.KvEvictionModel.capacityOf(kv);
  }

  /** Tokens refused per controller (FULL past its budget). */
  public double refusedPerHead() {
    return counters.refused() / (double) heads;
  }

  /** Tokens evicted per controller. */
  public double evictedPerHead() {
    return counters.evicted() / (double) heads;
  }
}
