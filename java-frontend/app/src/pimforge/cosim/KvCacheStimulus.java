package pimforge.cosim;

import java.util.Random;
import pimforge.kvcache.KvCacheLayout;
import pimforge.kvcache.PlainSoftmax;

/**
 * Random KV-cache traffic with the structure that matters for the controller: keys and values with
 * a per-channel magnitude (a few outlier channels, many small ones, exact zeros), so exponents,
 * pruning and zero codes all occur; probability rows with zeros (skipped reads) and large entries,
 * or a plain softmax of the scores. Used by the co-simulation test and by
 * {@code pimforge simulate --top KvCacheController}.
 */
public final class KvCacheStimulus {
  private final KvCacheLayout layout;
  private final Random rnd;
  private final int[] channelMax;

  public KvCacheStimulus(KvCacheLayout layout, Random rnd) {
    this.layout = layout;
    this.rnd = rnd;
    int full = (1 << (layout.inputBits() - 1)) - 1;
    channelMax = new int[layout.headDim()];
    for (int c = 0; c < channelMax.length; c++) {
      int kind = rnd.nextInt(4);
      channelMax[c] = kind == 0 ? full : kind == 1 ? Math.max(1, full / 8) : Math.max(1, full / 32);
    }
  }

  /** One K, V or q vector of headDim signed inputBits integers. */
  public int[] vector() {
    int lo = -(1 << (layout.inputBits() - 1));
    int[] x = new int[layout.headDim()];
    for (int c = 0; c < x.length; c++) {
      int m = rnd.nextInt(10) == 0 ? -lo : channelMax[c]; // rare full-scale entries, -2^(n-1) included
      x[c] = rnd.nextInt(6) == 0 ? 0 : Math.min(-lo - 1, rnd.nextInt(2 * m + 1) - m);
    }
    return x;
  }

  /** Probabilities for a score row: 0 for masked slots and for about a third of the others. */
  public long[] probabilities(long[] scores) {
    long max = (1L << layout.probabilityBits()) - 1;
    long[] p = new long[scores.length];
    for (int s = 0; s < p.length; s++) {
      if (scores[s] != layout.maskScore() && rnd.nextInt(3) != 0) {
        p[s] = rnd.nextInt(4) == 0 ? max : rnd.nextLong(max + 1);
      }
    }
    return p;
  }

  /** Values padded with zeros to whole beats. */
  public long[] beats(int[] x) {
    long[] r = new long[layout.vectorBeats(x.length) * layout.lanes()];
    for (int i = 0; i < x.length; i++) {
      r[i] = x[i];
    }
    return r;
  }

  public long[] beats(long[] x) {
    long[] r = new long[layout.vectorBeats(x.length) * layout.lanes()];
    System.arraycopy(x, 0, r, 0, x.length);
    return r;
  }

  /** Probabilities of a score row by the plain softmax definition ({@link PlainSoftmax}). */
  public long[] softmax(long[] scores) {
    return PlainSoftmax.of(layout, scores);
  }
}
