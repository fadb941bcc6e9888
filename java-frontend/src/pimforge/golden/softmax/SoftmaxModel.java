package pimforge.golden.softmax;

import pimforge.params.HwParams;
import pimforge.params.SoftmaxDerived;
import pimforge.params.SoftmaxParams;

/**
 * Bit-exact golden model of the softmax unit (hw/src/pimforge/hw/softmax/Softmax.scala). Per row:
 * <ol>
 *   <li>max = largest unmasked raw score (a score equal to {@code maskValue} is masked);
 *   <li>t = ((max - s) * multiplier + half) >> shift (round half up, {@link SoftmaxConfig});
 *   <li>e = LUT[t] when t < expLutEntries, else 0 (very negative logits); e = 0 when masked;
 *   <li>S = sum of e (exact, sumBits);
 *   <li>R = floor(2^dividendLog2 / S) (exact integer division; the RTL runs a restoring divider);
 *   <li>p = min((e * R + 2^(normalizeShift-1)) >> normalizeShift, 2^outputBits - 1) (round half
 *       up, saturate).
 * </ol>
 * Masked positions give 0; a fully masked row (S = 0) gives all zeros.
 */
public final class SoftmaxModel {
  private final HwParams p;
  private final long[] lut;
  private SoftmaxConfig config = new SoftmaxConfig(0, 0);

  public SoftmaxModel(HwParams p) {
    this.p = p;
    this.lut = ExpLut.entries(p.softmax());
  }

  /** The configure transaction; the unit's registers reset to multiplier 0, shift 0. */
  public void configure(SoftmaxConfig c) {
    config = c.checked(p);
  }

  /** Probabilities of one row (any length up to rowBeats * lanes), one per score. */
  public long[] row(long[] scores) {
    SoftmaxParams s = p.softmax();
    SoftmaxDerived d = p.softmaxDerived();
    if (scores.length > (long) d.rowBeats() * s.lanes()) {
      throw new IllegalArgumentException("row of " + scores.length + " scores, at most "
          + (long) d.rowBeats() * s.lanes());
    }
    long max = d.maskValue();
    for (long v : scores) {
      checkScore(v);
      max = Math.max(max, v);
    }
    long[] e = new long[scores.length];
    long sum = 0;
    for (int i = 0; i < scores.length; i++) {
      e[i] = scores[i] == d.maskValue() ? 0 : exp(max - scores[i]);
      sum += e[i];
    }
    long[] out = new long[scores.length];
    if (sum == 0) {
      return out; // fully masked row
    }
    long r = (1L << d.dividendLog2()) / sum;
    long half = 1L << (d.normalizeShift() - 1);
    long top = (1L << s.outputBits()) - 1;
    for (int i = 0; i < scores.length; i++) {
      out[i] = Math.min((e[i] * r + half) >> d.normalizeShift(), top);
    }
    return out;
  }

  /** The exp entry for a raw distance max - s >= 0. */
  long exp(long distance) {
    long product = distance * config.multiplier();
    int shift = config.shift();
    long t = shift == 0 ? product : (product + (1L << (shift - 1))) >> shift;
    return t < lut.length ? lut[(int) t] : 0;
  }

  private void checkScore(long v) {
    int bits = p.softmax().inputBits();
    if (v < -(1L << (bits - 1)) || v >= (1L << (bits - 1))) {
      throw new IllegalArgumentException("score " + v + " does not fit " + bits + " signed bits");
    }
  }

  /** A row padded with masked scores to whole beats (what the host streams). */
  public static long[] padToBeats(HwParams p, long[] scores) {
    int lanes = p.softmax().lanes();
    long[] v = new long[(scores.length + lanes - 1) / lanes * lanes];
    java.util.Arrays.fill(v, p.softmaxDerived().maskValue());
    System.arraycopy(scores, 0, v, 0, scores.length);
    return v;
  }
}
