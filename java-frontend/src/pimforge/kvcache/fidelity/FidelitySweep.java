package pimforge.kvcache.fidelity;

import java.util.ArrayList;
import java.util.List;
import pimforge.kvcache.KvCacheLayout;
import pimforge.kvcache.KvCacheModel.Counters;
import pimforge.kvcache.KvEvictionModel;
import pimforge.layer.Similarity;
import pimforge.params.KvCacheParams;

/**
 * Measures KV-cache configurations on a {@link FidelityWorkload}: every head of every layer decoded
 * through {@link CompressedDecode}, against {@link ReferenceAttention} (float, causal, full cache).
 *
 * <p>Integers: per layer one symmetric scale per tensor (Q, K, V), each over all heads and tokens of
 * that layer ({@link TensorScale#fit}, largest magnitude to 2^(inputBits-1) - 1). The references
 * (attention context per head, and the layer output computed from it) are computed once.
 */
public final class FidelitySweep {
  private final FidelityWorkload w;
  private final int inputBits;
  private final int probabilityBits;
  private final int lanes;
  private final int tokens;
  private final int headDim;
  private final int[][][][][] ints; // [layer][head][q,k,v][token][channel]
  private final double[][] scales; // [layer][q,k,v]
  private final double[][][] refContext; // [layer][token][heads * d]
  private final float[][][] refLayer; // [layer][token][hidden], null without a layer

  /**
   * @param w the activations
   * @param inputBits width of the K/V/q integers (precision.inputBits)
   * @param probabilityBits width of a probability code (softmax.outputBits)
   * @param lanes elements per stream beat of the controller (crossbar.lanes; no effect on the numbers)
   */
  public FidelitySweep(FidelityWorkload w, int inputBits, int probabilityBits, int lanes) {
    this.w = w;
    this.inputBits = inputBits;
    this.probabilityBits = probabilityBits;
    this.lanes = lanes;
    HeadActivations first = w.head(0, 0);
    this.tokens = first.tokens();
    this.headDim = first.headDim();
    int layers = w.layers();
    int heads = w.heads();
    ints = new int[layers][heads][][][];
    scales = new double[layers][3];
    refContext = new double[layers][tokens][heads * headDim];
    refLayer = w.hasLayer() ? new float[layers][][] : null;
    for (int l = 0; l < layers; l++) {
      List<HeadActivations> hs = new ArrayList<>();
      for (int h = 0; h < heads; h++) {
        hs.add(w.head(l, h));
      }
      TensorScale qs = TensorScale.fit(inputBits, hs.stream().map(HeadActivations::q).toList());
      TensorScale ks = TensorScale.fit(inputBits, hs.stream().map(HeadActivations::k).toList());
      TensorScale vs = TensorScale.fit(inputBits, hs.stream().map(HeadActivations::v).toList());
      scales[l] = new double[] {qs.scale(), ks.scale(), vs.scale()};
      for (int h = 0; h < heads; h++) {
        HeadActivations a = hs.get(h);
        ints[l][h] = new int[][][] {qs.toInts(a.q()), ks.toInts(a.k()), vs.toInts(a.v())};
        place(refContext[l], h, ReferenceAttention.causal(a));
      }
      if (refLayer != null) {
        refLayer[l] = w.layerOutput(l, toFloat(refContext[l]));
      }
    }
  }

  public int tokens() {
    return tokens;
  }

  public int headDim() {
    return headDim;
  }

  /**
   * Measures one sweep point (kvCache from {@link FidelityPoint#params}, fullPrecisionTokens =
   * groupSize).
   *
   * @throws pimforge.params.ParamError if the configuration is not a legal kvCache section or layout
   */
  public FidelityRow measure(FidelityPoint p, int groupSize) {
    return measure(p.params(groupSize));
  }

  /**
   * Measures one kvCache configuration on every head and layer.
   *
   * @throws pimforge.params.ParamError if groupSize does not divide the head dimension
   */
  public FidelityRow measure(KvCacheParams kv) {
    KvCacheLayout layout = new KvCacheLayout(kv, KvEvictionModel.capacityOf(kv), headDim, inputBits, probabilityBits,
        tokens, lanes);
    int heads = w.heads();
    List<Double> attn = new ArrayList<>();
    List<Double> layer = new ArrayList<>();
    long[] sum = new long[Counters.WORDS];
    for (int l = 0; l < w.layers(); l++) {
      double[][] ctx = new double[tokens][heads * headDim];
      for (int h = 0; h < heads; h++) {
        int[][][] x = ints[l][h];
        CompressedDecode.Result r = CompressedDecode.run(layout, x[0], x[1], x[2], scales[l][0], scales[l][1],
            scales[l][2]);
        place(ctx, h, r.context());
        long[] c = r.counters().words();
        for (int i = 0; i < sum.length; i++) {
          sum[i] += c[i];
        }
      }
      for (int t = 0; t < tokens; t++) {
        attn.add(cosine(ctx[t], refContext[l][t]));
      }
      if (refLayer != null) {
        float[][] out = w.layerOutput(l, toFloat(ctx));
        for (int t = 0; t < tokens; t++) {
          layer.add(cosine(toDouble(out[t]), toDouble(refLayer[l][t])));
        }
      }
    }
    Counters total = new Counters(sum[0], sum[1], sum[2], sum[3], sum[4], sum[5], sum[6], sum[7], sum[8], sum[9]);
    int percent = (int) Math.round(100.0 * layout.capacity() / tokens);
    return new FidelityRow(kv, percent, mean(attn), min(attn), mean(layer), min(layer), total, headDim, heads * w.layers());
  }

  private void place(double[][] dst, int head, double[][] src) {
    for (int t = 0; t < src.length; t++) {
      System.arraycopy(src[t], 0, dst[t], head * headDim, headDim);
    }
  }

  private static double cosine(double[] a, double[] b) {
    return Similarity.cosine(new double[][] {a}, new double[][] {b});
  }

  private static float[][] toFloat(double[][] x) {
    float[][] r = new float[x.length][];
    for (int i = 0; i < x.length; i++) {
      r[i] = new float[x[i].length];
      for (int j = 0; j < x[i].length; j++) {
        r[i][j] = (float) x[i][j];
      }
    }
    return r;
  }

  private static double[] toDouble(float[] x) {
    double[] r = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      r[i] = x[i];
    }
    return r;
  }

  private static double mean(List<Double> xs) {
    return xs.isEmpty() ? Double.NaN : xs.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
  }

  private static double min(List<Double> xs) {
    return xs.isEmpty() ? Double.NaN : xs.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
  }
}
