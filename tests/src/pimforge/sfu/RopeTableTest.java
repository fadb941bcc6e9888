package pimforge.sfu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import pimforge.golden.sfu.RopeRotation;
import pimforge.golden.sfu.RopeTable;
import pimforge.params.Rope;
import pimforge.params.SfuParams;

/**
 * The rotary tables against cos/sin of the published angles (computed here from RoFormer's
 * definition, not from RopeTable): the error is bounded by half a table step plus rounding; the
 * pairing, the pass-through tail and the rotation's fixed point are exact.
 */
class RopeTableTest {
  /** Half a table step of a turn, plus the entry's rounding and the frequency word's drift at 2^16 positions. */
  private static final double BOUND = Math.PI / (1 << RopeTable.TABLE_BITS) + Math.pow(2, -RopeTable.TRIG_FRAC_BITS)
      + 2 * Math.PI * 65536 * Math.pow(2, -RopeTable.PHASE_BITS - 1) + 1e-12;

  @Test
  void cosSinTrackTheDefinitionAtEveryPositionRange() {
    for (Rope r : new Rope[] {Rope.plain(10000, 64, Rope.Pairing.HALVES), Rope.plain(500000, 128, Rope.Pairing.HALVES),
        Rope.plain(10000, 64, Rope.Pairing.INTERLEAVED)}) {
      RopeTable t = new RopeTable(r, 128);
      double worst = 0;
      for (long pos : new long[] {0, 1, 2, 7, 100, 4095, 32768, 65535}) {
        for (int i = 0; i < r.rotaryDim() / 2; i++) {
          double angle = pos * Math.pow(r.theta(), -2.0 * i / r.rotaryDim());
          int d = r.pairing() == Rope.Pairing.HALVES ? i : 2 * i;
          long[] cs = t.cosSin(pos, d);
          double one = 1 << RopeTable.TRIG_FRAC_BITS;
          worst = Math.max(worst, Math.max(Math.abs(cs[0] / one - Math.cos(angle)), Math.abs(cs[1] / one - Math.sin(angle))));
        }
      }
      assertTrue(worst <= BOUND, r + ": worst error " + worst + " > " + BOUND);
      System.out.println(String.format("%s: worst |cos/sin error| %.2e (bound %.2e)", r.describe(128), worst, BOUND));
    }
  }

  @Test
  void pairingAndTheUnrotatedTail() {
    RopeTable halves = new RopeTable(Rope.plain(10000, 8, Rope.Pairing.HALVES), 16);
    assertArrayEquals(new int[] {4, -1}, halves.partner(0));
    assertArrayEquals(new int[] {0, 1}, halves.partner(4));
    assertEquals(3, halves.frequencyIndex(7));
    assertEquals(-1, halves.frequencyIndex(8));
    assertArrayEquals(new long[] {1 << RopeTable.TRIG_FRAC_BITS, 0}, halves.cosSin(12345, 9));
    assertArrayEquals(new int[] {9, 0}, halves.partner(9));
    RopeTable gptj = new RopeTable(Rope.plain(10000, 8, Rope.Pairing.INTERLEAVED), 16);
    assertArrayEquals(new int[] {1, -1}, gptj.partner(0));
    assertArrayEquals(new int[] {2, 1}, gptj.partner(3));
    assertEquals(1, gptj.frequencyIndex(3));
    // Position 0: no rotation at all.
    assertArrayEquals(new long[] {1 << RopeTable.TRIG_FRAC_BITS, 0}, gptj.cosSin(0, 2));
  }

  @Test
  void scalingChangesOnlyTheFrequencies() {
    Rope plain = Rope.plain(10000, 64, Rope.Pairing.HALVES);
    Rope linear = new Rope(10000, 64, Rope.Pairing.HALVES, Rope.Scaling.LINEAR, 4, 0, 0, 0);
    RopeTable a = new RopeTable(plain, 64);
    RopeTable b = new RopeTable(linear, 64);
    // Linear scaling by 4: position 4p with the scaled table is position p with the plain one.
    for (int d = 0; d < 32; d++) {
      long[] x = a.cosSin(25, d);
      long[] y = b.cosSin(100, d);
      assertTrue(Math.abs(x[0] - y[0]) <= 2 && Math.abs(x[1] - y[1]) <= 2, "element " + d);
    }
  }

  @Test
  void rotationIsExactForTheQuarterTurnAndPassThrough() {
    SfuParams s = SfuParams.DEFAULT;
    long one = 1L << RopeTable.TRIG_FRAC_BITS;
    assertEquals(100, RopeRotation.apply(s, 100, 37, new long[] {one, 0}));
    assertEquals(-37, RopeRotation.apply(s, 100, -37, new long[] {0, one}));
    // (100 * 0.5 + 3 * 0.5) = 51.5 rounds half up to 52.
    assertEquals(52, RopeRotation.apply(s, 100, 3, new long[] {one / 2, one / 2}));
  }
}
