package pimforge.golden.cam;

/**
 * CAM attention unit commands (the value on {@code io.cmd}; RTL pimforge.hw.cam.CamAttention,
 * golden {@link CamAttentionModel}), defined once for the RTL, the golden model and the harnesses.
 * Packets ({@link CamPackets}) are in beats of {@code cam.lanes} elements:
 * <ul>
 *   <li>CONFIGURE: camDerived.configBeats beats holding the softmax multiplier, shift (zero padded);
 *       no answer.
 *   <li>WRITE: a header beat (row index 0..N-1 in element 0), d/lanes key beats, d/lanes value beats; no
 *       answer (the row is overwritten and becomes non-empty).
 *   <li>CLEAR: one beat (ignored); every row becomes empty; no answer.
 *   <li>QUERY: a header beat (row limit in element 0: only rows 0..limit-1 may survive, the causal
 *       mask of a prefill), d/lanes query beats; answer camDerived.outBeats beats: indices, scores,
 *       probabilities, context.
 * </ul>
 */
public final class CamOp {
  public static final int CONFIGURE = 0;
  public static final int WRITE = 1;
  public static final int CLEAR = 2;
  public static final int QUERY = 3;
  /** Width of the command port. */
  public static final int BITS = 2;

  private CamOp() {}
}
