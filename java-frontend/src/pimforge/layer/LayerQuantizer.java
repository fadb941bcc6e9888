package pimforge.layer;

import java.util.EnumMap;
import java.util.Map;
import pimforge.golden.softmax.SoftmaxConfig;
import pimforge.layer.ScratchLayout.SfuConfig;
import pimforge.params.AttentionParams.Schedule;
import pimforge.params.HwParams;
import pimforge.params.ModelShape;
import pimforge.params.ParamError;

/**
 * Static calibration and quantization of a {@link FloatLayer}: scales come from the max |value| of
 * each tensor in a float forward pass ({@link FloatLayer.Trace}) on calibration input.
 *
 * <ul>
 *   <li>Tensors entering a bank as inputs (Q, context, and for DECOMPOSED Q W_K^T and P X) get
 *       scale max/qmax with qmax = min(inputBits, actBits) maximum; K, V and the DECOMPOSED X copy
 *       are written as weights: qmax = min(weightMax, actMax).
 *   <li>SFU-format tensors (2^-actFracBits) enter banks through the MVM rounding shift: the
 *       smallest shift that brings their range into inputBits.
 *   <li>The attention-output and FFN-down results and both residual sums use power-of-two scales
 *       covering their range (the SFU residual add aligns operands by shifts only). Norms are
 *       scale-invariant, so a residual sum may have any power-of-two scale.
 *   <li>The FFN-up result is requantized to the activation format 2^-actFracBits (the activation
 *       table's input). Gated FFN: the gate result takes that format instead, the up result a
 *       power-of-two scale covering its range, and their element-wise product (SFU MULTIPLY, an
 *       output shift only) the power-of-two scale covering act(gate) * up.
 * </ul>
 */
public final class LayerQuantizer {
  private LayerQuantizer() {}

