package pimforge.golden.cam;

/**
 * The match-line ADC transfer of the CAM attention unit, used by the golden model and as the
 * contents of the RTL's code ROM (one per row of a tile; in silicon, the comparator thresholds).
 *
 * <p>A row's match count c = d - Hamming(query, key), 0..d, reads as
 * {@code code = floor(c * (2^bits - 1) / d)}: a uniform quantizer whose full scale (every cell
 * matching) is the top code 2^bits - 1. It uses every code, is monotone, and is lossless
 * (injective) when 2^bits - 1 >= d, i.e. bits = ceil(log2(d + 1)); a plain right shift would leave
 * codes unused when d is a power of two (c = d is the only count needing the top bit). The RTL
 * computes it exactly by looking the count up in this table, so no divider is built.
 */
public final class MatchAdc {
  private MatchAdc() {}

  /** Codes for counts 0..d: entry c = floor(c * (2^bits - 1) / d). */
  public static int[] codes(int d, int bits) {
    int[] t = new int[d + 1];
    long top = (1L << bits) - 1;
    for (int c = 0; c <= d; c++) {
      t[c] = (int) (c * top / d);
    }
    return t;
  }
}
