package pimforge.golden;

/**
 * PIM bank commands (the value on {@code io.cmd}; RTL pimforge.hw.bank.PimBank, golden
 * {@link PimBankModel}), defined once for the RTL, the golden models and the harnesses.
 * <ul>
 *   <li>LOAD_WEIGHTS: the bank's weight stream (see BankStreamOrder); no result packet.
 *   <li>MULTIPLY: bankInputs/lanes beats of inputs; bankOutputs/lanes beats of results come back.
 * </ul>
 */
public final class BankOp {
  public static final int LOAD_WEIGHTS = 0;
  public static final int MULTIPLY = 1;
  /** Width of the command port. */
  public static final int BITS = 1;

  private BankOp() {}
}
