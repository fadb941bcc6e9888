package pimforge.minilm;

import java.util.ArrayList;
import java.util.List;

/**
 * Static per-tensor activation ranges (max |x| over every token of the calibration sentences) from
 * a float run of the encoder, computed once and then fixed: the quantized encoder derives every
 * requantization scale from them. Only tensors whose scale is free are measured; LayerNorm and
 * GELU outputs use the SFU's fixed actBits.actFracBits format.
 */
public record Calibration(List<LayerRanges> layers) {

  /** Max |x| per tensor of one encoder layer. */
  public record LayerRanges(double q, double k, double v, double attnOut, double attnSum,
      double ffnOut, double ffnSum, double gelu) {}

  public Calibration {
    layers = List.copyOf(layers);
  }

  /** Runs the float encoder on the sentences (token ids, unpadded) and records the ranges. */
  public static Calibration measure(MiniLmWeights w, List<int[]> sentences) {
    double eps = w.shape().normEps();
    int heads = w.shape().numHeads();
    double[][] max = new double[w.layers().size()][8];
    for (int[] ids : sentences) {
      float[][] h = new FloatEncoder(w).encode(ids).hiddenStates().get(0);
      for (int l = 0; l < w.layers().size(); l++) {
        EncoderLayerWeights lw = w.layers().get(l);
        double[] m = max[l];
        float[][] q = apply(lw.query(), h, m, 0);
        float[][] k = apply(lw.key(), h, m, 1);
        float[][] v = apply(lw.value(), h, m, 2);
        float[][] ctx = FloatEncoder.attend(q, k, v, heads, allTokens(q.length));
        float[][] attnOut = apply(lw.attentionOutput(), ctx, m, 3);
        float[][] attended = new float[h.length][];
        for (int t = 0; t < h.length; t++) {
          float[] sum = add(attnOut[t], h[t], m, 4);
          attended[t] = lw.attentionNorm().apply(sum, eps);
        }
        float[][] next = new float[h.length][];
        for (int t = 0; t < h.length; t++) {
          float[] inner = lw.intermediate().apply(attended[t]);
          for (int i = 0; i < inner.length; i++) {
            inner[i] = (float) FloatEncoder.gelu(inner[i]);
          }
          track(inner, m, 7);
          float[] out = lw.output().apply(inner);
          track(out, m, 5);
          next[t] = lw.outputNorm().apply(add(out, attended[t], m, 6), eps);
        }
        h = next;
      }
    }
    List<LayerRanges> layers = new ArrayList<>();
    for (double[] m : max) {
      layers.add(new LayerRanges(m[0], m[1], m[2], m[3], m[4], m[5], m[6], m[7]));
    }
    return new Calibration(layers);
  }

  private static float[][] apply(Linear l, float[][] x, double[] max, int slot) {
    float[][] y = new float[x.length][];
    for (int t = 0; t < x.length; t++) {
      y[t] = l.apply(x[t]);
      track(y[t], max, slot);
    }
    return y;
  }

  private static float[] add(float[] a, float[] b, double[] max, int slot) {
    float[] s = new float[a.length];
    for (int i = 0; i < a.length; i++) {
      s[i] = a[i] + b[i];
    }
    track(s, max, slot);
    return s;
  }

  private static void track(float[] x, double[] max, int slot) {
    for (float v : x) {
      max[slot] = Math.max(max[slot], Math.abs(v));
    }
  }

  /** Attention mask of a sentence without padding. */
  private static int[] allTokens(int n) {
    int[] mask = new int[n];
    java.util.Arrays.fill(mask, 1);
    return mask;
  }
}
