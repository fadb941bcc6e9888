package pimforge.minilm;

import java.util.ArrayList;
import java.util.List;

/**
 * Float reference of the all-MiniLM-L6-v2 encoder (post-LayerNorm BERT) plus sentence-transformers
 * pooling. Activations are stored as float32 between operations, as ONNX Runtime does; sums (dot
 * products, softmax, LayerNorm statistics, GELU) run in double, so this is a slightly more exact
 * float32 model, not a bit-exact copy of any runtime. Plain loops on purpose: it is the yardstick
 * for the fixed-point datapath and should be easy to read against the paper math.
 */
public final class FloatEncoder {
  /** Added to attention scores of padding keys, as Hugging Face does (the lowest float32). */
  static final double MASKED_SCORE = -Float.MAX_VALUE;

  /**
   * The attention of one layer over projected q, k, v ([tokens][heads * headDim]), returning the
   * concatenated heads; {@link #attend} unless replaced (e.g. by CAM attention, {@link CamFloatAttention}).
   */
  @FunctionalInterface
  public interface Attention {
    float[][] attend(int layer, float[][] q, float[][] k, float[][] v, int numHeads, int[] mask);
  }

  private final MiniLmWeights weights;
  private final int numHeads;
  private final int headDim;
  private final double normEps;
  private final Attention attention;

  public FloatEncoder(MiniLmWeights weights) {
    this(weights, (layer, q, k, v, heads, mask) -> attend(q, k, v, heads, mask));
  }

  /** The float encoder with another attention in every layer. */
  public FloatEncoder(MiniLmWeights weights, Attention attention) {
    this.attention = attention;
    this.weights = weights;
    this.numHeads = weights.shape().numHeads();
    this.headDim = weights.shape().hiddenSize() / numHeads;
    this.normEps = weights.shape().normEps();
  }

  /** Encodes an unpadded sentence (every token attended). */
  public EncoderOutput encode(int[] inputIds) {
    int[] mask = new int[inputIds.length];
    java.util.Arrays.fill(mask, 1);
    return encode(inputIds, mask);
  }

  /**
   * Encodes one sentence; {@code attentionMask[t]} is 1 for real tokens and 0 for padding, which no
   * token attends to and which pooling skips. Token type is 0 throughout (single sentence).
   */
  public EncoderOutput encode(int[] inputIds, int[] attentionMask) {
    if (inputIds.length != attentionMask.length) {
      throw new IllegalArgumentException(inputIds.length + " ids but " + attentionMask.length + " mask values");
    }
    if (inputIds.length == 0 || inputIds.length > weights.positionEmbeddings().length) {
      throw new IllegalArgumentException("sequence length " + inputIds.length + " outside 1.."
          + weights.positionEmbeddings().length);
    }
    List<float[][]> states = new ArrayList<>();
    float[][] h = embed(inputIds);
    states.add(h);
    for (int l = 0; l < weights.layers().size(); l++) {
      h = encoderLayer(l, weights.layers().get(l), h, attentionMask);
      states.add(h);
    }
    return new EncoderOutput(states, meanPoolAndNormalize(h, attentionMask));
  }

  /** Word + position + type embeddings and their LayerNorm, [tokens][hidden]. */
  float[][] embed(int[] ids) {
    float[][] out = new float[ids.length][];
    for (int t = 0; t < ids.length; t++) {
      if (ids[t] < 0 || ids[t] >= weights.wordEmbeddings().length) {
        throw new IllegalArgumentException("token id " + ids[t] + " outside the vocabulary");
      }
      float[] word = weights.wordEmbeddings()[ids[t]];
      float[] pos = weights.positionEmbeddings()[t];
      float[] type = weights.tokenTypeEmbeddings()[0];
      float[] sum = new float[word.length];
      for (int i = 0; i < sum.length; i++) {
        sum[i] = (float) ((double) word[i] + pos[i] + type[i]);
      }
      out[t] = weights.embeddingNorm().apply(sum, normEps);
    }
    return out;
  }

  private float[][] encoderLayer(int layer, EncoderLayerWeights w, float[][] x, int[] mask) {
    float[][] context = selfAttention(layer, w, x, mask);
    float[][] out = new float[x.length][];
    for (int t = 0; t < x.length; t++) {
      out[t] = afterAttention(w, context[t], x[t], normEps);
    }
    return out;
  }

