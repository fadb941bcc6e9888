package pimforge.layer;

import pimforge.golden.cam.CamSoftmax;
import pimforge.golden.softmax.SoftmaxConfig;
import pimforge.params.HwParams;
import pimforge.params.ModelShape;
import pimforge.params.ParamError;

/**
 * The CAM unit's softmax scale per query head (one CONFIGURE packet each), from the calibration's
 * float Q and K.
 *
 * <ul>
 *   <li>cam.rescore: scores are exact q.k of the unit's integer Q and K, so the scale is the
 *       dense path's: sQ 2^queryShift * sK 2^keyShift / sqrt(d) logits per score unit.
 *   <li>binary codes: q.k ~ alpha (2c - d) with c the sign matches (HAD's scaled sign, alpha
 *       fitted by least squares over the calibration's query-key pairs of the head, causal for
 *       decoders, instead of distilled); a code is about c (2^b - 1) / d, so one code unit is
 *       2 alpha d / ((2^b - 1) sqrt(d)) logits (the -d is a constant per row: softmax ignores it).
 * </ul>
 */
final class CamSoftmaxScale {
  private CamSoftmaxScale() {}

  /**
   * @param q calibration Q [tokens][qDim] (rotated for RoPE), k calibration K [tokens][kvDim]
   * @param sQ real units per integer Q unit, sK per integer K unit (before the CAM shifts)
   * @param rootD the model's score divisor
   */
  static SoftmaxConfig[] of(HwParams p, double[][] q, double[][] k, double sQ, double sK, double rootD) {
    ModelShape m = p.model();
    CamShifts sh = CamShifts.of(p);
    int d = m.headDim();
    SoftmaxConfig[] out = new SoftmaxConfig[m.numHeads()];
    for (int h = 0; h < out.length; h++) {
      double scale;
      if (p.cam().rescore()) {
        scale = sQ * Math.scalb(1.0, sh.query()) * sK * Math.scalb(1.0, sh.key()) / rootD;
      } else {
        double alpha = alpha(m, q, k, h, d, sQ, sK);
        scale = 2 * alpha * d / (((1 << p.cam().matchAdcBits()) - 1) * rootD);
      }
      try {
        out[h] = SoftmaxConfig.forScale(CamSoftmax.params(p), scale);
      } catch (IllegalArgumentException e) {
        throw new ParamError("softmax.scaleBits", "is " + p.softmax().scaleBits() + ": the CAM score scale " + scale
            + " of head " + h + " does not fit the softmax multiplier (" + e.getMessage() + ")");
      }
    }
    return out;
  }

  /**
   * Least-squares alpha of q.k on (2c - d) over the pairs of head h (keys j <= i for decoders), c
   * from the bits the CAM sees: an element's integer round(x / s) > 0, i.e. x / s >= 1/2.
   */
  private static double alpha(ModelShape m, double[][] q, double[][] k, int h, int d, double sQ, double sK) {
    int g = h / (m.numHeads() / m.numKvHeads());
    boolean causal = m.family() == ModelShape.Family.DECODER;
    double sx = 0;
    double xx = 0;
    for (int i = 0; i < q.length; i++) {
      for (int j = 0; j < (causal ? i + 1 : k.length); j++) {
        double s = 0;
        int matches = 0;
        for (int c = 0; c < d; c++) {
          double a = q[i][h * d + c];
          double b = k[j][g * d + c];
          s += a * b;
          matches += (a / sQ >= 0.5) == (b / sK >= 0.5) ? 1 : 0;
        }
        double x = 2 * matches - d;
        sx += s * x;
        xx += x * x;
      }
    }
    // No signal (every pair at x = 0, or anti-correlated): the smallest positive scale, flat rows.
    return xx == 0 || sx <= 0 ? Double.MIN_NORMAL : sx / xx;
  }
}
