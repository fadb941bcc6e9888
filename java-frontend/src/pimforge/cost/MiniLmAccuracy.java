package pimforge.cost;

import java.util.List;
import pimforge.params.CrossbarParams;
import pimforge.params.HwParams;
import pimforge.params.Precision;

/**
 * Measured all-MiniLM-L6-v2 accuracy of precision variants (sentence-embedding cosine vs float,
 * mean over the sentences named): the layer compiler's programs of all 6 layers on the layer golden
 * model ({@code pimforge accuracy --sweep}, README "Accuracy on all-MiniLM-L6-v2"). Only these
 * points have accuracy; the Pareto chart sets them against the energy pimforge's model gives the
 * same variant.
 *
 * @param adcBits 0 = lossless (adcLosslessBits of the design)
 * @param bitsPerCell 0 = the design's (capped at weightBits)
 * @param rows crossbar word lines, 0 = the design's
 */
public record MiniLmAccuracy(String label, int weightBits, int inputBits, int adcBits, int bitsPerCell, int rows,
    double cosine, String source) {

  /** A precision point at the design's cells and crossbar rows. */
  MiniLmAccuracy(String label, int weightBits, int inputBits, int adcBits, double cosine, String source) {
    this(label, weightBits, inputBits, adcBits, 0, 0, cosine, source);
  }

  private static final String SIXTEEN = "README, compiled layers, 16 sentences of 4..128 tokens, lossless ADC";
  private static final String FOUR = "README, compiled layers, the first 4 evaluation sentences (4..12 tokens)";

  public static final List<MiniLmAccuracy> POINTS = List.of(
      new MiniLmAccuracy("w8 x8 lossless ADC", 8, 8, 0, 0.9970, SIXTEEN),
      new MiniLmAccuracy("w6 x8 lossless ADC", 6, 8, 0, 0.9862, SIXTEEN),
      new MiniLmAccuracy("w4 x8 lossless ADC", 4, 8, 0, 0.8245, SIXTEEN),
      new MiniLmAccuracy("w8 x6 lossless ADC", 8, 6, 0, 0.9763, SIXTEEN),
      new MiniLmAccuracy("w8 x12 lossless ADC", 8, 12, 0, 0.9979, SIXTEEN),
      new MiniLmAccuracy("w8 x8 ADC 8b CLIP", 8, 8, 8, 0.9966, FOUR),
      new MiniLmAccuracy("w8 x8 ADC 6b CLIP", 8, 8, 6, -0.0368, FOUR),
      new MiniLmAccuracy("w8 x8 ADC 4b CLIP", 8, 8, 4, -0.0368, FOUR),
      // Cells and rows at the default 8-bit CLIP ADC: accuracy follows whether a column sum can clip.
      new MiniLmAccuracy("1-bit cells, ADC 8b (lossless)", 8, 8, 8, 1, 0, 0.9966, FOUR),
      new MiniLmAccuracy("4-bit cells, ADC 8b CLIP", 8, 8, 8, 4, 0, -0.0368, FOUR),
      new MiniLmAccuracy("64-row crossbars, ADC 8b (lossless)", 8, 8, 8, 0, 64, 0.9966, FOUR),
      new MiniLmAccuracy("256-row crossbars, ADC 8b CLIP", 8, 8, 8, 0, 256, 0.8633, FOUR));

  /**
   * The variant of {@code base}: its bits, cells and rows, ADC in CLIP mode (lossless bits when
   * adcBits = 0).
   */
  public HwParams apply(HwParams base) {
    Precision d = base.precision();
    int cell = Math.min(bitsPerCell == 0 ? d.bitsPerCell() : bitsPerCell, weightBits);
    CrossbarParams x = base.crossbar();
    int r = rows == 0 ? x.rows() : rows;
    int adc = adcBits == 0 ? new Precision(weightBits, inputBits, cell, 16, Precision.AdcMode.CLIP, d.signedScheme())
        .adcLosslessBits(r) : adcBits;
    HwParams p = base.withPrecision(new Precision(weightBits, inputBits, cell, adc, Precision.AdcMode.CLIP,
        d.signedScheme()));
    return rows == 0 ? p : p.withCrossbar(new CrossbarParams(r, x.cols(), x.lanes()));
  }
}
