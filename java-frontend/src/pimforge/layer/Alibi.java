package pimforge.layer;

/**
 * ALiBi (Press et al. 2022, "Train Short, Test Long"; BLOOM): no position embedding; head h adds
 * m_h * j to the score of key j (equivalent under softmax to -m_h * (i - j) in a causal row). Slopes
 * as BLOOM's {@code build_alibi_tensor}: for n heads with c = 2^floor(log2 n), m_h = (2^(-8/c))^(h+1)
 * for h < c, and the remaining n - c heads take the odd powers 1, 3, 5, .. of 2^(-4/c).
 *
 * <p>In hardware the softmax engine subtracts round((valid - 1 - j) * M / 2^S) raw score units from
 * element j of a row with valid keys (row i of a causal block has valid = i + 1, so this is
 * m_h * (j - i): 0 on the diagonal, more negative further back, which the unit's clamp to the
 * masked floor bounds at long distances). M (16-bit) and S (0..31) travel in the SOFTMAX row
 * instruction's src2 and shift fields, chosen per head by {@link #encode} from m_h divided by the
 * score scale (real logit per raw unit).
 */
public final class Alibi {
  /** Bits of the slope mantissa M (the instruction's src2 field). */
  public static final int MANTISSA_BITS = 16;
  /** Bits of the slope shift S: the low bits of the instruction's shift field. */
  public static final int SHIFT_BITS = 5;
  /** Largest slope shift S. */
  public static final int MAX_SHIFT = (1 << SHIFT_BITS) - 1;

  private Alibi() {}

  /** m_h of every head, BLOOM's definition. */
  public static double[] slopes(int heads) {
    int c = Integer.highestOneBit(heads);
    double base = Math.pow(2, -8.0 / c);
    double[] m = new double[heads];
    for (int h = 0; h < c; h++) {
      m[h] = Math.pow(base, h + 1);
    }
    double extra = Math.pow(2, -4.0 / c);
    for (int r = 0; r < heads - c; r++) {
      m[c + r] = Math.pow(extra, 2 * r + 1);
    }
    return m;
  }

  /** {M, S} with M / 2^S closest to rawSlope, S as large as M's width allows (most precise). */
  public static long[] encode(double rawSlope) {
    if (!(rawSlope >= 0) || Double.isInfinite(rawSlope)) {
      throw new IllegalArgumentException("ALiBi slope must be >= 0, is " + rawSlope);
    }
    for (int s = MAX_SHIFT; s >= 0; s--) {
      long mantissa = Math.round(rawSlope * StrictMath.scalb(1.0, s));
      if (mantissa < 1L << MANTISSA_BITS) {
        return new long[] {mantissa, s};
      }
    }
    throw new IllegalArgumentException("ALiBi slope " + rawSlope + " raw score units per key exceeds "
        + ((1L << MANTISSA_BITS) - 1));
  }

  /** S of a SOFTMAX row instruction: the low SHIFT_BITS of its shift field. */
  static int shiftOf(Instruction i) {
    return i.shift() & MAX_SHIFT;
  }

  /** What is subtracted from a score at {@code distance} = valid - 1 - j keys back: round(distance * M / 2^S), half up. */
  public static long penalty(long distance, long mantissa, int shift) {
    return pimforge.golden.sfu.Fixed.roundShift(distance * mantissa, shift);
  }
}
