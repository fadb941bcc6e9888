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
 * because the SFU residual add aligns its operands by shifts only. Where an SFU value enters a
 * bank it is requantized by the SFU (when the scales differ) and saturated to inputBits: hidden
 * states to a 2^-min(F, inputBits-4) grid, GELU outputs to max|gelu| / qmax (calibrated) if finer.
 * Weights are symmetric per output channel; see {@link QuantizedLinear} for bias and requantization.
 */
public final class QuantizedEncoder {
  private final MiniLmWeights weights;
  private final HwParams p;
  private final int fracBits;
  private final long actMax;
  private final long inMax;
  private final int inFracBits;
  private final List<Layer> layers = new ArrayList<>();
  private final QuantizedAttention attention;

  /** One layer's quantized weights and fixed scales. */
  private record Layer(QuantizedLinear q, QuantizedLinear k, QuantizedLinear v, QuantizedLinear o,
      QuantizedLinear up, QuantizedLinear down, double sq, double sk, double sv, double sGelu, int eAttn,
      Residual attnResidual, Residual ffnResidual, int eFfn, long[][] norm1, long[][] norm2) {}

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
    // Hidden states enter the banks on a 2^-(inputBits-4) grid (range +-8; they reach ~10), or the SFU's if coarser.
    this.inFracBits = Math.min(fracBits, Math.max(0, p.precision().inputBits() - 4));
    long kvMax = Math.min(inMax, p.precision().weightMax());
    int headDim = weights.shape().hiddenSize() / weights.shape().numHeads();
    long scoreBound = inMax * kvMax * headDim;
    if (scoreBound >= 1L << (p.softmax().inputBits() - 1)) {
      throw new ParamError("softmax.inputBits", "is " + p.softmax().inputBits() + ": scores of " + headDim
          + " products of " + p.precision().inputBits() + "-bit Q and K reach " + scoreBound);
    }
    double sh = StrictMath.scalb(1.0, -inFracBits);
    this.attention = new QuantizedAttention(p, weights.shape().numHeads());
    for (int l = 0; l < weights.layers().size(); l++) {
      EncoderLayerWeights w = weights.layers().get(l);
      Calibration.LayerRanges r = cal.layers().get(l);
      double sq = r.q() / inMax;
      double sk = r.k() / kvMax;
      double sv = r.v() / kvMax;
      double sGelu = Math.min(StrictMath.scalb(1.0, -inFracBits), r.gelu() / inMax);
      int eAttn = Quant.pow2Exponent(r.attnOut(), actMax);
      int eFfn = Quant.pow2Exponent(r.ffnOut(), actMax);
      layers.add(new Layer(
          new QuantizedLinear(p, w.query(), sh), new QuantizedLinear(p, w.key(), sh),
          new QuantizedLinear(p, w.value(), sh), new QuantizedLinear(p, w.attentionOutput(), sv),
          new QuantizedLinear(p, w.intermediate(), sh), new QuantizedLinear(p, w.output(), sGelu),
          sq, sk, sv, sGelu, eAttn, residual(eAttn, r.attnSum()), residual(eFfn, r.ffnSum()), eFfn,
          normParams(w.attentionNorm()), normParams(w.outputNorm())));
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
    // Embedding lookup + LayerNorm happen before the accelerator (float), then enter in 2^-F units.
    float[][] embedded = new FloatEncoder(weights).embed(inputIds);
    long[][] x = Quant.quantize(embedded, sh, actMax);
    List<float[][]> states = new ArrayList<>();
    states.add(Quant.dequantize(x, sh));
    for (Layer l : layers) {
      x = layer(sfu, l, x, mask);
      states.add(Quant.dequantize(x, sh));
    }
    float[][] last = states.get(states.size() - 1);
    return new EncoderOutput(states, FloatEncoder.meanPoolAndNormalize(last, mask));
  }

  private long[][] layer(SfuOps sfu, Layer l, long[][] x, int[] mask) {
    long kvMax = Math.min(inMax, p.precision().weightMax());
    long[][] in = toBank(sfu, x, StrictMath.scalb(1.0, -inFracBits));
    long[][] q = clamp(l.q().forward(sfu, in, l.sq()), inMax);
    long[][] k = clamp(l.k().forward(sfu, in, l.sk()), kvMax);
    long[][] v = clamp(l.v().forward(sfu, in, l.sv()), kvMax);
    long[][] ctx = attention.context(sfu, q, k, v, l.sq(), l.sk(), mask);
    long[][] a = l.o().forward(sfu, ctx, StrictMath.scalb(1.0, l.eAttn()));
    long[][] attended = sfu.layerNorm(residual(sfu, a, x, l.attnResidual()), l.norm1()[0], l.norm1()[1]);
    long[][] up = l.up().forward(sfu, toBank(sfu, attended, StrictMath.scalb(1.0, -inFracBits)),
        StrictMath.scalb(1.0, -fracBits));
    long[][] act = new long[up.length][];
    for (int t = 0; t < up.length; t++) {
      act[t] = sfu.activate(up[t]);
    }
    act = toBank(sfu, act, l.sGelu());
    long[][] down = l.down().forward(sfu, act, StrictMath.scalb(1.0, l.eFfn()));
    return sfu.layerNorm(residual(sfu, down, attended, l.ffnResidual()), l.norm2()[0], l.norm2()[1]);
  }

  /**
   * SFU activations (2^-F grid) to bank inputs of the given scale: an SFU requantization when the
   * scales differ (the SFU may be finer than the banks' inputs), then saturation to inputBits.
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
