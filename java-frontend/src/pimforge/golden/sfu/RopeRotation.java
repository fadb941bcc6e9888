package pimforge.golden.sfu;

import pimforge.params.SfuParams;

/**
 * The SFU's ROTATE: one rotated element of a rotary embedding,
 * y = sat_actBits(round((x * cos + xRot * sin) >> TRIG_FRAC_BITS)), x and xRot signed actBits
 * activations (xRot = the rotate_half / rotate_every_two partner, computed by the banks from a
 * second stationary weight matrix), cos and sin from {@link RopeTable#cosSin}. Rounding half up as
 * everywhere in the SFU.
 */
public final class RopeRotation {
  private RopeRotation() {}

  public static long apply(SfuParams p, long x, long xRot, long[] cosSin) {
    long sum = Fixed.signedLow(x, p.actBits()) * cosSin[0] + Fixed.signedLow(xRot, p.actBits()) * cosSin[1];
    return Fixed.saturate(Fixed.roundShift(sum, RopeTable.TRIG_FRAC_BITS), p.actBits());
  }
}
