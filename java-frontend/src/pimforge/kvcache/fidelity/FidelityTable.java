package pimforge.kvcache.fidelity;

import java.util.Locale;
import pimforge.params.KvCacheParams;

/** Markdown rendering of {@link FidelityRow}s (the table of README "KV-cache fidelity"). */
public final class FidelityTable {
  private FidelityTable() {}

  /** Header and separator lines. */
  public static String header() {
    return "| policy | budget | bits K/V | prune | attention cos mean | attention cos min | layer cos mean"
        + " | layer cos min | bytes/token | vs fp16 | sparsity | dropped per head |\n"
        + "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |";
  }

  /** One row: budget as tokens kept (percent of the context), cosines to 4 decimals, bytes per sealed token, ratio vs fp16, sparsity; "-" where undefined. */
  public static String row(FidelityRow r) {
    KvCacheParams kv = r.kv();
    String dropped = r.counters().refused() > 0 ? String.format(Locale.ROOT, "refused %.0f", r.refusedPerHead())
        : r.counters().evicted() > 0 ? String.format(Locale.ROOT, "evicted %.0f", r.evictedPerHead()) : "0";
    return String.format(Locale.ROOT, "| %s | %d %% (%d) | %s | %d | %s | %s | %s | %s | %s | %s | %s | %s |",
        kv.policy(), r.budgetPercent(), r.keptTokens(), bits(kv.keyBits(), kv.valueBits()), kv.pruneThreshold(),
        f4(r.attentionMean()),
        f4(r.attentionMin()), f4(r.layerMean()), f4(r.layerMin()), num(r.bytesPerToken(), "%.1f"),
        num(r.compressionVsFp16(), "%.2fx"), num(r.sparsity(), "%.3f"), dropped);
  }

  /** A configuration the record refused: the reason in place of the numbers. */
  public static String refusedRow(FidelityPoint p, String reason) {
    return String.format(Locale.ROOT, "| %s | %d %% (%d) | %d | %d | n/a: %s | | | | | | | |", p.policy(),
        p.budgetPercent(), p.budgetTokens(), p.bits(), p.pruneThreshold(), reason);
  }

  private static String bits(int k, int v) {
    return k == v ? Integer.toString(k) : k + "/" + v;
  }

  private static String f4(double x) {
    return num(x, "%.4f");
  }

  private static String num(double x, String fmt) {
    return Double.isNaN(x) ? "-" : String.format(Locale.ROOT, fmt, x);
  }
}
