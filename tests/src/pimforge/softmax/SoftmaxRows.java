package pimforge.softmax;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import pimforge.golden.softmax.SoftmaxConfig;
import pimforge.params.HwParams;

/** Stimulus for the softmax unit: random rows with random masks, and corner rows. */
final class SoftmaxRows {
  private SoftmaxRows() {}

  /**
   * A runtime configuration that spreads a score range of about {@code spread} over the LUT, or
   * with {@code anyLegal} a random legal multiplier and shift.
   */
  static SoftmaxConfig configFor(HwParams p, Random rnd, long spread, boolean anyLegal) {
    if (anyLegal) { // anything legal, including shift 0 and huge scales
      return new SoftmaxConfig(rnd.nextLong(1L << p.softmax().scaleBits()),
          rnd.nextInt(p.softmaxDerived().maxShift() + 1));
    }
    double lutRange = p.softmax().expLutEntries() * Math.scalb(1.0, -p.softmax().logitFracBits());
    double scale = lutRange * (0.2 + 1.8 * rnd.nextDouble()) / Math.max(1, spread);
    return SoftmaxConfig.forScale(p, scale);
  }

  static long spread(HwParams p, Random rnd) {
    long maxSpread = (1L << (p.softmax().inputBits() - 1)) - 1;
    return 1 + rnd.nextLong(Math.max(1, maxSpread >> rnd.nextInt(p.softmax().inputBits())));
  }

  /** A random row of 1..maxSeqLen scores within {@code spread} of a random centre; some masked. */
  static long[] random(HwParams p, Random rnd, long spread) {
    int n = 1 + rnd.nextInt(p.attention().maxSeqLen());
    long lo = p.softmaxDerived().maskValue() + 1;
    long hi = -lo;
    long centre = lo + rnd.nextLong(hi - lo + 1);
    double maskRate = rnd.nextInt(3) == 0 ? 0 : rnd.nextDouble() * 0.6;
    long[] row = new long[n];
    for (int i = 0; i < n; i++) {
      row[i] = rnd.nextDouble() < maskRate ? p.softmaxDerived().maskValue()
          : Math.max(lo, Math.min(hi, centre + rnd.nextLong(2 * spread + 1) - spread));
    }
    return row;
  }

  /** All equal, one huge value, fully masked, a single score, the extreme distance, all but one masked. */
  static List<long[]> corners(HwParams p, Random rnd) {
    int n = p.attention().maxSeqLen();
    long mask = p.softmaxDerived().maskValue();
    long lo = mask + 1;
    long hi = -lo;
    List<long[]> rows = new ArrayList<>();
    long[] equal = new long[n];
    java.util.Arrays.fill(equal, lo + rnd.nextLong(hi - lo + 1));
    rows.add(equal);
    long[] huge = new long[n];
    for (int i = 0; i < n; i++) {
      huge[i] = rnd.nextLong(64) - 32;
    }
    huge[rnd.nextInt(n)] = hi;
    rows.add(huge);
    long[] masked = new long[n];
    java.util.Arrays.fill(masked, mask);
    rows.add(masked);
    rows.add(new long[] {lo + rnd.nextLong(hi - lo + 1)});
    long[] extreme = new long[n];
    for (int i = 0; i < n; i++) {
      extreme[i] = i % 2 == 0 ? hi : lo;
    }
    rows.add(extreme);
    long[] single = masked.clone();
    single[rnd.nextInt(n)] = lo;
    rows.add(single);
    return rows;
  }
}
