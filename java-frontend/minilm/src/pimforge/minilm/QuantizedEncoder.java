package pimforge.minilm;

import java.util.ArrayList;
import java.util.List;
import pimforge.params.HwParams;
import pimforge.params.ParamError;

/**
 * all-MiniLM-L6-v2 on the PIM datapath: every operation the hardware does runs on a unit golden
 * model (linear layers and attention products on {@code TiledMatrixModel}, softmax on
 * {@code SoftmaxModel}, requantization, residual adds, LayerNorms and GELU on {@code SfuModel}).
 * Outside the accelerator, in float: the embedding lookup and its LayerNorm (then quantized), and
 * mean pooling + L2 normalization of the dequantized last hidden state.
 *
 * <p>Number formats. Hidden states, LayerNorm outputs and GELU input/output are in the SFU's
 * activation format (signed actBits, actFracBits fraction bits, scale 2^-F). Q, K, V use static
 * per-tensor scales max|x| / qmax from {@link Calibration} (K and V are written into the array as
 * weights, so their qmax is also capped by the weight range). Outputs of the attention-output and
 * FFN-down layers and both residual sums use power-of-two scales covering the calibrated range,
 * because the SFU residual add aligns its operands by shifts only. Bank inputs are inputBits:
 * LayerNorm outputs (the layer input into Q/K/V, the attention block's output into FFN-up) enter
 * at per-channel scales ({@link ChannelScales}, folded into the weight rows) produced by a second
 * SFU NORM with scaled gamma/beta ({@link BankNorm}); the host sends the first layer's input
 * at those scales too. GELU outputs are requantized by the SFU to a per-tensor scale clipped at a calibrated
 * percentile ({@link Calibration#GELU_PERCENTILE}).
 * Weights are symmetric per output channel; see {@link QuantizedLinear} for bias and requantization.
 */
public final class QuantizedEncoder {
  /**
   * SmoothQuant migration strength for the LayerNorm outputs that enter banks (see
   * {@link ChannelScales}). Mean cosine at 8/8 bits, GELU clipped at its max: alpha 1.0 0.984,
   * 0.75 0.989, 0.5 0.989; with the GELU percentile clip: 0.65 0.9951, 0.75 0.9949, 0.85 0.9946.
   */
  static final double SMOOTHING_ALPHA = 0.75;
  private final MiniLmWeights weights;
  private final HwParams p;
  private final int fracBits;
  private final long actMax;
  private final long inMax;
  private final double[] firstInputScale;
  private final List<Layer> layers = new ArrayList<>();
  private final QuantizedAttention attention;

  /**
   * One layer's quantized weights and fixed scales. attendedNorm produces FFN-up's bank input,
   * nextInputNorm the next layer's (null in the last layer, whose output only leaves the accelerator).
   */
  private record Layer(QuantizedLinear q, QuantizedLinear k, QuantizedLinear v, QuantizedLinear o,
      QuantizedLinear up, QuantizedLinear down, double sq, double sk, double sv, double sGelu, int eAttn,
      Residual attnResidual, Residual ffnResidual, int eFfn, long[][] norm1, long[][] norm2,
      BankNorm attendedNorm, BankNorm nextInputNorm) {}

  /** A hidden state twice: in the SFU format (residual stream) and as bank inputs (null after the last layer). */
  private record Hidden(long[][] sfu, long[][] bank) {}

  /** Shifts of one SFU residual add: a at 2^ea plus x at 2^-F, result at 2^(ea or -F, lower) + shiftOut. */
  private record Residual(int shiftA, int shiftB, int shiftOut) {}

