package pimforge.minilm;

import pimforge.golden.TiledMatrixModel;
import pimforge.params.HwParams;
import pimforge.params.ParamError;

/**
 * A dense layer on PIM banks: weights quantized symmetric per output channel to
 * precision.weightBits and held by a {@link TiledMatrixModel}; the bias is added to the exact
 * integer accumulator, pre-scaled to its unit (round(b / (s_x * s_w[c])), i.e. what a digital adder
 * after the bank does); requantization to the next activation goes through the SFU, one
 * configure (M_c, S_c) per output channel since the SFU has one multiplier register.
 */
final class QuantizedLinear {
  private final HwParams p;
  private final TiledMatrixModel matrix;
  private final double[] accScale;
  private final long[] bias;

  /** @param inputScale real value of one input unit */
  QuantizedLinear(HwParams p, Linear layer, double inputScale) {
    this(p, layer, constant(layer.inFeatures(), inputScale));
  }

  /**
   * @param inputScale real value of one unit of input i (per-channel input scales are folded into
   *     the weight rows before the weights are quantized: x W = (x / s) (diag(s) W))
   */
  QuantizedLinear(HwParams p, Linear layer, double[] inputScale) {
    this.p = p;
    int in = layer.inFeatures();
    int out = layer.outFeatures();
    int qmax = p.precision().weightMax();
    double[][] folded = new double[in][out];
    double[] wScale = new double[out];
    for (int i = 0; i < in; i++) {
      for (int c = 0; c < out; c++) {
        folded[i][c] = layer.weight()[i][c] * inputScale[i];
        wScale[c] = Math.max(wScale[c], Math.abs(folded[i][c]));
      }
    }
    int[][] w = new int[in][out];
    this.accScale = new double[out];
    this.bias = new long[out];
    for (int c = 0; c < out; c++) {
      accScale[c] = wScale[c] > 0 ? wScale[c] / qmax : 1.0;
      bias[c] = Math.round(layer.bias()[c] / accScale[c]);
      for (int i = 0; i < in; i++) {
        w[i][c] = (int) Math.max(-qmax, Math.min(qmax, Math.round(folded[i][c] / accScale[c])));
      }
    }
    this.matrix = new TiledMatrixModel(p, w);
    long inMax = 1L << (p.precision().inputBits() - 1);
    long maxBias = java.util.Arrays.stream(bias).map(Math::abs).max().orElse(0);
    long bound = inMax * qmax * in + maxBias;
    if (bound >= 1L << (p.sfu().accBits() - 1)) { // the SFU would read a wrapped accumulator
      throw new ParamError("sfu.accBits", "is " + p.sfu().accBits() + ": a " + in + "-input layer's accumulator"
          + " (with bias) reaches " + bound);
    }
  }

  private static double[] constant(int n, double v) {
    double[] a = new double[n];
    java.util.Arrays.fill(a, v);
    return a;
  }

  /** Accumulators x W + bias, [tokens][out], in units of {@link #accScale}. */
  long[][] accumulate(long[][] x) {
    long[][] y = new long[x.length][];
    for (int t = 0; t < x.length; t++) {
      y[t] = matrix.multiply(Quant.toInts(x[t]));
      for (int c = 0; c < y[t].length; c++) {
        y[t][c] += bias[c];
      }
    }
    return y;
  }

  /** x W + b requantized by the SFU to activations of {@code outScale} real units per LSB. */
  long[][] forward(SfuOps sfu, long[][] x, double outScale) {
    long[][] acc = accumulate(x);
    long[][] y = new long[x.length][accScale.length];
    long[] column = new long[x.length];
    for (int c = 0; c < accScale.length; c++) {
      for (int t = 0; t < x.length; t++) {
        column[t] = acc[t][c];
      }
      long[] q = sfu.requant(column, FixedMultiplier.of(p, accScale[c] / outScale));
      for (int t = 0; t < x.length; t++) {
        y[t][c] = q[t];
      }
    }
    return y;
  }
}
