package pimforge.params;

import java.math.BigInteger;

/**
 * Quantities of the special-function unit that follow from {@link SfuParams} and the model. The
 * Chisel generator, the golden model, the co-simulation and design.json (under "sfuDerived") all
 * read them from here.
 *
 * @param activation the non-linearity built (model.activation)
 * @param norm the normalization built (model.norm)
 * @param vectorLength elements of one normalized vector (model.hiddenSize)
 * @param normBeats beats of one normalized vector (vectorLength / lanes)
 * @param lutStepBits input LSBs per activation table segment: actBits - log2(activationLutEntries)
 * @param lutMinEntries fewest table segments whose interpolation error stays under 1/2 output LSB
 * @param lutEntryBits signed bits of one activation table entry
 * @param sumBits signed bits of the sum of a vector's elements
 * @param sumSqBits unsigned bits of the sum of squares
 * @param dBits unsigned bits of D = N*sum(x^2) - sum(x)^2 (LayerNorm) or N*sum(x^2) (RMSNorm)
 * @param numBits signed bits of num = N*x - sum(x) (LayerNorm) or N*x (RMSNorm)
 * @param rsqrtEntries entries of the rsqrt table: 3 * 2^rsqrtLutBits
 * @param rsqrtEntryBits unsigned bits of one rsqrt entry (rsqrtBits + 1)
 * @param zIntBits integer bits (with sign) of the normalized value z; |z| <= sqrt(N)
 * @param zFracBits fraction bits of z: normBits - zIntBits
 * @param minRsqrtExponent smallest exponent e of a non-zero D = m * 4^e, m in [1, 4)
 * @param zShiftBase z = round(num * R >> (e + zShiftBase)): rsqrtBits - zFracBits
 * @param outShift Y = round((z * gamma + beta << zFracBits) >> outShift): zFracBits + gammaFracBits - actFracBits
 * @param requantShiftBits bits of the requantization shift register S
 * @param residualShiftBits bits of each residual operand's left-shift register
 * @param residualOutShiftBits bits of the residual rounding right-shift register
 * @param configWords values in a configure packet (M, S, shiftA, shiftB, shiftOut)
 * @param channelEntries entries of the per-channel requantization table (LOAD_CHANNELS,
 *     REQUANT_CHANNELS): the widest row a layer requantizes, max(hiddenSize, qDim, kvDim, ffnSize)
 * @param channelBeats beats of one table row of entries: ceil(channelEntries / lanes)
 * @param activationOffset activation LSBs added to every ACTIVATE output (in its table entries):
 *     ceil(-min f(x) * 2^actFracBits) for a GELU/SiLU feeding FFN-down directly (GELU: 22 at 7
 *     fraction bits, min -0.16997), so the output is non-negative and enters the FFN-down banks
 *     unsigned with one more bit of precision (the compiler folds -offset * sum_i W_i into the
 *     bias); 0 for RELU and for a gated FFN (its ACTIVATE output is a MULTIPLY operand)
 */
