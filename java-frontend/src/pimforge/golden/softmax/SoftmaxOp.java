package pimforge.golden.softmax;

/**
 * Softmax unit commands (the value on {@code io.cmd}; RTL pimforge.hw.softmax.Softmax, golden
 * {@link SoftmaxModel}), defined once for the RTL, the golden models and the harnesses.
 * <ul>
 *   <li>CONFIGURE: configBeats beats holding multiplier, shift (zero padded); no result packet.
 *   <li>ROW: up to rowBeats beats of raw scores, {@code last} on the final one; as many beats of
 *       probabilities come back.
 * </ul>
 */
public final class SoftmaxOp {
  public static final int CONFIGURE = 0;
  public static final int ROW = 1;
  /** Width of the command port. */
  public static final int BITS = 1;

  private SoftmaxOp() {}
}