  public QuantizedEncoder(MiniLmWeights weights, HwParams p, Calibration cal) {
    if (p.sfu().actBits() < p.precision().inputBits()) {
      throw new ParamError("sfu.actBits", "is " + p.sfu().actBits() + ", must be at least precision.inputBits ("
          + p.precision().inputBits() + "): SFU outputs are the banks' inputs");
    }
    if (p.model().hiddenSize() != weights.shape().hiddenSize()) {
      throw new ParamError("model", "hardware built for hidden size " + p.model().hiddenSize()
          + ", the weights have " + weights.shape().hiddenSize());
    }
    this.weights = weights;
    this.p = p;
    this.fracBits = p.sfu().actFracBits();
    this.actMax = (1L << (p.sfu().actBits() - 1)) - 1;
    this.inMax = (1L << (p.precision().inputBits() - 1)) - 1;
    long kvMax = Math.min(inMax, p.precision().weightMax());
    int headDim = weights.shape().hiddenSize() / weights.shape().numHeads();
    long scoreBound = inMax * kvMax * headDim;
    if (scoreBound >= 1L << (p.softmax().inputBits() - 1)) {
      throw new ParamError("softmax.inputBits", "is " + p.softmax().inputBits() + ": scores of " + headDim
          + " products of " + p.precision().inputBits() + "-bit Q and K reach " + scoreBound);
    }
    this.attention = new QuantizedAttention(p, weights.shape().numHeads());
    int n = weights.layers().size();
    double[][] inputScale = new double[n][];
    for (int l = 0; l < n; l++) {
      EncoderLayerWeights w = weights.layers().get(l);
      inputScale[l] = ChannelScales.of(cal.layers().get(l).inputChannels(), SMOOTHING_ALPHA, inMax,
          w.query(), w.key(), w.value());
      if (l > 0) { // produced by the previous layer's output LayerNorm
        inputScale[l] = BankNorm.fitGamma(p, weights.layers().get(l - 1).outputNorm(), inputScale[l]);
      }
    }
    this.firstInputScale = inputScale[0];
    for (int l = 0; l < n; l++) {
      EncoderLayerWeights w = weights.layers().get(l);
      Calibration.LayerRanges r = cal.layers().get(l);
      double[] sIn = inputScale[l];
      double[] sMid = BankNorm.fitGamma(p, w.attentionNorm(),
          ChannelScales.of(r.attendedChannels(), SMOOTHING_ALPHA, inMax, w.intermediate()));
      double sq = r.q() / inMax;
      double sk = r.k() / kvMax;
      double sv = r.v() / kvMax;
      double sGelu = r.geluClip() / inMax;
      int eAttn = Quant.pow2Exponent(r.attnOut(), actMax);
      int eFfn = Quant.pow2Exponent(r.ffnOut(), actMax);
      layers.add(new Layer(
          new QuantizedLinear(p, w.query(), sIn), new QuantizedLinear(p, w.key(), sIn),
          new QuantizedLinear(p, w.value(), sIn), new QuantizedLinear(p, w.attentionOutput(), sv),
          new QuantizedLinear(p, w.intermediate(), sMid), new QuantizedLinear(p, w.output(), sGelu),
          sq, sk, sv, sGelu, eAttn, residual(eAttn, r.attnSum()), residual(eFfn, r.ffnSum()), eFfn,
          normParams(w.attentionNorm()), normParams(w.outputNorm()), new BankNorm(p, w.attentionNorm(), sMid),
          l + 1 < n ? new BankNorm(p, w.outputNorm(), inputScale[l + 1]) : null));
    }
  }

  public EncoderOutput encode(int[] inputIds) {
    int[] mask = new int[inputIds.length];
    java.util.Arrays.fill(mask, 1);
    return encode(inputIds, mask);
  }

  /** Hidden states are dequantized (integer * 2^-F) so they compare directly with {@link FloatEncoder}. */
  public EncoderOutput encode(int[] inputIds, int[] mask) {
    double sh = StrictMath.scalb(1.0, -fracBits);
    SfuOps sfu = new SfuOps(p);
    // Embedding lookup + LayerNorm happen before the accelerator (float); the host sends the result
    // twice: in 2^-F units for the residual stream, and at the first layer's per-channel bank scales.
    float[][] embedded = new FloatEncoder(weights).embed(inputIds);
    long[][] x = Quant.quantize(embedded, sh, actMax);
    long[][] xb = new long[embedded.length][];
    for (int t = 0; t < embedded.length; t++) {
      xb[t] = new long[embedded[t].length];
      for (int i = 0; i < xb[t].length; i++) {
        xb[t][i] = Math.max(-inMax, Math.min(inMax, Math.round(embedded[t][i] / firstInputScale[i])));
      }
    }
    List<float[][]> states = new ArrayList<>();
    states.add(Quant.dequantize(x, sh));
    Hidden h = new Hidden(x, xb);
    for (Layer l : layers) {
      h = layer(sfu, l, h, mask);
      states.add(Quant.dequantize(h.sfu(), sh));
    }
    float[][] last = states.get(states.size() - 1);
    return new EncoderOutput(states, FloatEncoder.meanPoolAndNormalize(last, mask));
  }

