package pimforge.kvcache;

import java.util.List;
import pimforge.config.HwConfigReader;
import pimforge.model.ModelPresets;
import pimforge.params.AttentionParams;
import pimforge.params.CrossbarParams;
import pimforge.params.HwParams;
import pimforge.params.KvCacheParams;
import pimforge.params.KvCacheParams.Policy;

/**
 * Small KV-cache controller designs for co-simulation (budgets far below the decoded tokens, so every
 * policy evicts or refuses; short head dimensions keep the Verilator builds quick).
 */
public final class KvCacheConfigs {
  private KvCacheConfigs() {}

  static HwParams of(String preset, int lanes, KvCacheParams kv) {
    HwParams base = HwConfigReader.defaults(ModelPresets.get(preset).orElseThrow());
    return base.withCrossbar(new CrossbarParams(base.crossbar().rows(), base.crossbar().cols(), lanes)).withKvCache(kv);
  }

  /**
   * A: tiny-gpt2 (d 16) cut to 20 positions (the runs' last appends are refused past maxPositions),
   *    SLIDING_WINDOW of 8, groups of 4, 4-bit keys, 3-bit values, threshold 1.
   * B: tiny-llama, HEAVY_HITTER budget 8 with a recent window of 4, 3-bit keys, 2-bit values, threshold 1.
   * C: tiny-gpt2, SINKS_WINDOW 2 sinks + 8, groups of 2, full-precision window 4, 4-bit keys, 6-bit values, threshold 0 (codes that round to zero), 8 lanes (slot rows padded).
   * D: tiny-gpt2, FULL budget 8 (refuses past it), groups of 8, 8-bit keys and values, threshold 2 (records of 3
   *    beats: value addresses past 256, which once wrapped in a too-narrow adder).
   */
  public static final List<HwParams> CONFIGS = List.of(
      of("tiny-gpt2", 4, new KvCacheParams(Policy.SLIDING_WINDOW, 8, 0, 8, 4, 3, 4, 1, 4, false))
          .withAttention(new AttentionParams(16, AttentionParams.Schedule.DECOMPOSED, 2))
          .withModel(ModelPresets.get("tiny-gpt2").orElseThrow().withMaxPositions(20)),
      of("tiny-llama", 4, new KvCacheParams(Policy.HEAVY_HITTER, 8, 0, 4, 3, 2, 4, 1, 4, false)),
      of("tiny-gpt2", 8, new KvCacheParams(Policy.SINKS_WINDOW, 10, 2, 8, 4, 6, 2, 0, 4, false)),
      of("tiny-gpt2", 4, new KvCacheParams(Policy.FULL, 8, 0, 8, 8, 8, 8, 2, 8, false)));

  public static String describe(HwParams p) {
    KvCacheParams k = p.kvCache();
    return p.model().name() + " d=" + p.model().headDim() + " lanes=" + p.crossbar().lanes() + " " + k.policy()
        + " budget=" + k.budgetTokens() + " sinks=" + k.sinkTokens() + " window=" + k.windowTokens() + " k" + k.keyBits()
        + "/v" + k.valueBits() + " G=" + k.groupSize() + " R=" + k.fullPrecisionTokens() + " prune<=" + k.pruneThreshold();
  }
}