  /**
   * The rest of a post-LN block for one token, given its attention context (heads concatenated,
   * [hidden]) and the block's input x ([hidden]): LayerNorm(x + context W_O + b_O) = a, then
   * LayerNorm(a + GELU(a W_1 + b_1) W_2 + b_2). Returns [hidden].
   */
  static float[] afterAttention(EncoderLayerWeights w, float[] context, float[] x, double normEps) {
    float[] attended = w.attentionNorm().apply(add(w.attentionOutput().apply(context), x), normEps);
    float[] inner = w.intermediate().apply(attended);
    for (int i = 0; i < inner.length; i++) {
      inner[i] = (float) gelu(inner[i]);
    }
    return w.outputNorm().apply(add(w.output().apply(inner), attended), normEps);
  }

  /** Multi-head scaled dot-product attention; returns the concatenated heads, [tokens][hidden]. */
  private float[][] selfAttention(int layer, EncoderLayerWeights w, float[][] x, int[] mask) {
    int n = x.length;
    float[][] q = new float[n][];
    float[][] k = new float[n][];
    float[][] v = new float[n][];
    for (int t = 0; t < n; t++) {
      q[t] = w.query().apply(x[t]);
      k[t] = w.key().apply(x[t]);
      v[t] = w.value().apply(x[t]);
    }
    return attention.attend(layer, q, k, v, numHeads, mask);
  }

  /**
   * Scaled dot-product attention over already projected q, k, v ([tokens][heads * headDim]);
   * padding keys ({@code mask[j] == 0}) get {@link #MASKED_SCORE}. Returns the concatenated heads.
   */
  static float[][] attend(float[][] q, float[][] k, float[][] v, int numHeads, int[] mask) {
    int n = q.length;
    int headDim = q[0].length / numHeads;
    double scale = 1.0 / Math.sqrt(headDim);
    float[][] context = new float[n][numHeads * headDim];
    double[] probs = new double[n];
    for (int head = 0; head < numHeads; head++) {
      int off = head * headDim;
      for (int i = 0; i < n; i++) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
          double dot = 0;
          for (int d = 0; d < headDim; d++) {
            dot += (double) q[i][off + d] * k[j][off + d];
          }
          probs[j] = dot * scale + (mask[j] == 0 ? MASKED_SCORE : 0.0);
          max = Math.max(max, probs[j]);
        }
        double total = 0;
        for (int j = 0; j < n; j++) {
          probs[j] = Math.exp(probs[j] - max);
          total += probs[j];
        }
        for (int d = 0; d < headDim; d++) {
          double acc = 0;
          for (int j = 0; j < n; j++) {
            acc += probs[j] * v[j][off + d];
          }
          context[i][off + d] = (float) (acc / total);
        }
      }
    }
    return context;
  }

  /** sentence-transformers pooling: mean over real tokens, then divide by the L2 norm. */
  static float[] meanPoolAndNormalize(float[][] h, int[] mask) {
    int hidden = h[0].length;
    double[] mean = new double[hidden];
    int count = 0;
    for (int t = 0; t < h.length; t++) {
      if (mask[t] != 0) {
        count++;
        for (int i = 0; i < hidden; i++) {
          mean[i] += h[t][i];
        }
      }
    }
    double norm = 0;
    for (int i = 0; i < hidden; i++) {
      mean[i] /= Math.max(count, 1);
      norm += mean[i] * mean[i];
    }
    norm = Math.max(Math.sqrt(norm), 1e-12); // same floor as torch.nn.functional.normalize
    float[] out = new float[hidden];
    for (int i = 0; i < hidden; i++) {
      out[i] = (float) (mean[i] / norm);
    }
    return out;
  }

  /** BERT's exact GELU: x/2 * (1 + erf(x / sqrt 2)). */
  static double gelu(double x) {
    return 0.5 * x * (1.0 + Erf.erf(x / Math.sqrt(2.0)));
  }

  private static float[] add(float[] a, float[] b) {
    float[] s = new float[a.length];
    for (int i = 0; i < a.length; i++) {
      s[i] = a[i] + b[i];
    }
    return s;
  }
}
