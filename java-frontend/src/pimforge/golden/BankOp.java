package pimforge.golden;

/**
 * PIM bank commands (the value on {@code io.cmd}; RTL pimforge.hw.bank.PimBank, golden
 * {@link PimBankModel}), defined once for the RTL, the golden models and the harnesses.
 * <ul>
 *   <li>LOAD_WEIGHTS: the bank's weight stream (see BankStreamOrder); no result packet.
 *   <li>MULTIPLY: bankInputs/lanes beats of inputs (two's complement, inputBits); bankOutputs/lanes
 *       beats of results come back.
 *   <li>MULTIPLY_UNSIGNED: as MULTIPLY with unsigned inputs 0..2^inputBits - 1 (the most
 *       significant bit plane weighs +2^(inputBits-1)): non-negative operands such as softmax
 *       probabilities get the sign bit's precision.
 * </ul>
 */
public final class BankOp {
  public static final int LOAD_WEIGHTS = 0;
  public static final int MULTIPLY = 1;
  public static final int MULTIPLY_UNSIGNED = 2;
  /** Width of the command port. */
  public static final int BITS = 2;

  private BankOp() {}
}
