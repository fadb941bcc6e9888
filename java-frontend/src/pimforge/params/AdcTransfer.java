package pimforge.params;

/**
 * The ADC of one physical column, as both the RTL and the golden model compute it.
 * Lossless: value = sum. CLIP: value = min(sum, maxCode). SCALE: code = min((sum + step/2) >> shift,
 * maxCode), value = code << shift, with step = 2^shift (round half up, then saturate).
 */
public record AdcTransfer(boolean lossless, Precision.AdcMode mode, int shift, int maxCode) {
  public long apply(long columnSum) {
    if (lossless) {
      return columnSum;
    }
    if (mode == Precision.AdcMode.CLIP) {
      return Math.min(columnSum, maxCode);
    }
    long half = shift == 0 ? 0 : 1L << (shift - 1);
    long code = Math.min((columnSum + half) >> shift, maxCode);
    return code << shift;
  }
}
