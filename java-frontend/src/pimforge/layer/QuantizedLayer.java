package pimforge.layer;

import java.util.Map;
import pimforge.golden.softmax.SoftmaxConfig;
import pimforge.layer.ScratchLayout.ChannelConfig;
import pimforge.layer.ScratchLayout.SfuConfig;

/**
 * One layer's integer parameters as the hardware uses them (see {@link LayerQuantizer} for the
 * scheme). Weights [in][out] within weightBits, with per-output-channel scales (kT of DECOMPOSED:
 * per hidden channel, i.e. per row of wk) that the SFU's per-channel tables undo; the per-channel
 * bank-input scales of the attention and FFN inputs are folded into the rows of the weights that
 * read them. Biases in accumulator units of their product (added by the MVM); per-tensor SFU
 * settings and per-channel tables; gamma/beta as signed gammaBits with gammaFracBits fraction
 * bits; the softmax configuration.
 *
 * <p>Formats: the layer input X and every SFU activation (norm, activation in/out) are signed
 * actBits with actFracBits fraction bits (scale 2^inputExp). The layer output has scale 2^outputExp
 * (2^-actFracBits after a final norm, post-LN; the calibrated residual scale, pre-LN). bk is used
 * by STRAIGHTFORWARD only (DECOMPOSED drops the key bias: it shifts a score row uniformly).
 *
 * @param shiftProb MVM input shift of the softmax probabilities (outputBits) into inputBits
 * @param wGate gate projection of a gated FFN (null otherwise), bGate its bias in accumulator units
 * @param alibi per head {M, S} of the ALiBi slope in raw score units (Alibi.encode), null without ALiBi
 * @param camSoftmax per query head the CAM unit's softmax configuration ({@link CamSoftmaxScale}),
 *     null without cam.enabled
 */
public record QuantizedLayer(int[][] wq, long[] bq, int[][] wk, long[] bk, int[][] wv, long[] bv,
    int[][] wo, long[] bo, int[][] wUp, long[] bUp, int[][] wDown, long[] bDown,
    long[] gamma1, long[] beta1, long[] gamma2, long[] beta2, Map<SfuConfig, SfuSetting> sfu,
    Map<ChannelConfig, ChannelTable> channels, SoftmaxConfig softmax, int shiftProb,
    int inputExp, int outputExp, int[][] wGate, long[] bGate, long[][] alibi, SoftmaxConfig[] camSoftmax) {

  public ChannelTable channels(ChannelConfig c) {
    ChannelTable t = channels.get(c);
    if (t == null) {
      throw new IllegalArgumentException("no channel table " + c);
    }
    return t;
  }

  public SfuSetting sfu(SfuConfig c) {
    SfuSetting s = sfu.get(c);
    if (s == null) {
      throw new IllegalArgumentException("no SFU setting " + c);
    }
    return s;
  }

  /** A float input [token][hidden] in the input format (round, saturate to actBits). */
  public long[][] quantizeInput(double[][] x, int actBits) {
    long max = (1L << (actBits - 1)) - 1;
    long[][] q = new long[x.length][];
    for (int t = 0; t < x.length; t++) {
      q[t] = new long[x[t].length];
      for (int c = 0; c < x[t].length; c++) {
        q[t][c] = Math.max(-max - 1, Math.min(max, Math.round(StrictMath.scalb(x[t][c], -inputExp))));
      }
    }
    return q;
  }

  /** The layer output [token][hidden] in real units. */
  public double[][] dequantizeOutput(long[][] y) {
    double[][] d = new double[y.length][];
    for (int t = 0; t < y.length; t++) {
      d[t] = new double[y[t].length];
      for (int c = 0; c < y[t].length; c++) {
        d[t][c] = StrictMath.scalb((double) y[t][c], outputExp);
      }
    }
    return d;
  }
}
