package pimforge.layer;

import java.util.EnumMap;
import java.util.Map;
import pimforge.golden.softmax.SoftmaxConfig;
import pimforge.layer.ScratchLayout.ChannelConfig;
import pimforge.layer.ScratchLayout.SfuConfig;
import pimforge.params.AttentionParams.Schedule;
import pimforge.params.HwParams;
import pimforge.params.ModelShape;
import pimforge.params.ParamError;

/**
 * Static calibration and quantization of a {@link FloatLayer}: scales come from a float forward
 * pass ({@link FloatLayer.Trace}, one or several calibration sequences concatenated with
 * {@link FloatLayer.Trace#concat}). The scheme (measured on all-MiniLM-L6-v2's real weights:
 * sentence cosine 0.99+ at 8-bit weights and inputs; see README "Accuracy"):
 *
 * <ul>
 *   <li>Weights: symmetric per output channel (kT of DECOMPOSED: per hidden channel, the kT bank's
 *       output column), so a column of small weights keeps its precision. Every product is
 *       requantized by the SFU's per-channel table (REQUANT_CHANNELS), which undoes the column's
 *       scale. Rotary Q/K keep one scale for all columns: the qRot/kRot banks permute columns and
 *       share Q's/K's table.
 *   <li>Tensors entering banks from the SFU's activation format get per-channel scales,
 *       SmoothQuant-style: s_i = c * xmax_i^alpha / wmax_i^(1 - alpha) (alpha {@link #SMOOTHING_ALPHA},
 *       c the smallest factor that keeps every calibrated channel within the input range), folded
 *       into row i of the weights that read them. The SFU copies them into those scales
 *       (REQUANT_CHANNELS): the attention input (into tw), the FFN input (into fq) and the
 *       activation output (in place). With one grid per tensor, outlier channels (LayerNorm outputs
 *       up to ~10, GELU outputs up to ~24 in MiniLM) either clip or make every other channel's
 *       step coarse. An activation format no wider than the bank input is copied unchanged.
 *   <li>Non-negative bank inputs enter unsigned (MVM UNSIGNED_INPUT: 0..2^inputBits - 1, one bit
 *       more than the signed range): the softmax probabilities (shift max(0, outputBits -
 *       inputBits)) and, without a gate, the activation output, which the activation table offsets
 *       by z = sfuDerived.activationOffset LSBs to make it non-negative; its per-channel scales
 *       cover act + z and z * sum_i W_down[i][o] (with the quantized weights) is subtracted from the
 *       FFN-down bias. MiniLM at 8-bit inputs: min sentence cosine 0.985 -> 0.992.
 *   <li>Q, K, V, Q W_K^T and P X: per-tensor max / qmax with qmax = min(inputBits, actBits)
 *       maximum (K, V and the DECOMPOSED copy of T are written as weights: min(weightMax, actMax)).
 *   <li>The attention-output and FFN-down results and both residual sums use power-of-two scales
 *       covering their range (the SFU residual add aligns operands by shifts only). The FFN-up
 *       result is requantized to the activation format 2^-actFracBits (the activation table's
 *       input). Gated FFN: the gate result takes that format instead, the up result a power-of-two
 *       scale covering its range, and their element-wise product (SFU MULTIPLY, an output shift
 *       only) the power-of-two scale covering act(gate) * up.
 * </ul>
 */
public final class LayerQuantizer {
  /**
   * SmoothQuant migration strength of the bank-input scales. MiniLM, 16 sentences of 4..128
   * tokens, 8-bit banks: see README "Accuracy on all-MiniLM-L6-v2" (0.5 and 0.9 on the two longest
   * sentences: within 0.005 of 0.75 either way).
   */
  public static final double SMOOTHING_ALPHA = 0.75;

  private LayerQuantizer() {}