  public static QuantizedLayer quantize(HwParams p, FloatLayer f, FloatLayer.Trace cal) {
    ModelShape m = p.model();
    boolean decomposed = p.attention().schedule() == Schedule.DECOMPOSED;
    int fBits = p.sfu().actFracBits();
    long actMax = (1L << (p.sfu().actBits() - 1)) - 1;
    long inMax = (1L << (p.precision().inputBits() - 1)) - 1;
    long qIn = Math.min(inMax, actMax);
    long qW = Math.min(p.precision().weightMax(), actMax);
    double sAct = StrictMath.scalb(1.0, -fBits);

    Weights wq = Weights.of(f.wq(), p);
    Weights wk = Weights.of(f.wk(), p);
    Weights wv = Weights.of(f.wv(), p);
    Weights wo = Weights.of(f.wo(), p);
    Weights wUp = Weights.of(f.wUp(), p);
    Weights wDown = Weights.of(f.wDown(), p);
    Weights wGate = m.gatedFfn() ? Weights.of(f.wGate(), p) : null;
    Map<SfuConfig, SfuSetting> sfu = new EnumMap<>(SfuConfig.class);

    int shT = inputShift(maxAbs(cal.attnIn()), fBits, inMax);
    double sTin = StrictMath.scalb(1.0, shT - fBits);
    // Rotary models: Q and K are requantized before the rotation and used after it; cover both.
    double sQ = scale(Math.max(maxAbs(cal.q()), maxAbs(cal.qPre())), qIn);
    sfu.put(SfuConfig.Q, SfuSetting.requant(p, sTin * wq.scale() / sQ, "Q"));
    int shP = Math.max(0, p.softmax().outputBits() + 1 - p.precision().inputBits());
    double sP = StrictMath.scalb(1.0, shP - p.softmax().outputBits());
    double sC = scale(maxAbs(cal.ctx()), qIn);
    // 1/sqrt(headDim), or the model's own score scale (Gemma-2 query_pre_attn_scalar, GPT-Neo: none).
    double rootD = Math.sqrt(m.features().queryScaleDim() > 0 ? m.features().queryScaleDim() : m.headDim());
    long[] bk = bias(f.bk(), sTin * wk.scale());
    long[] bv;
    SoftmaxConfig softmax;
    if (decomposed) {
      double sTw = scale(maxAbs(cal.attnIn()), qW);
      sfu.put(SfuConfig.TW, SfuSetting.requant(p, sAct / sTw, "X copy"));
      double sQk = scale(maxAbs(cal.qk()), qIn);
      sfu.put(SfuConfig.QK, SfuSetting.requant(p, sQ * wk.scale() / sQk, "Q W_K^T"));
      double sPx = scale(maxAbs(cal.px()), qIn);
      sfu.put(SfuConfig.PX, SfuSetting.requant(p, sP * sTw / sPx, "P X"));
      bv = bias(f.bv(), sPx * wv.scale());
      sfu.put(SfuConfig.CTX, SfuSetting.requant(p, sPx * wv.scale() / sC, "context"));
      softmax = softmaxConfig(p, sQk * sTw / rootD);
    } else {
      double sK = scale(Math.max(maxAbs(cal.k()), maxAbs(cal.kPre())), qW);
      double sV = scale(maxAbs(cal.v()), qW);
      sfu.put(SfuConfig.K, SfuSetting.requant(p, sTin * wk.scale() / sK, "K"));
      sfu.put(SfuConfig.V, SfuSetting.requant(p, sTin * wv.scale() / sV, "V"));
      bv = bias(f.bv(), sTin * wv.scale());
      sfu.put(SfuConfig.CTX, SfuSetting.requant(p, sP * sV / sC, "context"));
      softmax = softmaxConfig(p, sQ * sK / rootD);
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
    int eA = pow2Exponent(maxAbs(cal.attnOut()), actMax);
    sfu.put(SfuConfig.ATTN_OUT, SfuSetting.requant(p, sC * wo.scale() / StrictMath.scalb(1.0, eA), "attention output"));
    int eR1 = residual(sfu, SfuConfig.RES1, eA, -fBits, maxAbs(cal.resid1()), actMax, "attention");
    int shN = inputShift(maxAbs(cal.ffnIn()), fBits, inMax);
    double sNin = StrictMath.scalb(1.0, shN - fBits);
    // eAct: the FFN-down input's scale exponent (the activation format 2^-actFracBits, or for a
    // gated FFN the product's power-of-two scale).
    int eAct = -fBits;
    long[] bGate = null;
    if (m.gatedFfn()) {
      // gate -> activation format (the activation table's input), ACTIVATE; up -> 2^eU covering its
      // range; MULTIPLY gives round(g * u >> s) in 2^(s + eU - actFracBits) units, s >= 0.
      sfu.put(SfuConfig.FFN_GATE, SfuSetting.requant(p, sNin * wGate.scale() / sAct, "FFN gate"));
      bGate = bias(f.bGate(), sNin * wGate.scale());
      int eU = pow2Exponent(maxAbs(cal.up()), actMax);
      sfu.put(SfuConfig.FFN_UP, SfuSetting.requant(p, sNin * wUp.scale() / StrictMath.scalb(1.0, eU), "FFN up"));
      eAct = Math.max(pow2Exponent(maxAbs(cal.act()), actMax), eU - fBits);
      sfu.put(SfuConfig.GATE_MUL, SfuSetting.multiply(eAct - eU + fBits, "FFN gate * up"));
    } else {
      sfu.put(SfuConfig.FFN_UP, SfuSetting.requant(p, sNin * wUp.scale() / sAct, "FFN up"));
    }
    int shG = inputShift(maxAbs(cal.act()), -eAct, inMax);
    double sGin = StrictMath.scalb(1.0, shG + eAct);
    int eD = pow2Exponent(maxAbs(cal.down()), actMax);
    sfu.put(SfuConfig.FFN_DOWN, SfuSetting.requant(p, sGin * wDown.scale() / StrictMath.scalb(1.0, eD), "FFN down"));
    int eBase = m.preNorm() ? eR1 : -fBits;
    int eR2 = residual(sfu, SfuConfig.RES2, eD, eBase, maxAbs(cal.resid2()), actMax, "FFN");
    long[][] n1 = normParams(p, f.gamma1(), f.beta1());
    long[][] n2 = normParams(p, f.gamma2(), f.beta2());
    return new QuantizedLayer(wq.q(), bias(f.bq(), sTin * wq.scale()), wk.q(), bk, wv.q(), bv,
        wo.q(), bias(f.bo(), sC * wo.scale()), wUp.q(), bias(f.bUp(), sNin * wUp.scale()),
        wDown.q(), bias(f.bDown(), sGin * wDown.scale()), n1[0], n1[1], n2[0], n2[1], sfu, softmax,
        shT, shN, shG, shP, -fBits, m.preNorm() ? eR2 : -fBits, wGate == null ? null : wGate.q(), bGate, alibi);
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

  /** Symmetric per-tensor weights within weightBits. */
  record Weights(int[][] q, double scale) {
    static Weights of(double[][] w, HwParams p) {
      int wMax = p.precision().weightMax();
      double s = LayerQuantizer.scale(maxAbs(w), wMax);
      int[][] q = new int[w.length][w[0].length];
      for (int i = 0; i < w.length; i++) {
        for (int o = 0; o < w[0].length; o++) {
          q[i][o] = (int) Math.max(-wMax, Math.min(wMax, Math.round(w[i][o] / s)));
        }
      }
      return new Weights(q, s);
    }
  }

  /** Shifts aligning a (scale 2^ea) and b (2^eb); the sum gets the power-of-two scale covering sumMax. */
  private static int residual(Map<SfuConfig, SfuSetting> sfu, SfuConfig c, int ea, int eb, double sumMax,
      long actMax, String what) {
    int common = Math.min(ea, eb);
    int eOut = Math.max(common, pow2Exponent(sumMax, actMax));
    sfu.put(c, SfuSetting.residual(ea - common, eb - common, eOut - common, what));
    return eOut;
  }

  /** Smallest shift s >= 0 with maxAbs / 2^(s - fracBits) <= qmax. */
  private static int inputShift(double maxAbs, int fracBits, long qmax) {
    int s = 0;
    while (maxAbs / StrictMath.scalb(1.0, s - fracBits) > qmax && s < 31) {
      s++;
    }
    return s;
  }

  /** Smallest e with maxAbs / 2^e <= qmax. */
  static int pow2Exponent(double maxAbs, long qmax) {
    return maxAbs <= 0 ? -30 : (int) Math.ceil(Math.log(maxAbs / qmax) / Math.log(2) - 1e-12);
  }

  private static double scale(double maxAbs, long qmax) {
    return maxAbs > 0 ? maxAbs / qmax : 1.0 / qmax;
  }

  private static long[] bias(double[] b, double accScale) {
    long[] q = new long[b.length];
    for (int i = 0; i < b.length; i++) {
      q[i] = Math.round(b[i] / accScale);
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
