package pimforge.softmax;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import pimforge.golden.softmax.SoftmaxConfig;
import pimforge.golden.softmax.SoftmaxModel;
import pimforge.golden.softmax.SoftmaxReference;
import pimforge.params.HwParams;
import pimforge.params.SoftmaxDerived;
import pimforge.params.SoftmaxParams;

/**
 * The fixed-point softmax vs a double-precision softmax on realistic attention rows (int8 x int8
 * dot products over head_dim 32, MiniLM-like scales, 128 tokens, random padding masks), at the
 * default parameters. Bounds (F = logitFracBits, L = expLutBits, N = expLutEntries, O = outputBits,
 * G = reciprocalGuardBits, n = unmasked scores):
 * <ul>
 *   <li>per probability: rho + n * c + (1 + 2^-G) * 2^-O, where rho = exp(2^-(F+1)) - 1 is the
 *       relative exp error from rounding the distance to the LUT step (its worst effect on a
 *       probability is about rho / 2), c = 2^-(L+1) + exp(-(N - 1/2) * 2^-F) the absolute error of
 *       one entry (LUT rounding, clamping beyond the table) against a sum >= 1, and the last term
 *       the reciprocal's truncation, output rounding and saturation;
 *   <li>row sum: |sum - 1| <= rho + n * c + (n / 2 + n * 2^-G + 1) * 2^-O (every output rounds by
 *       at most half an ulp; the truncated reciprocal loses at most S / 2^(L+G) ulps in total).
 * </ul>
 */
class SoftmaxAccuracyTest {
  private static final HwParams P = SoftmaxConfigs.of(128, SoftmaxParams.DEFAULT);

  @Test
  void fixedPointSoftmaxIsCloseToDoubleSoftmax() {
    SoftmaxParams s = P.softmax();
    SoftmaxDerived d = P.softmaxDerived();
    double ulp = Math.scalb(1.0, -s.outputBits());
    double rho = Math.expm1(Math.scalb(1.0, -(s.logitFracBits() + 1)));
    double c = Math.scalb(1.0, -(s.expLutBits() + 1))
        + Math.exp(-(s.expLutEntries() - 0.5) * Math.scalb(1.0, -s.logitFracBits()));
    double guard = Math.scalb(1.0, -s.reciprocalGuardBits());
    Random rnd = new Random(42);
    SoftmaxModel model = new SoftmaxModel(P);
    double worst = 0;
    double worstSum = 0;
    for (int row = 0; row < 2000; row++) {
      // s = q . k with int8 q, k of std qStd over 32 dims (std of s = qStd^2 * sqrt(32)); the
      // scale (quantization scales times 1/sqrt(32)) makes real logits of std `spread`.
      double spread = 0.5 + 5 * rnd.nextDouble();
      double qStd = 10 + 40 * rnd.nextDouble();
      double scale = spread / (qStd * qStd * Math.sqrt(32));
      SoftmaxConfig cfg = SoftmaxConfig.forScale(P, scale);
      model.configure(cfg);
      int n = 128;
      int valid = 1 + rnd.nextInt(n);
      long[] scores = new long[n];
      boolean[] masked = new boolean[n];
      for (int i = 0; i < n; i++) {
        masked[i] = i >= valid;
        long dot = 0;
        for (int k = 0; k < 32; k++) {
          dot += clip8(rnd.nextGaussian() * qStd) * clip8(rnd.nextGaussian() * qStd);
        }
        scores[i] = masked[i] ? d.maskValue() : dot;
      }
      long[] got = model.row(scores);
      double[] want = SoftmaxReference.softmax(scores, masked, cfg.scale(P));
      double bound = rho + valid * c + (1 + guard) * ulp;
      double sum = 0;
      for (int i = 0; i < n; i++) {
        double err = Math.abs(got[i] * ulp - want[i]);
        worst = Math.max(worst, err);
        assertTrue(err <= bound, "row " + row + " position " + i + ": error " + err + " > bound " + bound);
        sum += got[i] * ulp;
      }
      double sumBound = rho + valid * c + (valid / 2.0 + valid * guard + 1) * ulp;
      worstSum = Math.max(worstSum, Math.abs(sum - 1));
      assertTrue(Math.abs(sum - 1) <= sumBound, "row " + row + ": sum " + sum + ", bound " + sumBound);
    }
    System.out.printf("softmax accuracy: max |p - p_float| = %.5f (per-probability bound at 128 tokens %.5f),"
        + " max |sum - 1| = %.5f%n", worst, rho + 128 * c + (1 + guard) * ulp, worstSum);
    assertTrue(worst > 0, "a fixed-point datapath is never exact on 2000 rows: the comparison is live");
  }

  private static long clip8(double v) {
    return Math.max(-127, Math.min(127, Math.round(v)));
  }
}
