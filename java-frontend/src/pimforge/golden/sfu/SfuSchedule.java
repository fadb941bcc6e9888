package pimforge.golden.sfu;

import pimforge.params.HwParams;

/**
 * Cycles of each SFU transaction when the host never stalls, from the command handshake to the
 * last output beat (or, without output, until the unit is idle again). Element-wise ops stream one
 * beat per cycle through one register stage; the norm loads the vector (statistics), takes one
 * cycle for D and one for the rsqrt, then drains.
 */
public final class SfuSchedule {
  private final HwParams p;

  public SfuSchedule(HwParams p) {
    this.p = p;
  }

  public int configBeats() {
    return (p.sfuDerived().configWords() + p.sfu().lanes() - 1) / p.sfu().lanes();
  }

  /** @param inBeats input beats of the transaction */
  public long cycles(int op, long inBeats) {
    return switch (op) {
      case SfuOp.CONFIGURE, SfuOp.LOAD_NORM, SfuOp.LOAD_CHANNELS -> 1 + inBeats;
      case SfuOp.REQUANT, SfuOp.REQUANT_CHANNELS, SfuOp.RESIDUAL, SfuOp.ACTIVATE, SfuOp.MULTIPLY, SfuOp.ROTATE -> 2 + inBeats;
      case SfuOp.NORM -> 1 + inBeats + 2 + p.sfuDerived().normBeats();
      default -> throw new IllegalArgumentException("no SFU op " + op);
    };
  }
}
