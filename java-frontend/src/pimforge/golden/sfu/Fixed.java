package pimforge.golden.sfu;

/** Integer helpers shared by the SFU golden model; the RTL implements exactly these. */
public final class Fixed {
  private Fixed() {}

  /** Round half up, then arithmetic shift right: (v + 2^(s-1)) >> s; s = 0 returns v. */
  public static long roundShift(long v, int s) {
    return s == 0 ? v : (v + (1L << (s - 1))) >> s;
  }

  /** Saturates to a signed two's-complement range of {@code bits} bits. */
  public static long saturate(long v, int bits) {
    long max = (1L << (bits - 1)) - 1;
    return Math.max(-max - 1, Math.min(max, v));
  }

  /** The low {@code bits} bits of v read as a signed number (what the RTL takes from a wider element). */
  public static long signedLow(long v, int bits) {
    return (v << (64 - bits)) >> (64 - bits);
  }

  /** The low {@code bits} bits of v read as an unsigned number. */
  public static long unsignedLow(long v, int bits) {
    return v & ((1L << bits) - 1);
  }
}