  private Hidden layer(SfuOps sfu, Layer l, Hidden h, int[] mask) {
    long[][] x = h.sfu();
    long[][] xb = h.bank();
    long kvMax = Math.min(inMax, p.precision().weightMax());
    long[][] q = clamp(l.q().forward(sfu, xb, l.sq()), inMax);
    long[][] k = clamp(l.k().forward(sfu, xb, l.sk()), kvMax);
    long[][] v = clamp(l.v().forward(sfu, xb, l.sv()), kvMax);
    long[][] ctx = attention.context(sfu, q, k, v, l.sq(), l.sk(), mask);
    long[][] a = l.o().forward(sfu, ctx, StrictMath.scalb(1.0, l.eAttn()));
    long[][] sum = residual(sfu, a, x, l.attnResidual());
    long[][] attended = sfu.layerNorm(sum, l.norm1()[0], l.norm1()[1]);
    long[][] up = l.up().forward(sfu, l.attendedNorm().apply(sfu, sum), StrictMath.scalb(1.0, -fracBits));
    long[][] act = new long[up.length][];
    for (int t = 0; t < up.length; t++) {
      act[t] = sfu.activate(up[t]);
    }
    act = toBank(sfu, act, l.sGelu());
    long[][] down = l.down().forward(sfu, act, StrictMath.scalb(1.0, l.eFfn()));
    long[][] sum2 = residual(sfu, down, attended, l.ffnResidual());
    long[][] next = sfu.layerNorm(sum2, l.norm2()[0], l.norm2()[1]);
    return new Hidden(next, l.nextInputNorm() == null ? null : l.nextInputNorm().apply(sfu, sum2));
  }

  /**
   * SFU activations (2^-F grid) to bank inputs of the given scale: an SFU requantization when the
   * scales differ, then saturation to inputBits.
   */
  private long[][] toBank(SfuOps sfu, long[][] x, double scale) {
    double factor = StrictMath.scalb(1.0, -fracBits) / scale;
    if (factor == 1.0) {
      return clamp(x, inMax);
    }
    FixedMultiplier f = FixedMultiplier.of(p, factor);
    long[][] y = new long[x.length][];
    for (int t = 0; t < x.length; t++) {
      y[t] = sfu.requant(x[t], f);
    }
    return clamp(y, inMax);
  }

  private static long[][] residual(SfuOps sfu, long[][] a, long[][] x, Residual r) {
    long[][] y = new long[a.length][];
    for (int t = 0; t < a.length; t++) {
      y[t] = sfu.residual(a[t], x[t], r.shiftA(), r.shiftB(), r.shiftOut());
    }
    return y;
  }

  /** Shifts aligning a (scale 2^ea) with x (2^-F) and bringing the calibrated sum range into actBits. */
  private Residual residual(int ea, double sumMax) {
    int common = Math.min(ea, -fracBits);
    int eOut = Math.max(common, Quant.pow2Exponent(sumMax, actMax));
    Residual r = new Residual(ea - common, -fracBits - common, eOut - common);
    if (r.shiftA() > 15 || r.shiftB() > 15 || r.shiftOut() > 31) {
      throw new ParamError("sfu", "residual-add scales out of the SFU shift range: " + r);
    }
    return r;
  }

  /**
   * Saturation where a value enters a bank: to the input range (SFU outputs may be wider when
   * sfu.actBits > precision.inputBits) or, for K and V written as weights, to the weight range.
   */
  private static long[][] clamp(long[][] x, long max) {
    long[][] y = new long[x.length][];
    for (int t = 0; t < x.length; t++) {
      y[t] = new long[x[t].length];
      for (int i = 0; i < x[t].length; i++) {
        y[t][i] = Math.max(-max, Math.min(max, x[t][i]));
      }
    }
    return y;
  }

  /** gamma, beta as signed gammaBits with gammaFracBits fraction bits. */
  private long[][] normParams(LayerNormWeights n) {
    double scale = StrictMath.scalb(1.0, -p.sfu().gammaFracBits());
    long max = (1L << (p.sfu().gammaBits() - 1)) - 1;
    float[][] gb = {n.gamma(), n.beta()};
    return Quant.quantize(gb, scale, max);
  }
}