  public static QuantizedLayer quantize(HwParams p, FloatLayer f, FloatLayer.Trace cal) {
    ModelShape m = p.model();
    boolean decomposed = p.attention().schedule() == Schedule.DECOMPOSED;
    boolean rotary = m.features().rope() != null;
    int fBits = p.sfu().actFracBits();
    long actMax = (1L << (p.sfu().actBits() - 1)) - 1;
    long inMax = (1L << (p.precision().inputBits() - 1)) - 1;
    long qIn = Math.min(inMax, actMax);
    long qW = Math.min(p.precision().weightMax(), actMax);
    double sAct = StrictMath.scalb(1.0, -fBits);
    Map<SfuConfig, SfuSetting> sfu = new EnumMap<>(SfuConfig.class);
    Map<ChannelConfig, ChannelTable> ch = new EnumMap<>(ChannelConfig.class);

    // An activation format no wider than the bank inputs enters them unchanged: another grid would
    // only add a second rounding (measured on 8.4 SFUs: cosine 0.989 instead of 0.992 at 2 tokens).
    boolean keepGrid = actMax <= Math.min(inMax, decomposed ? p.precision().weightMax() : inMax);
    // Attention input T at per-channel scales sT (DECOMPOSED also writes it into crossbars).
    double[] sT = keepGrid ? uniform(m.hiddenSize(), sAct)
        : smooth(channelMax(cal.attnIn()), decomposed ? Math.min(qIn, qW) : qIn, f.wq(), f.wk(), f.wv());
    ch.put(ChannelConfig.TW, ChannelTable.of(p, divide(sAct, sT), "attention input"));
    // Rotary models: Q and K are requantized before the rotation and used after it; cover both.
    double sQ = scale(Math.max(maxAbs(cal.q()), maxAbs(cal.qPre())), qIn);
    Weights wq = Weights.columns(scaleRows(f.wq(), sT), p, rotary);
    ch.put(ChannelConfig.Q, ChannelTable.of(p, multiply(wq.scale(), 1 / sQ), "Q"));
    // Probabilities (unsigned outputBits) enter the banks unsigned (MVM UNSIGNED_INPUT).
    int shP = Math.max(0, p.softmax().outputBits() - p.precision().inputBits());
    double sP = StrictMath.scalb(1.0, shP - p.softmax().outputBits());
    double sC = scale(maxAbs(cal.ctx()), qIn);
    // 1/sqrt(headDim), or the model's own score scale (Gemma-2 query_pre_attn_scalar, GPT-Neo: none).
    double rootD = Math.sqrt(m.features().queryScaleDim() > 0 ? m.features().queryScaleDim() : m.headDim());
    int[][] wkq;
    long[] bk;
    int[][] wvq;
    long[] bv;
    SoftmaxConfig softmax;
    SoftmaxConfig[] camSoftmax = null;
    if (decomposed) {
      // kT's output column c is hidden channel c: W_K' = diag(sT) W_K quantized per row.
      Weights kT = Weights.columns(transpose(scaleRows(f.wk(), sT)), p, false);
      wkq = transposeInt(kT.q());
      bk = new long[m.kvDim()];
      // Q W_K'^T, channel c = (Q W_K^T)_c * sT_c (the fold of T's scale), per tensor.
      double sQk = 0;
      for (double[][] head : cal.qk()) {
        for (double[] row : head) {
          for (int c = 0; c < row.length; c++) {
            sQk = Math.max(sQk, Math.abs(row[c] * sT[c]));
          }
        }
      }
      sQk = scale(sQk, qIn);
      double[] qkFactors = new double[m.hiddenSize()];
      for (int c = 0; c < qkFactors.length; c++) {
        qkFactors[c] = sQ * kT.scale()[c] / sQk;
      }
      ch.put(ChannelConfig.QK, ChannelTable.of(p, qkFactors, "Q W_K^T"));
      // P T at the scales sT * u (P is a convex combination: |P T_c| / sT_c stays within T's range).
      double u = 0;
      for (double[][] head : cal.px()) {
        for (double[] row : head) {
          for (int c = 0; c < row.length; c++) {
            u = Math.max(u, Math.abs(row[c]) / sT[c]);
          }
        }
      }
      u = scale(u, qIn);
      sfu.put(SfuConfig.PX, SfuSetting.requant(p, sP / u, "P X"));
      Weights wv = Weights.columns(scaleRows(f.wv(), sT), p, false);
      wvq = wv.q();
      double[] accV = multiply(wv.scale(), u);
      bv = bias(f.bv(), accV);
      ch.put(ChannelConfig.CTX, ChannelTable.of(p, multiply(accV, 1 / sC), "context"));
      softmax = softmaxConfig(p, sQk / rootD);
    } else {
      double sK = scale(Math.max(maxAbs(cal.k()), maxAbs(cal.kPre())), qW);
      double sV = scale(maxAbs(cal.v()), qW);
      Weights wk = Weights.columns(scaleRows(f.wk(), sT), p, rotary);
      Weights wv = Weights.columns(scaleRows(f.wv(), sT), p, false);
      wkq = wk.q();
      wvq = wv.q();
      bk = bias(f.bk(), wk.scale());
      bv = bias(f.bv(), wv.scale());
      ch.put(ChannelConfig.K, ChannelTable.of(p, multiply(wk.scale(), 1 / sK), "K"));
      ch.put(ChannelConfig.V, ChannelTable.of(p, multiply(wv.scale(), 1 / sV), "V"));
      sfu.put(SfuConfig.CTX, SfuSetting.requant(p, sP * sV / sC, "context"));
      softmax = softmaxConfig(p, sQ * sK / rootD);
      if (p.cam().enabled()) {
        camSoftmax = CamSoftmaxScale.of(p, cal.q(), cal.k(), sQ, sK, rootD);
      }
    }
    long[][] alibi = null;
    if (m.features().positions() == pimforge.params.ModelFeatures.Positions.ALIBI) {
      double[] slopes = Alibi.slopes(m.numHeads());
      double perRaw = softmax.scale(p);
      alibi = new long[slopes.length][];
      for (int h = 0; h < slopes.length; h++) {
        alibi[h] = Alibi.encode(slopes[h] / perRaw);
      }
    }
    Weights wo = Weights.columns(f.wo(), p, false);
    double[] accO = multiply(wo.scale(), sC);
    int eA = pow2Exponent(maxAbs(cal.attnOut()), actMax);
    ch.put(ChannelConfig.ATTN_OUT, ChannelTable.of(p, multiply(accO, StrictMath.scalb(1.0, -eA)), "attention output"));
    int eR1 = residual(sfu, SfuConfig.RES1, eA, -fBits, maxAbs(cal.resid1()), actMax, "attention");
    // FFN input at per-channel scales sN.
    double[] sN = actMax <= inMax ? uniform(m.hiddenSize(), sAct)
        : m.gatedFfn() ? smooth(channelMax(cal.ffnIn()), qIn, f.wUp(), f.wGate())
        : smooth(channelMax(cal.ffnIn()), qIn, f.wUp());
    ch.put(ChannelConfig.FFN_IN, ChannelTable.of(p, divide(sAct, sN), "FFN input"));
    Weights wUp = Weights.columns(scaleRows(f.wUp(), sN), p, false);
    // eAct: the FFN-down input's scale exponent (the activation format 2^-actFracBits, or for a
    // gated FFN the product's power-of-two scale).
    int eAct = -fBits;
    Weights wGate = null;
    long[] bGate = null;
    if (m.gatedFfn()) {
      // gate -> activation format (the activation table's input), ACTIVATE; up -> 2^eU covering its
      // range; MULTIPLY gives round(g * u >> s) in 2^(s + eU - actFracBits) units, s >= 0.
      wGate = Weights.columns(scaleRows(f.wGate(), sN), p, false);
      ch.put(ChannelConfig.FFN_GATE, ChannelTable.of(p, multiply(wGate.scale(), 1 / sAct), "FFN gate"));
      bGate = bias(f.bGate(), wGate.scale());
      int eU = pow2Exponent(maxAbs(cal.up()), actMax);
      ch.put(ChannelConfig.FFN_UP, ChannelTable.of(p, multiply(wUp.scale(), StrictMath.scalb(1.0, -eU)), "FFN up"));
      eAct = Math.max(pow2Exponent(maxAbs(cal.act()), actMax), eU - fBits);
      sfu.put(SfuConfig.GATE_MUL, SfuSetting.multiply(eAct - eU + fBits, "FFN gate * up"));
    } else {
      ch.put(ChannelConfig.FFN_UP, ChannelTable.of(p, multiply(wUp.scale(), 1 / sAct), "FFN up"));
    }
    // The activation output enters FFN-down at per-channel scales sG, folded into W_down's rows.
    // Without a gate it is act(x) + z >= 0 (z = sfuDerived.activationOffset LSBs, added by the
    // activation table) and enters the banks unsigned; z * sum_i W_down[i] leaves through the bias.
    boolean unsignedDown = LayerProgram.ffnDownInputUnsigned(m);
    double z = unsignedDown ? StrictMath.scalb((double) p.sfuDerived().activationOffset(), -fBits) : 0;
    double[] sG = actMax <= inMax ? uniform(m.ffnSize(), StrictMath.scalb(1.0, eAct))
        : smooth(plus(channelMax(cal.act()), z), unsignedDown ? 2 * inMax + 1 : qIn, f.wDown());
    ch.put(ChannelConfig.ACT, ChannelTable.of(p, divide(StrictMath.scalb(1.0, eAct), sG), "activation output"));
    Weights wDown = Weights.columns(scaleRows(f.wDown(), sG), p, false);
    double[] accD = wDown.scale();
    long[] bDown = bias(f.bDown(), accD);
    for (int o = 0; o < bDown.length; o++) {
      double offset = 0;
      for (int i = 0; i < sG.length; i++) {
        offset += z / sG[i] * wDown.q()[i][o];
      }
      bDown[o] -= Math.round(offset);
    }
    int eD = pow2Exponent(maxAbs(cal.down()), actMax);
    ch.put(ChannelConfig.FFN_DOWN, ChannelTable.of(p, multiply(accD, StrictMath.scalb(1.0, -eD)), "FFN down"));
    int eBase = m.preNorm() ? eR1 : -fBits;
    int eR2 = residual(sfu, SfuConfig.RES2, eD, eBase, maxAbs(cal.resid2()), actMax, "FFN");
    long[][] n1 = normParams(p, f.gamma1(), f.beta1());
    long[][] n2 = normParams(p, f.gamma2(), f.beta2());
    return new QuantizedLayer(wq.q(), bias(f.bq(), wq.scale()), wkq, bk, wvq, bv,
        wo.q(), bias(f.bo(), accO), wUp.q(), bias(f.bUp(), wUp.scale()),
        wDown.q(), bDown, n1[0], n1[1], n2[0], n2[1], sfu, ch, softmax,
        shP, -fBits, m.preNorm() ? eR2 : -fBits, wGate == null ? null : wGate.q(), bGate, alibi, camSoftmax);
  }

