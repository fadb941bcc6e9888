package pimforge.layer;

import java.util.ArrayList;
import java.util.List;

/** A set of scratchpad words as sorted, disjoint half-open ranges [lo, hi). */
public final class WordRanges {
  private final List<long[]> ranges = new ArrayList<>();
  private boolean sorted = true;

  public WordRanges add(long lo, long hi) {
    if (hi > lo) {
      if (!ranges.isEmpty()) {
        long[] last = ranges.get(ranges.size() - 1);
        if (lo >= last[0] && lo <= last[1]) {
          // Starts inside the last range or right at its end: the same set of words as a separate
          // range (normalized() would merge them), kept as one to spare the sort of long lists.
          last[1] = Math.max(last[1], hi);
          return this;
        }
        if (last[1] > lo) {
          sorted = false;
        }
      }
      ranges.add(new long[] {lo, hi});
    }
    return this;
  }

  /** {@code count} ranges of {@code len} words, the i-th starting at start + i*step. */
  public WordRanges addStrided(long start, long len, long step, int count) {
    for (int i = 0; i < count; i++) {
      add(start + i * step, start + i * step + len);
    }
    return this;
  }

  public boolean isEmpty() {
    return ranges.isEmpty();
  }

  public boolean overlaps(WordRanges o) {
    List<long[]> a = normalized();
    List<long[]> b = o.normalized();
    int i = 0;
    int j = 0;
    while (i < a.size() && j < b.size()) {
      long[] x = a.get(i);
      long[] y = b.get(j);
      if (x[0] < y[1] && y[0] < x[1]) {
        return true;
      }
      if (x[1] <= y[1]) {
        i++;
      } else {
        j++;
      }
    }
    return false;
  }

  private List<long[]> normalized() {
    if (!sorted) {
      ranges.sort((x, y) -> Long.compare(x[0], y[0]));
      List<long[]> merged = new ArrayList<>();
      for (long[] r : ranges) {
        if (!merged.isEmpty() && merged.get(merged.size() - 1)[1] >= r[0]) {
          long[] last = merged.get(merged.size() - 1);
          last[1] = Math.max(last[1], r[1]);
        } else {
          merged.add(r.clone());
        }
      }
      ranges.clear();
      ranges.addAll(merged);
      sorted = true;
    }
    return ranges;
  }
}
