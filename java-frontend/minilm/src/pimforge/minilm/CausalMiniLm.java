package pimforge.minilm;

import java.util.ArrayList;
import java.util.List;
import pimforge.kvcache.fidelity.FidelityWorkload;
import pimforge.kvcache.fidelity.HeadActivations;
import pimforge.kvcache.fidelity.ReferenceAttention;

/**
 * all-MiniLM-L6-v2 run as a causal model in float, the workload of the KV-cache fidelity
 * measurement: embeddings, then per layer q/k/v projections, causal full-cache attention per head
 * ({@link ReferenceAttention}, every token attends to itself and all earlier tokens only), and the
 * rest of the post-LN block ({@link FloatEncoder#afterAttention}). Layer l's input is the causal
 * reference's output of layer l-1, so a compressed cache is measured layer by layer on the same
 * inputs (its errors do not propagate to later layers).
 *
 * <p>This is an encoder trained bidirectionally and used causally here: real activations (with
 * their outlier channels and learned attention patterns), not a trained decoder.
 */
public final class CausalMiniLm implements FidelityWorkload {
  private final MiniLmWeights weights;
  private final int heads;
  private final int headDim;
  private final double eps;
  private final List<float[][]> inputs = new ArrayList<>(); // [layer][token][hidden]
  private final List<List<HeadActivations>> activations = new ArrayList<>(); // [layer][head]

  /**
   * @param weights the model
   * @param ids token ids, 1..maxPositions of them (position t gets position embedding t)
   * @param layers the first this many layers are run and measured, 1..weights.layers().size()
   */
  public CausalMiniLm(MiniLmWeights weights, int[] ids, int layers) {
    if (layers < 1 || layers > weights.layers().size()) {
      throw new IllegalArgumentException("layers " + layers + " outside 1.." + weights.layers().size());
    }
    this.weights = weights;
    this.heads = weights.shape().numHeads();
    this.headDim = weights.shape().hiddenSize() / heads;
    this.eps = weights.shape().normEps();
    float[][] x = new FloatEncoder(weights).embed(ids);
    for (EncoderLayerWeights w : weights.layers().subList(0, layers)) {
      inputs.add(x);
      List<HeadActivations> hs = project(w, x);
      activations.add(hs);
      float[][] ctx = new float[x.length][heads * headDim];
      for (int h = 0; h < heads; h++) {
        double[][] c = ReferenceAttention.causal(hs.get(h));
        for (int t = 0; t < x.length; t++) {
          for (int i = 0; i < headDim; i++) {
            ctx[t][h * headDim + i] = (float) c[t][i];
          }
        }
      }
      x = tail(w, ctx, x);
    }
  }

  private List<HeadActivations> project(EncoderLayerWeights w, float[][] x) {
    int n = x.length;
    float[][][] q = new float[heads][n][headDim];
    float[][][] k = new float[heads][n][headDim];
    float[][][] v = new float[heads][n][headDim];
    for (int t = 0; t < n; t++) {
      float[] qt = w.query().apply(x[t]);
      float[] kt = w.key().apply(x[t]);
      float[] vt = w.value().apply(x[t]);
      for (int h = 0; h < heads; h++) {
        System.arraycopy(qt, h * headDim, q[h][t], 0, headDim);
        System.arraycopy(kt, h * headDim, k[h][t], 0, headDim);
        System.arraycopy(vt, h * headDim, v[h][t], 0, headDim);
      }
    }
    List<HeadActivations> r = new ArrayList<>();
    for (int h = 0; h < heads; h++) {
      r.add(new HeadActivations(q[h], k[h], v[h]));
    }
    return r;
  }

  private float[][] tail(EncoderLayerWeights w, float[][] context, float[][] x) {
    float[][] out = new float[x.length][];
    for (int t = 0; t < x.length; t++) {
      out[t] = FloatEncoder.afterAttention(w, context[t], x[t], eps);
    }
    return out;
  }

  @Override
  public String name() {
    return weights.shape().name() + " (causal, float)";
  }

  @Override
  public int layers() {
    return activations.size();
  }

  @Override
  public int heads() {
    return heads;
  }

  @Override
  public HeadActivations head(int layer, int head) {
    return activations.get(layer).get(head);
  }

  @Override
  public boolean hasLayer() {
    return true;
  }

  /** Layer {@code layer}'s output from a context [tokens][hidden] and the layer's reference input. */
  @Override
  public float[][] layerOutput(int layer, float[][] context) {
    return tail(weights.layers().get(layer), context, inputs.get(layer));
  }
}