  /**
   * SmoothQuant scales of a bank input: t_i = xmax_i^alpha / wmax_i^(1 - alpha) with wmax_i the
   * largest |w| in row i of the weights that read it; s_i = c t_i with the smallest c that keeps
   * every xmax_i / s_i within qmax.
   */
  static double[] smooth(double[] xmax, long qmax, double[][]... weights) {
    return smooth(xmax, qmax, SMOOTHING_ALPHA, weights);
  }

  static double[] smooth(double[] xmax, long qmax, double alpha, double[][]... weights) {
    int n = xmax.length;
    double[] t = new double[n];
    double c = 0;
    for (int i = 0; i < n; i++) {
      double wmax = 0;
      for (double[][] w : weights) {
        for (double v : w[i]) {
          wmax = Math.max(wmax, Math.abs(v));
        }
      }
      double x = Math.max(xmax[i], 1e-6);
      t[i] = Math.pow(x, alpha) / Math.pow(Math.max(wmax, 1e-6), 1 - alpha);
      c = Math.max(c, x / t[i] / qmax);
    }
    for (int i = 0; i < n; i++) {
      t[i] *= c;
    }
    return t;
  }

  /** The softmax unit's runtime scale for real logits per raw score unit. */
  private static SoftmaxConfig softmaxConfig(HwParams p, double scale) {
    try {
      return SoftmaxConfig.forScale(p, scale);
    } catch (IllegalArgumentException e) {
      throw new ParamError("softmax.scaleBits", "is " + p.softmax().scaleBits() + ": the layer's score scale "
          + scale + " does not fit the softmax multiplier (" + e.getMessage() + ")");
    }
  }

