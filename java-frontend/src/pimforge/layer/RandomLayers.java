package pimforge.layer;

import java.util.Random;
import pimforge.params.HwParams;
import pimforge.params.ModelShape;

/**
 * Realistic random layers for tests and benchmarks: weights N(0, 1/fanIn) (std 1/sqrt(fanIn)),
 * biases N(0, 0.02), LayerNorm gamma ~ 1 + N(0, 0.1), beta ~ N(0, 0.1) (0 for RMSNorm), an input
 * X ~ N(0, 1) of attention.maxSeqLen tokens; calibrated on X's float forward pass and quantized.
 */
public final class RandomLayers {
  private RandomLayers() {}

  /** A float layer, its calibration input, and the quantized layer. */
  public record RandomLayer(FloatLayer floatLayer, double[][] x, QuantizedLayer quantized) {
    /** The first {@code seqLen} tokens of the input. */
    public double[][] input(int seqLen) {
      return java.util.Arrays.copyOf(x, seqLen);
    }
  }

  public static RandomLayer of(HwParams p, long seed) {
    ModelShape m = p.model();
    Random r = new Random(seed);
    int h = m.hiddenSize();
    int kv = m.kvDim();
    int ff = m.ffnSize();
    boolean rms = m.norm() == ModelShape.Norm.RMSNORM;
    int qd = m.qDim();
    FloatLayer f = new FloatLayer(m,
        matrix(r, h, qd), vector(r, qd, 0.02), matrix(r, h, kv), vector(r, kv, 0.02),
        matrix(r, h, kv), vector(r, kv, 0.02), matrix(r, qd, h), vector(r, h, 0.02),
        matrix(r, h, ff), vector(r, ff, 0.02), matrix(r, ff, h), vector(r, h, 0.02),
        gamma(r, h), vector(r, h, rms ? 0 : 0.1), gamma(r, h), vector(r, h, rms ? 0 : 0.1),
        m.gatedFfn() ? matrix(r, h, ff) : null, m.gatedFfn() ? vector(r, ff, 0.02) : null);
    double[][] x = new double[p.attention().maxSeqLen()][h];
    for (double[] row : x) {
      for (int c = 0; c < h; c++) {
        row[c] = r.nextGaussian();
      }
    }
    return new RandomLayer(f, x, LayerQuantizer.quantize(p, f, f.trace(x)));
  }

  private static double[][] matrix(Random r, int in, int out) {
    double std = 1 / Math.sqrt(in);
    double[][] w = new double[in][out];
    for (double[] row : w) {
      for (int o = 0; o < out; o++) {
        row[o] = r.nextGaussian() * std;
      }
    }
    return w;
  }

  private static double[] vector(Random r, int n, double std) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = r.nextGaussian() * std;
    }
    return v;
  }

  private static double[] gamma(Random r, int n) {
    double[] g = new double[n];
    for (int i = 0; i < n; i++) {
      g[i] = 1 + 0.1 * r.nextGaussian();
    }
    return g;
  }
}
