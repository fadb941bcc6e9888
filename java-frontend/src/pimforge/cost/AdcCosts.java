package pimforge.cost;

/**
 * ADC energy per conversion and area by resolution, from the technology table. ISAAC's table covers
 * 4..10 bits; outside it the value is extrapolated geometrically with the ratio of the nearest two
 * table entries (reported as extrapolated). The Accelergy and MNSIM models are a point times a
 * per-bit ratio (see the table's sources).
 */
public final class AdcCosts {
  private AdcCosts() {}

  public static final int ISAAC_MIN_BITS = 4;
  public static final int ISAAC_MAX_BITS = 10;

  /** Energy of one conversion at {@code bits} (pJ) under {@code model} (isaac, accelergy, mnsim). */
  public static double energyPj(TechTable t, String model, int bits) {
    return switch (model) {
      case "isaac" -> isaac(t, "adcEnergyIsaac%db_pJ", bits);
      case "accelergy" -> t.get("adcEnergyAccelergy4b_pJ") * Math.pow(t.get("adcEnergyAccelergyPerBit_ratio"), bits - 4);
      case "mnsim" -> t.get("adcEnergyMnsim6b_pJ") * Math.pow(t.get("adcEnergyMnsimPerBit_ratio"), bits - 6);
      default -> throw new IllegalArgumentException("no ADC energy model " + model);
    };
  }

  /** Area of one ADC at {@code bits} (um^2), ISAAC's table. */
  public static double areaUm2(TechTable t, int bits) {
    return isaac(t, "adcAreaIsaac%db_um2", bits);
  }

  /** True when {@code bits} lies outside ISAAC's table. */
  public static boolean extrapolated(int bits) {
    return bits < ISAAC_MIN_BITS || bits > ISAAC_MAX_BITS;
  }

  private static double isaac(TechTable t, String key, int bits) {
    if (!extrapolated(bits)) {
      return t.get(String.format(key, bits));
    }
    int edge = bits < ISAAC_MIN_BITS ? ISAAC_MIN_BITS : ISAAC_MAX_BITS;
    int next = bits < ISAAC_MIN_BITS ? ISAAC_MIN_BITS + 1 : ISAAC_MAX_BITS - 1;
    double ratio = t.get(String.format(key, edge)) / t.get(String.format(key, next));
    return t.get(String.format(key, edge)) * Math.pow(ratio, Math.abs(bits - edge));
  }
}
