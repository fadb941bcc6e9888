package pimforge.minilm;

import pimforge.params.HwParams;
import pimforge.params.ParamError;
import pimforge.params.Precision;
import pimforge.params.SfuParams;
import pimforge.params.SoftmaxParams;

/** Variants of a hardware configuration for accuracy sweeps; each result is validated as usual. */
public final class HwVariants {
  private HwVariants() {}

  /** Bank precision: weight and input bits, ADC bits and mode (cell bits and signed scheme kept). */
  public static HwParams precision(HwParams p, int weightBits, int inputBits, int adcBits, Precision.AdcMode mode) {
    Precision d = p.precision();
    return p.withPrecision(new Precision(weightBits, inputBits, Math.min(d.bitsPerCell(), weightBits), adcBits, mode,
        d.signedScheme()));
  }

  /**
   * The default SFU activation format (wide enough for MiniLM's residual stream: FFN outlier
   * channels reach ~220 at the LayerNorm input) on a design whose SFU may be narrower.
   */
  public static HwParams wideSfu(HwParams p) {
    return sfuFormat(p, SfuParams.DEFAULT.actBits(), SfuParams.DEFAULT.actFracBits());
  }

  /** Softmax input wide enough for int Q x int K scores over one head (32 products for MiniLM). */
  public static HwParams softmaxFor(HwParams p, int headDim) {
    long in = (1L << (p.precision().inputBits() - 1)) - 1;
    long kv = Math.min(in, p.precision().weightMax());
    int need = 64 - Long.numberOfLeadingZeros(in * kv * headDim) + 1;
    SoftmaxParams s = p.softmax();
    return need <= s.inputBits() ? p : p.withSoftmax(new SoftmaxParams(need, s.lanes(), s.scaleBits(),
        s.logitFracBits(), s.expLutEntries(), s.expLutBits(), s.reciprocalGuardBits(), s.outputBits()));
  }

  /**
   * SFU activation format actBits.actFracBits, with the smallest GELU table the validation accepts
   * (a wider format needs more segments for the same 1/2 LSB interpolation error).
   */
  public static HwParams sfuFormat(HwParams p, int actBits, int actFracBits) {
    SfuParams s = p.sfu();
    ParamError last = null;
    for (int entries = 16; entries <= Math.min(4096, 1 << actBits); entries *= 2) {
      try {
        return p.withSfu(new SfuParams(s.lanes(), s.accBits(), actBits, actFracBits, s.multiplierBits(),
            Math.max(s.residualBits(), actBits), entries, s.lutBits(), s.normBits(), s.rsqrtLutBits(), s.rsqrtBits(),
            s.gammaBits(), s.gammaFracBits()));
      } catch (ParamError e) {
        last = e;
      }
    }
    throw last;
  }
}
