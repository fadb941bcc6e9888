package pimforge.cam;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import pimforge.golden.cam.CamAttentionModel;
import pimforge.golden.cam.CamSoftmax;
import pimforge.golden.softmax.SoftmaxConfig;
import pimforge.golden.softmax.SoftmaxReference;
import pimforge.params.HwParams;
import pimforge.params.SoftmaxParams;

/**
 * The unit's fixed-point softmax and weighted sum over its survivors against double precision over
 * the same survivors and scores: per context element at most
 * {@code e * sum_i |v_i| + 1/2} LSB, with e = rho + n*c + (1 + 2^-G) * 2^-O the softmax unit's
 * per-probability bound (README "Softmax unit", n survivors) and 1/2 for the final rounding.
 */
class CamContextAccuracyTest {
  @Test
  void contextIsCloseToDoublePrecision() {
    List<HwParams> configs = new ArrayList<>(CamConfigs.CONFIGS);
    configs.add(CamAttentionModelTest.CAMFORMER);
    Random rnd = new Random(13);
    for (HwParams p : configs) {
      HwParams sm = CamSoftmax.params(p);
      SoftmaxParams s = sm.softmax();
      double ulp = Math.scalb(1.0, -s.outputBits());
      double rho = Math.expm1(Math.scalb(1.0, -(s.logitFracBits() + 1)));
      double c = Math.scalb(1.0, -(s.expLutBits() + 1)) + Math.exp(-(s.expLutEntries() - 0.5) * Math.scalb(1.0, -s.logitFracBits()));
      double guard = Math.scalb(1.0, -s.reciprocalGuardBits());
      int n = p.camDerived().keys();
      int d = p.camDerived().headDim();
      double worst = 0;
      double worstRelative = 0;
      for (int trial = 0; trial < 10; trial++) {
        CamAttentionModel golden = new CamAttentionModel(p);
        CamStimulus stim = new CamStimulus(p, rnd);
        SoftmaxConfig cfg = stim.config();
        golden.configure(cfg);
        long[][] values = new long[n][];
        for (int i = 0; i < n; i++) {
          values[i] = stim.value();
          golden.write(i, stim.key(), values[i]);
        }
        for (int q = 0; q < 10; q++) {
          CamAttentionModel.Answer a = golden.query(stim.key());
          int k = a.indices().length;
          boolean[] masked = new boolean[k];
          int valid = 0;
          for (int i = 0; i < k; i++) {
            masked[i] = a.indices()[i] < 0;
            valid += masked[i] ? 0 : 1;
          }
          double[] pf = SoftmaxReference.softmax(a.scores(), masked, cfg.scale(sm));
          double e = rho + valid * c + (1 + guard) * ulp;
          for (int j = 0; j < d; j++) {
            double want = 0;
            double bound = 0.5;
            for (int i = 0; i < k; i++) {
              if (!masked[i]) {
                long v = values[a.indices()[i]][j];
                want += pf[i] * v;
                bound += e * Math.abs(v);
              }
            }
            double err = Math.abs(a.context()[j] - want);
            assertTrue(err <= bound, CamConfigs.describe(p) + ": context " + j + " error " + err + " > " + bound);
            worst = Math.max(worst, err);
            worstRelative = Math.max(worstRelative, err / Math.scalb(1.0, p.cam().valueBits() - 1));
          }
        }
      }
      System.out.println(String.format("%s: max |context - double| = %.1f LSB (%.4f of full scale)",
          CamConfigs.describe(p), worst, worstRelative));
    }
  }
}
