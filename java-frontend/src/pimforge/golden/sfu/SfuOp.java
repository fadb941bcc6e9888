package pimforge.golden.sfu;

/**
 * SFU commands (the value on {@code io.cmd}) and their packets on {@code io.in}:
 * <ul>
 *   <li>CONFIGURE: configWords values M, S, shiftA, shiftB, shiftOut (padded to whole beats); no output.
 *   <li>LOAD_NORM: N gamma values, then N beta values (N = model.hiddenSize); no output.
 *   <li>REQUANT: any whole number of beats of accumulators; one output beat per input beat.
 *   <li>RESIDUAL: an even number of beats alternating a-beat, b-beat; one output beat per pair.
 *   <li>NORM: one vector of N activations; N normalized activations.
 *   <li>ACTIVATE: any whole number of beats of activations; one output beat per input beat.
 *   <li>MULTIPLY: an even number of beats alternating a-beat, b-beat (activations); one output
 *       beat per pair, the element-wise product (the gate of a gated FFN, see {@link ElementMultiply}).
 *   <li>ROTATE: a header beat whose element 0 is the token position (the low
 *       RopeTable.POSITION_BITS bits), then beats alternating x, xRot; one output beat per pair, x
 *       rotated by the position's angles (rotary embedding, see {@link RopeRotation}). Element e of
 *       the pairs is element e mod headDim of a head. A design without RoPE passes x through.
 *   <li>LOAD_CHANNELS: beats alternating an M-beat and an S-beat, at most sfuDerived.channelBeats
 *       pairs; lane l of pair b sets table entry e = b * lanes + l to M (unsigned multiplierBits)
 *       and S (unsigned requantShiftBits, 0..63); no output. Entries not in the packet keep their
 *       values (undefined until first loaded).
 *   <li>REQUANT_CHANNELS: at most channelBeats beats of accumulators; element e of the packet
 *       (beat e / lanes, lane e mod lanes) is requantized with table entry e,
 *       Y = sat_actBits(round(acc * M_e >> S_e)); one output beat per input beat. A per-output-channel
 *       rescale (per-channel weight scales, per-channel bank-input scales) in one pass.
 * </ul>
 */
public final class SfuOp {
  public static final int CONFIGURE = 0;
  public static final int LOAD_NORM = 1;
  public static final int REQUANT = 2;
  public static final int RESIDUAL = 3;
  public static final int NORM = 4;
  public static final int ACTIVATE = 5;
  public static final int MULTIPLY = 6;
  public static final int ROTATE = 7;
  public static final int LOAD_CHANNELS = 8;
  public static final int REQUANT_CHANNELS = 9;
  /** Width of the command port. */
  public static final int BITS = 4;

  private SfuOp() {}
}
