package pimforge.layer;

import pimforge.golden.sfu.ActivationFunctions;
import pimforge.params.ModelShape;

/**
 * One Transformer layer in plain double math, the accuracy reference of the quantized layer:
 * multi-head attention (grouped-query when numKvHeads < numHeads) with softmax over the real
 * tokens (causal for decoders: token i attends to tokens 0..i), residual adds, LayerNorm or RMSNorm, FFN with the model's activation. Order follows
 * model.preNorm: post-LN (BERT) attn -> add -> norm1 -> FFN -> add -> norm2; pre-LN (GPT)
 * norm1 -> attn -> add -> norm2 -> FFN -> add. Matrices are [in][out] (y = x W + b). The FFN is
 * act(x W_up + b_up) W_down + b_down, or with a gated FFN (shape.gatedFfn: Llama SwiGLU, Gemma
 * GeGLU; Shazeer 2020, "GLU Variants Improve Transformer") (act(x W_gate + b_gate) * (x W_up + b_up))
 * W_down + b_down.
 *
 * @param wGate gate projection [hidden][ffn] of a gated FFN, null otherwise
 * @param bGate its bias (zeros for Llama, which has none), null otherwise
 */
public record FloatLayer(ModelShape shape, double[][] wq, double[] bq, double[][] wk, double[] bk,
    double[][] wv, double[] bv, double[][] wo, double[] bo, double[][] wUp, double[] bUp,
    double[][] wDown, double[] bDown, double[] gamma1, double[] beta1, double[] gamma2, double[] beta2,
    double[][] wGate, double[] bGate) {

  public FloatLayer {
    if (shape.gatedFfn() != (wGate != null) || (wGate == null) != (bGate == null)) {
      throw new IllegalArgumentException("gate weights must be given exactly for a gated FFN");
    }
  }

  /** A layer with an ungated FFN. */
  public FloatLayer(ModelShape shape, double[][] wq, double[] bq, double[][] wk, double[] bk,
      double[][] wv, double[] bv, double[][] wo, double[] bo, double[][] wUp, double[] bUp,
      double[][] wDown, double[] bDown, double[] gamma1, double[] beta1, double[] gamma2, double[] beta2) {
    this(shape, wq, bq, wk, bk, wv, bv, wo, bo, wUp, bUp, wDown, bDown, gamma1, beta1, gamma2, beta2, null, null);
  }

  /**
   * Every intermediate tensor of one forward pass ([token][feature]; per-head tensors [head][token][feature]).
   * attnIn is X (post-LN) or norm1(X) (pre-LN); qk[h] = Q_h W_K,h^T and px[h] = P_h attnIn are the
   * DECOMPOSED schedule's intermediate vectors; resid1 = X + attnOut; ffnIn = norm1(resid1)
   * (post-LN), norm2(resid1) (pre-LN), attnIn (parallel block sharing one norm) or norm2(X)
   * (parallel block with two norms); up = ffnIn W_up + b_up; act the input of FFN-down:
   * activation(up), or for a gated FFN gateAct * up with gate = ffnIn W_gate + b_gate and
   * gateAct = activation(gate) (both null when ungated); resid2 = ffnBase + ffnDown; out the
   * layer output. q and k are rotated for rotary models (RoPE); qPre and kPre are the projections
   * before the rotation (the same arrays when there is none).
   */
  public record Trace(double[][] x, double[][] attnIn, double[][] q, double[][] k, double[][] v,
      double[][][] qk, double[][][] px, double[][] ctx, double[][] attnOut, double[][] resid1,
      double[][] ffnIn, double[][] up, double[][] act, double[][] down, double[][] resid2, double[][] out,
      double[][] gate, double[][] gateAct, double[][] qPre, double[][] kPre) {

    /**
     * Several sequences' traces as one calibration set: every tensor's token rows concatenated
     * (per-head tensors per head). Only maxima are read from it, never attention
     * across sequences.
     */
    public static Trace concat(java.util.List<Trace> traces) {
      if (traces.size() == 1) {
        return traces.get(0);
      }
      java.util.function.Function<java.util.function.Function<Trace, double[][]>, double[][]> rows = f -> {
        if (f.apply(traces.get(0)) == null) {
          return null;
        }
        return traces.stream().flatMap(t -> java.util.Arrays.stream(f.apply(t))).toArray(double[][]::new);
      };
      java.util.function.Function<java.util.function.Function<Trace, double[][][]>, double[][][]> heads = f -> {
        double[][][] y = new double[f.apply(traces.get(0)).length][][];
        for (int h = 0; h < y.length; h++) {
          int hh = h;
          y[h] = traces.stream().flatMap(t -> java.util.Arrays.stream(f.apply(t)[hh])).toArray(double[][]::new);
        }
        return y;
      };
      return new Trace(rows.apply(Trace::x), rows.apply(Trace::attnIn), rows.apply(Trace::q), rows.apply(Trace::k),
          rows.apply(Trace::v), heads.apply(Trace::qk), heads.apply(Trace::px), rows.apply(Trace::ctx),
          rows.apply(Trace::attnOut), rows.apply(Trace::resid1), rows.apply(Trace::ffnIn), rows.apply(Trace::up),
          rows.apply(Trace::act), rows.apply(Trace::down), rows.apply(Trace::resid2), rows.apply(Trace::out),
          rows.apply(Trace::gate), rows.apply(Trace::gateAct), rows.apply(Trace::qPre), rows.apply(Trace::kPre));
    }
  }

  public double[][] forward(double[][] x) {
    return trace(x).out();
  }

  public Trace trace(double[][] x) {
    ModelShape m = shape;
    boolean pre = m.preNorm();
    double[][] attnIn = pre ? norm(x, gamma1, beta1) : x;
    double[][] q = linear(attnIn, wq, bq);
    double[][] k = linear(attnIn, wk, bk);
    double[][] qPre = q;
    double[][] kPre = k;
    if (m.features().rope() != null) {
      // Rotary models rotate Q and K of every head at the token's position (token t at position t).
      qPre = copy(q);
      kPre = copy(k);
      RotaryEmbedding.apply(q, m.numHeads(), m.headDim(), m.features().rope(), 0);
      RotaryEmbedding.apply(k, m.numKvHeads(), m.headDim(), m.features().rope(), 0);
    }
    double[][] v = linear(attnIn, wv, bv);
    int n = x.length;
    int hd = m.headDim();
    int groups = m.numHeads() / m.numKvHeads();
    // Decoders (GPT-2, OPT, Llama) mask future tokens: query i attends to keys 0..i only
    // (Radford et al. 2018/2019, Vaswani et al. 2017, section 3.2.3). Encoders see every token.
    boolean causal = m.family() == ModelShape.Family.DECODER;
    // Scores are divided by sqrt(headDim), or sqrt(query_pre_attn_scalar) (Gemma-2; 1 for GPT-Neo).
    double scaleDim = m.features().queryScaleDim() > 0 ? m.features().queryScaleDim() : hd;
    // ALiBi (BLOOM): head h adds m_h * j to the score of key j.
    double[] alibi = m.features().positions() == pimforge.params.ModelFeatures.Positions.ALIBI
        ? Alibi.slopes(m.numHeads()) : null;
    double[][] ctx = new double[n][m.qDim()];
    double[][][] qk = new double[m.numHeads()][n][m.hiddenSize()];
    double[][][] px = new double[m.numHeads()][n][m.hiddenSize()];
    for (int h = 0; h < m.numHeads(); h++) {
      int qo = h * hd;
      int ko = (h / groups) * hd;
      for (int i = 0; i < n; i++) {
        int keys = causal ? i + 1 : n;
        double[] s = new double[keys];
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < keys; j++) {
          double dot = 0;
          for (int d = 0; d < hd; d++) {
            dot += q[i][qo + d] * k[j][ko + d];
          }
          s[j] = dot / Math.sqrt(scaleDim) + (alibi == null ? 0 : alibi[h] * j);
          max = Math.max(max, s[j]);
        }
        double sum = 0;
        for (int j = 0; j < keys; j++) {
          s[j] = Math.exp(s[j] - max);
          sum += s[j];
        }
        for (int j = 0; j < keys; j++) {
          double pj = s[j] / sum;
          for (int d = 0; d < hd; d++) {
            ctx[i][qo + d] += pj * v[j][ko + d];
          }
          for (int c = 0; c < m.hiddenSize(); c++) {
            px[h][i][c] += pj * attnIn[j][c];
          }
        }
        for (int c = 0; c < m.hiddenSize(); c++) {
          double dot = 0;
          for (int d = 0; d < hd; d++) {
            dot += q[i][qo + d] * wk[c][ko + d];
          }
          qk[h][i][c] = dot;
        }
      }
    }
    double[][] attnOut = linear(ctx, wo, bo);
    double[][] resid1 = add(x, attnOut);
    // Parallel blocks (GPT-J, Phi-2, Falcon, GPT-NeoX use_parallel_residual; pre-LN by definition):
    // y = x + attn(norm1(x)) + ffn(norm(x)), the FFN reading norm1(x) (one shared norm) or norm2(x).
    double[][] ffnIn = switch (m.features().block()) {
      case PARALLEL_SHARED_NORM -> attnIn;
      case PARALLEL_TWO_NORMS -> norm(x, gamma2, beta2);
      case SEQUENTIAL -> pre ? norm(resid1, gamma2, beta2) : norm(resid1, gamma1, beta1);
    };
    double[][] up = linear(ffnIn, wUp, bUp);
    double[][] gate = m.gatedFfn() ? linear(ffnIn, wGate, bGate) : null;
    double[][] gateAct = m.gatedFfn() ? new double[n][] : null;
    double[][] act = new double[n][];
    for (int i = 0; i < n; i++) {
      act[i] = new double[up[i].length];
      if (m.gatedFfn()) {
        gateAct[i] = new double[up[i].length];
      }
      for (int c = 0; c < up[i].length; c++) {
        if (m.gatedFfn()) {
          gateAct[i][c] = ActivationFunctions.apply(m.activation(), gate[i][c]);
          act[i][c] = gateAct[i][c] * up[i][c];
        } else {
          act[i][c] = ActivationFunctions.apply(m.activation(), up[i][c]);
        }
      }
    }
    double[][] down = linear(act, wDown, bDown);
    double[][] resid2 = add(pre ? resid1 : ffnIn, down);
    double[][] out = pre ? resid2 : norm(resid2, gamma2, beta2);
    return new Trace(x, attnIn, q, k, v, qk, px, ctx, attnOut, resid1, ffnIn, up, act, down, resid2, out, gate,
        gateAct, qPre, kPre);
  }

  private static double[][] copy(double[][] a) {
    double[][] c = new double[a.length][];
    for (int i = 0; i < a.length; i++) {
      c[i] = a[i].clone();
    }
    return c;
  }

  static double[][] linear(double[][] x, double[][] w, double[] b) {
    double[][] y = new double[x.length][w[0].length];
    for (int t = 0; t < x.length; t++) {
      for (int o = 0; o < w[0].length; o++) {
        double s = b[o];
        for (int i = 0; i < w.length; i++) {
          s += x[t][i] * w[i][o];
        }
        y[t][o] = s;
      }
    }
    return y;
  }

  private static double[][] add(double[][] a, double[][] b) {
    double[][] y = new double[a.length][a[0].length];
    for (int t = 0; t < a.length; t++) {
      for (int c = 0; c < a[0].length; c++) {
        y[t][c] = a[t][c] + b[t][c];
      }
    }
    return y;
  }

  private double[][] norm(double[][] x, double[] g, double[] b) {
    double[][] y = new double[x.length][x[0].length];
    int n = x[0].length;
    for (int t = 0; t < x.length; t++) {
      double mean = 0;
      if (shape.norm() == ModelShape.Norm.LAYERNORM) {
        for (double v : x[t]) {
          mean += v / n;
        }
      }
      double var = 0;
      for (double v : x[t]) {
        var += (v - mean) * (v - mean) / n;
      }
      double inv = 1 / Math.sqrt(var + shape.normEps());
      for (int c = 0; c < n; c++) {
        y[t][c] = (x[t][c] - mean) * inv * g[c] + b[c];
      }
    }
    return y;
  }
}