  /** Symmetric weights within weightBits, one scale per column (or one for all: {@code perTensor}). */
  record Weights(int[][] q, double[] scale) {
    static Weights columns(double[][] w, HwParams p, boolean perTensor) {
      int wMax = p.precision().weightMax();
      int in = w.length;
      int out = w[0].length;
      double[] s = new double[out];
      for (int o = 0; o < out; o++) {
        double mx = 0;
        for (int i = 0; i < in; i++) {
          mx = Math.max(mx, Math.abs(w[i][o]));
        }
        s[o] = mx;
      }
      if (perTensor) {
        java.util.Arrays.fill(s, java.util.Arrays.stream(s).max().orElse(0));
      }
      int[][] q = new int[in][out];
      for (int o = 0; o < out; o++) {
        s[o] = LayerQuantizer.scale(s[o], wMax);
        for (int i = 0; i < in; i++) {
          q[i][o] = (int) Math.max(-wMax, Math.min(wMax, Math.round(w[i][o] / s[o])));
        }
      }
      return new Weights(q, s);
    }
  }

  /** Row i of w times s[i] (a bank input's per-channel scale folded into the weights that read it). */
  static double[][] scaleRows(double[][] w, double[] s) {
    double[][] y = new double[w.length][];
    for (int i = 0; i < w.length; i++) {
      y[i] = new double[w[i].length];
      for (int o = 0; o < w[i].length; o++) {
        y[i][o] = w[i][o] * s[i];
      }
    }
    return y;
  }

