package pimforge.sfu;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import pimforge.golden.sfu.Activation;
import pimforge.golden.sfu.ActivationFunctions;
import pimforge.golden.sfu.Norm;
import pimforge.params.HwParams;
import pimforge.params.ModelShape;
import pimforge.params.SfuParams;

/**
 * The golden SFU functions against double precision over their whole input range.
 *
 * <p>Activation: |Y - 2^F sat(f(x))| <= 1/2 (output rounding) + 1/2 (interpolation: the LUT size
 * rule bounds h^2/8 max|f''| by half an output LSB) + 2^(F-lutBits) (entry rounding), so at most
 * 1 + 2^(F-lutBits) LSB.
 *
 * <p>Norm (gamma, beta exact in their format): the rsqrt table is sampled at bin middles, so its
 * relative error is at most eps = 2^-(k+2) + 2^-rsqrtBits (k = rsqrtLutBits); per element
 * |Y - 2^F y| <= 1/2 + 2^F |gamma| (|z| eps + 2^-zFracBits). With gamma = 1, beta = 0 and RMS(z) = 1,
 * the relative L2 error is at most 2^-(F+1) + eps + 2^-zFracBits.
 */
class SfuAccuracyTest {
  static Stream<HwParams> configs() {
    Stream<HwParams> presets = Stream.of(ModelShape.Activation.GELU, ModelShape.Activation.GELU_TANH,
        ModelShape.Activation.SILU).map(a -> SfuConfigs.of(SfuConfigs.model("acc", 384, ModelShape.Norm.LAYERNORM, a),
        SfuParams.DEFAULT));
    return Stream.concat(presets, Stream.of(SfuConfigs.layerNormGelu(), SfuConfigs.rmsNormSilu(),
        SfuConfigs.layerNormGeluTanh(), SfuConfigs.of(SfuConfigs.model("acc-rms", 4096, ModelShape.Norm.RMSNORM,
        ModelShape.Activation.SILU), SfuParams.DEFAULT)));
  }

  @ParameterizedTest
  @MethodSource("configs")
  void activationWithinBound(HwParams p) {
    SfuParams s = p.sfu();
    Activation act = new Activation(p);
    double lsb = Math.pow(2, s.actFracBits());
    double max = (1 << (s.actBits() - 1)) - 1;
    double bound = 1 + Math.pow(2, s.actFracBits() - s.lutBits());
    double worst = 0;
    // The output carries sfuDerived.activationOffset LSBs (non-negative GELU/SiLU output for FFN-down).
    int offset = p.sfuDerived().activationOffset();
    for (long x = -(1L << (s.actBits() - 1)); x < (1L << (s.actBits() - 1)); x++) {
      double ref = Math.max(-max - 1,
          Math.min(max, ActivationFunctions.apply(p.model().activation(), x / lsb) * lsb + offset));
      worst = Math.max(worst, Math.abs(act.apply(x) - ref));
    }
    System.out.println(String.format("%s: max activation error %.3f LSB (bound %.3f)", SfuConfigs.describe(p),
        worst, bound));
    assertTrue(worst <= bound, "activation error " + worst + " LSB > " + bound);
    assertTrue(worst > 0.3, "a table this coarse cannot be exact; is the test comparing anything?");
  }

  @ParameterizedTest
  @MethodSource("configs")
  void normWithinBound(HwParams p) {
    SfuParams s = p.sfu();
    var d = p.sfuDerived();
    int n = d.vectorLength();
    Norm norm = new Norm(p);
    Random rnd = new Random(7);
    double lsb = Math.pow(2, s.actFracBits());
    double eps = Math.pow(2, -(s.rsqrtLutBits() + 2)) + Math.pow(2, -s.rsqrtBits());
    double max = (1 << (s.actBits() - 1)) - 1;
    long[] gamma = new long[n];
    long[] beta = new long[n];
    java.util.Arrays.fill(gamma, 1L << s.gammaFracBits());
    double worstLsb = 0;
    double worstRel = 0;
    for (int v = 0; v < 50; v++) {
      long[] x = new long[n];
      int spread = 1 + rnd.nextInt(1 << (s.actBits() - 1));
      for (int i = 0; i < n; i++) {
        x[i] = Math.max(-(long) max - 1, Math.min((long) max, rnd.nextInt(2 * spread + 1) - spread + v % 7));
      }
      long[] y = norm.apply(x, gamma, beta);
      double mean = 0;
      double sq = 0;
      for (long e : x) {
        mean += e;
        sq += (double) e * e;
      }
      mean /= n;
      double denom = d.norm() == ModelShape.Norm.LAYERNORM ? Math.sqrt(sq / n - mean * mean) : Math.sqrt(sq / n);
      double center = d.norm() == ModelShape.Norm.LAYERNORM ? mean : 0;
      double errSq = 0;
      double refSq = 0;
      for (int i = 0; i < n; i++) {
        double z = denom == 0 ? 0 : (x[i] - center) / denom;
        double ref = z * lsb;
        double err = Math.abs(y[i] - Math.max(-max - 1, Math.min(max, ref)));
        double bound = 0.5 + lsb * (Math.abs(z) * eps + Math.pow(2, -d.zFracBits()));
        assertTrue(err <= bound, "element " + i + ": error " + err + " LSB > " + bound);
        worstLsb = Math.max(worstLsb, err);
        errSq += (y[i] / lsb - z) * (y[i] / lsb - z);
        refSq += z * z;
      }
      if (refSq > 0 && Math.abs(mean) < 4) { // no saturation at this spread and offset
        worstRel = Math.max(worstRel, Math.sqrt(errSq / refSq));
      }
    }
    double relBound = Math.pow(2, -(s.actFracBits() + 1)) + eps + Math.pow(2, -d.zFracBits());
    System.out.println(String.format("%s: max norm error %.3f LSB, relative L2 %.4f (bound %.4f)", SfuConfigs.describe(p),
        worstLsb, worstRel, relBound));
    assertTrue(worstRel <= relBound, "relative error " + worstRel + " > " + relBound);
  }
}
