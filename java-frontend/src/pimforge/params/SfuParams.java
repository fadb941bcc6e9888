package pimforge.params;

/**
 * Special-function unit: normalization, activation lookup, residual add, requantization
 * (generator arrives with the encoder-layer issue).
 *
 * @param activationLutEntries entries of the GELU/SiLU lookup table (power of two, 16..4096)
 * @param lutBits fraction bits of each lookup entry (4..24)
 * @param normBits fixed-point bits of the normalization datapath (8..32)
 */
public record SfuParams(int activationLutEntries, int lutBits, int normBits) {
  public static final SfuParams DEFAULT = new SfuParams(256, 16, 24);

  public SfuParams {
    Check.powerOfTwo("sfu.activationLutEntries", activationLutEntries, 16, 4096);
    Check.range("sfu.lutBits", lutBits, 4, 24);
    Check.range("sfu.normBits", normBits, 8, 32);
  }
}