  private static double[][] transpose(double[][] w) {
    double[][] t = new double[w[0].length][w.length];
    for (int i = 0; i < w.length; i++) {
      for (int o = 0; o < w[0].length; o++) {
        t[o][i] = w[i][o];
      }
    }
    return t;
  }

  private static int[][] transposeInt(int[][] w) {
    int[][] t = new int[w[0].length][w.length];
    for (int i = 0; i < w.length; i++) {
      for (int o = 0; o < w[0].length; o++) {
        t[o][i] = w[i][o];
      }
    }
    return t;
  }

  private static double[] uniform(int n, double v) {
    double[] y = new double[n];
    java.util.Arrays.fill(y, v);
    return y;
  }

  /** a[i] + k per element. */
  private static double[] plus(double[] a, double k) {
    double[] y = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      y[i] = a[i] + k;
    }
    return y;
  }

  /** a / b[i] per element. */
  private static double[] divide(double a, double[] b) {
    double[] y = new double[b.length];
    for (int i = 0; i < b.length; i++) {
      y[i] = a / b[i];
    }
    return y;
  }

  private static double[] multiply(double[] a, double k) {
    double[] y = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      y[i] = a[i] * k;
    }
    return y;
  }

  /** Per-channel max |x| over the tokens of x [token][channel]. */
  static double[] channelMax(double[][] x) {
    double[] m = new double[x[0].length];
    for (double[] row : x) {
      for (int c = 0; c < row.length; c++) {
        m[c] = Math.max(m[c], Math.abs(row[c]));
      }
    }
    return m;
  }

  /** Shifts aligning a (scale 2^ea) and b (2^eb); the sum gets the power-of-two scale covering sumMax. */
  private static int residual(Map<SfuConfig, SfuSetting> sfu, SfuConfig c, int ea, int eb, double sumMax,
      long actMax, String what) {
    int common = Math.min(ea, eb);
    int eOut = Math.max(common, pow2Exponent(sumMax, actMax));
    sfu.put(c, SfuSetting.residual(ea - common, eb - common, eOut - common, what));
    return eOut;
  }

  /** Smallest e with maxAbs / 2^e <= qmax. */
  static int pow2Exponent(double maxAbs, long qmax) {
    return maxAbs <= 0 ? -30 : (int) Math.ceil(Math.log(maxAbs / qmax) / Math.log(2) - 1e-12);
  }

  private static double scale(double maxAbs, long qmax) {
    return maxAbs > 0 ? maxAbs / qmax : 1.0 / qmax;
  }

  /** The bias in accumulator units of each output column. */
  private static long[] bias(double[] b, double[] accScale) {
    long[] q = new long[b.length];
    for (int i = 0; i < b.length; i++) {
      q[i] = Math.round(b[i] / accScale[i]);
    }
    return q;
  }

  private static long[][] normParams(HwParams p, double[] gamma, double[] beta) {
    long max = (1L << (p.sfu().gammaBits() - 1)) - 1;
    int frac = p.sfu().gammaFracBits();
    long[][] gb = new long[2][gamma.length];
    for (int i = 0; i < gamma.length; i++) {
      gb[0][i] = Math.max(-max - 1, Math.min(max, Math.round(StrictMath.scalb(gamma[i], frac))));
      gb[1][i] = Math.max(-max - 1, Math.min(max, Math.round(StrictMath.scalb(beta[i], frac))));
    }
    return gb;
  }

  static double maxAbs(double[][] x) {
    double m = 0;
    for (double[] row : x) {
      for (double v : row) {
        m = Math.max(m, Math.abs(v));
      }
    }
    return m;
  }

  static double maxAbs(double[][][] x) {
    double m = 0;
    for (double[][] t : x) {
      m = Math.max(m, maxAbs(t));
    }
    return m;
  }
}
