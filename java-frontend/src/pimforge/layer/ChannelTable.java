package pimforge.layer;

import pimforge.params.HwParams;

/**
 * One per-channel requantization table of the SFU (LOAD_CHANNELS / REQUANT_CHANNELS, see
 * {@code SfuOp}): entry e rescales element e of a row, Y = sat_actBits(round(acc * m[e] >> s[e])).
 *
 * @param m unsigned multipliers (multiplierBits)
 * @param s shifts 0..63
 */
public record ChannelTable(long[] m, int[] s) {

  /** The most precise M / 2^S of each real factor (as {@link SfuSetting#requant}). */
  public static ChannelTable of(HwParams p, double[] factors, String what) {
    long[] m = new long[factors.length];
    int[] s = new int[factors.length];
    for (int e = 0; e < factors.length; e++) {
      SfuSetting r = SfuSetting.requant(p, factors[e], what + " channel " + e);
      m[e] = r.m();
      s[e] = r.shift();
    }
    return new ChannelTable(m, s);
  }

  public int entries() {
    return m.length;
  }

  /** The real factor of entry e. */
  public double factor(int e) {
    return m[e] / StrictMath.scalb(1.0, s[e]);
  }

  /**
   * The LOAD_CHANNELS packet: per group of lanes entries an M-beat, then an S-beat (zero padded
   * to whole beats), lanes * 2 * ceil(entries / lanes) values.
   */
  public long[] packet(int lanes) {
    int beats = LayerPlan.ceilDiv(m.length, lanes);
    long[] v = new long[2 * beats * lanes];
    for (int e = 0; e < m.length; e++) {
      v[2 * (e / lanes) * lanes + e % lanes] = m[e];
      v[(2 * (e / lanes) + 1) * lanes + e % lanes] = s[e];
    }
    return v;
  }
}
