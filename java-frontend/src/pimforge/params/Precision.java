package pimforge.params;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Number formats of the crossbar datapath. Weights and inputs are signed two's-complement
 * integers; inputs enter the array one bit per cycle, weights are split over cells of
 * {@code bitsPerCell} bits, each column sum is digitized by an ADC of {@code adcBits}.
 *
 * @param weightBits bits per weight (2..16)
 * @param inputBits bits per input activation (2..16)
 * @param bitsPerCell bits stored per memory cell (1..4, at most weightBits)
 * @param adcBits ADC resolution (1..16); at or above {@link #adcLosslessBits} the ADC is exact
 * @param adcMode what a too-small ADC does: CLIP saturates, SCALE keeps the full range with a coarser step
 * @param signedScheme how signed weights live in unsigned cells
 */
public record Precision(
    int weightBits, int inputBits, int bitsPerCell, int adcBits, AdcMode adcMode,
    SignedScheme signedScheme) {

  /** Behaviour of an ADC with fewer bits than the column sum needs. */
  public enum AdcMode {
    /** code = min(sum, 2^adcBits - 1): exact for small sums, saturates large ones. */
    CLIP,
    /** step = 2^(lossless - adcBits); code = min(round_half_up(sum / step), 2^adcBits - 1); value = code * step. */
    SCALE
  }

  /** Mapping of signed weights onto unsigned cell values. */
  public enum SignedScheme {
    /** Store w + 2^(weightBits-1); subtract 2^(weightBits-1) * sum(x) digitally. */
    OFFSET,
    /** A positive and a negative column per weight holding |w|; weights are clamped to +-(2^(weightBits-1) - 1). */
    DIFFERENTIAL
  }

  /**
   * 8-bit ADCs (9 would be lossless at 128 rows x 2-bit cells) in CLIP mode: with the OFFSET scheme
   * SCALE's half-step rounding error is multiplied by the plane and slice weights and collapses a real
   * model (all-MiniLM-L6-v2 sentence-embedding cosine below 0.1), while CLIP is exact for every
   * column sum below 2^8, which is nearly all of them (MiniLM: 0.995, as with a lossless ADC).
   */
  public static final Precision DEFAULT = new Precision(8, 8, 2, 8, AdcMode.CLIP, SignedScheme.OFFSET);

  public Precision {
    Check.range("precision.weightBits", weightBits, 2, 16);
    Check.range("precision.inputBits", inputBits, 2, 16);
    Check.range("precision.bitsPerCell", bitsPerCell, 1, 4);
    Check.that(bitsPerCell <= weightBits, "precision.bitsPerCell",
        "is " + bitsPerCell + ", allowed 1.." + Math.min(4, weightBits) + " (at most precision.weightBits)");
    Check.range("precision.adcBits", adcBits, 1, 16);
    Check.present("precision.adcMode", adcMode);
    Check.present("precision.signedScheme", signedScheme);
  }

  /** Bits of the unsigned magnitude held in the cells of one weight column. */
  @JsonProperty("storedWeightBits")
  public int storedWeightBits() {
    return signedScheme == SignedScheme.OFFSET ? weightBits : weightBits - 1;
  }

  /** Cells (bit slices) per weight in one column group: ceil(storedWeightBits / bitsPerCell). */
  @JsonProperty("slices")
  public int slices() {
    return (storedWeightBits() + bitsPerCell - 1) / bitsPerCell;
  }

  /** Column groups per weight: 1 for OFFSET, 2 (positive, negative) for DIFFERENTIAL. */
  @JsonProperty("columnGroups")
  public int columnGroups() {
    return signedScheme == SignedScheme.OFFSET ? 1 : 2;
  }

  /** Cell width of slice s; the top slice may hold fewer bits. */
  public int sliceBits(int s) {
    return Math.min(bitsPerCell, storedWeightBits() - s * bitsPerCell);
  }

  /** Smallest weight the array represents. DIFFERENTIAL is symmetric: -2^(b-1) clamps to -(2^(b-1) - 1). */
  @JsonProperty("weightMin")
  public int weightMin() {
    return signedScheme == SignedScheme.OFFSET ? -(1 << (weightBits - 1)) : -((1 << (weightBits - 1)) - 1);
  }

  @JsonProperty("weightMax")
  public int weightMax() {
    return (1 << (weightBits - 1)) - 1;
  }

  /** ADC bits needed to digitize a column of {@code rows} full cells exactly: ceil(log2(rows*(2^b - 1) + 1)). */
  public int adcLosslessBits(int rows) {
    return Check.ceilLog2((long) rows * ((1L << bitsPerCell) - 1) + 1);
  }
}