public record SfuDerived(
    ModelShape.Activation activation,
    ModelShape.Norm norm,
    int vectorLength,
    int normBeats,
    int lutStepBits,
    int lutMinEntries,
    int lutEntryBits,
    int sumBits,
    int sumSqBits,
    int dBits,
    int numBits,
    int rsqrtEntries,
    int rsqrtEntryBits,
    int zIntBits,
    int zFracBits,
    int minRsqrtExponent,
    int zShiftBase,
    int outShift,
    int requantShiftBits,
    int residualShiftBits,
    int residualOutShiftBits,
    int configWords,
    int channelEntries,
    int channelBeats,
    int activationOffset) {

  /** |f''| bound of GELU (erf and tanh, 2*phi(0) ~ 0.798) and SiLU (0.5), used for the LUT size rule. */
  public static final double MAX_SECOND_DERIVATIVE = 0.8;

  static SfuDerived of(ModelShape m, SfuParams s) {
    int n = m.hiddenSize();
    Check.that(n % s.lanes() == 0, "sfu.lanes",
        "is " + s.lanes() + ", allowed a power of two dividing model.hiddenSize = " + n);
    int a = s.actBits();
    int f = s.actFracBits();
    int stepBits = a - Integer.numberOfTrailingZeros(s.activationLutEntries());
    // Linear interpolation error <= h^2/8 * max|f''| with h = 2^(step - F); keep it <= 2^-(F+1).
    int maxStep = 0;
    while (Math.pow(2, 2 * (maxStep + 1 - f)) / 8 * MAX_SECOND_DERIVATIVE <= Math.pow(2, -(f + 1))) {
      maxStep++;
    }
    int minEntries = 1 << Math.max(0, a - maxStep);
    if (m.activation() != ModelShape.Activation.RELU) {
      Check.that(s.activationLutEntries() >= minEntries, "sfu.activationLutEntries",
          "is " + s.activationLutEntries() + ", allowed " + minEntries + ".." + Math.min(4096, 1 << a)
              + " (linear interpolation must stay within 1/2 LSB at actBits " + a + ", actFracBits " + f + ")");
    }
    BigInteger half = BigInteger.ONE.shiftLeft(a - 1);
    BigInteger bn = BigInteger.valueOf(n);
    int sumBits = bn.multiply(half).bitLength() + 1;
    int sumSqBits = bn.multiply(half).multiply(half).bitLength();
    int dBits = bn.multiply(bn).multiply(half).multiply(half).bitLength();
    Check.that(dBits <= 62, "sfu.actBits", "is " + a + ": the norm statistics of " + n
        + " elements need " + dBits + " bits, allowed at most 62 (lower actBits)");
    int numBits = bn.shiftLeft(a).bitLength() + 1;
    int sqrtN = (int) Math.ceil(Math.sqrt(n));
    int zInt = 32 - Integer.numberOfLeadingZeros(sqrtN) + 1;
    int zFrac = s.normBits() - zInt;
    Check.that(zFrac >= 1, "sfu.normBits", "is " + s.normBits() + ", allowed " + (zInt + 1)
        + "..32 (|z| <= sqrt(model.hiddenSize) needs " + zInt + " integer bits)");
    long minD = m.norm() == ModelShape.Norm.LAYERNORM ? Math.max(1, n - 1) : n;
    int eMin = (63 - Long.numberOfLeadingZeros(minD)) / 2;
    int zShiftBase = s.rsqrtBits() - zFrac;
    Check.that(zShiftBase + eMin >= 1, "sfu.rsqrtBits", "is " + s.rsqrtBits() + ", allowed "
        + (zFrac - eMin + 1) + "..24 (at normBits " + s.normBits() + ", model.hiddenSize " + n + ")");
    int outShift = zFrac + s.gammaFracBits() - f;
    int channels = Math.max(Math.max(n, m.qDim()), Math.max(m.kvDim(), m.ffnSize()));
    Check.that(outShift >= 1, "sfu.gammaFracBits", "is " + s.gammaFracBits() + ", allowed "
        + Math.max(0, f - zFrac + 1) + ".." + (s.gammaBits() - 1) + " (at normBits " + s.normBits() + ")");
    return new SfuDerived(m.activation(), m.norm(), n, n / s.lanes(), stepBits, minEntries,
        a - f + s.lutBits() + 2, sumBits, sumSqBits, dBits, numBits, 3 << s.rsqrtLutBits(),
        s.rsqrtBits() + 1, zInt, zFrac, eMin, zShiftBase, outShift, 6, 4, 5, 5, channels,
        (channels + s.lanes() - 1) / s.lanes(), activationOffset(m, f));
  }

  private static final java.util.Map<ModelShape.Activation, Double> MINIMUM =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** See {@code activationOffset}; the minimum of f on a grid of 2^-12 over [-8, 0] (GELU, SiLU: one dip). */
  private static int activationOffset(ModelShape m, int actFracBits) {
    if (m.gatedFfn() || m.activation() == ModelShape.Activation.RELU) {
      return 0;
    }
    double min = MINIMUM.computeIfAbsent(m.activation(), a -> {
      double v = 0;
      for (int i = 0; i <= 8 << 12; i++) {
        v = Math.min(v, pimforge.golden.sfu.ActivationFunctions.apply(a, -i / 4096.0));
      }
      return v;
    });
    return (int) Math.ceil(-min * Math.pow(2, actFracBits) - 1e-9);
  }
}
