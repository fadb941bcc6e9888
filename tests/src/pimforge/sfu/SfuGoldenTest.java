package pimforge.sfu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import pimforge.golden.sfu.Activation;
import pimforge.golden.sfu.ElementMultiply;
import pimforge.golden.sfu.Requant;
import pimforge.golden.sfu.ResidualAdd;
import pimforge.golden.sfu.RsqrtLut;
import pimforge.golden.sfu.SfuModel;
import pimforge.golden.sfu.SfuOp;
import pimforge.params.HwParams;
import pimforge.params.SfuParams;

/** Hand-checked values of the SFU golden functions (the co-simulation then ties the RTL to them). */
class SfuGoldenTest {
  private final HwParams p = SfuConfigs.layerNormGeluInt8();
  private final SfuParams s = p.sfu();

  @Test
  void requantRoundsHalfUpAndSaturates() {
    assertEquals(3, Requant.apply(s, 5, 1, 1)); // 2.5 -> 3
    assertEquals(-2, Requant.apply(s, -5, 1, 1)); // -2.5 -> -2 (half up)
    assertEquals(127, Requant.apply(s, 1 << 20, 3, 4));
    assertEquals(-128, Requant.apply(s, -(1L << 31), (1 << 16) - 1, 8));
    assertEquals(7, Requant.apply(s, 7, 1, 0));
  }

  /** Each element of a REQUANT_CHANNELS packet uses the table entry of its position in the packet. */
  @Test
  void channelRequantUsesOneEntryPerElement() {
    SfuModel sfu = new SfuModel(p);
    int lanes = s.lanes();
    int entries = 2 * lanes;
    long[] table = new long[2 * entries];
    for (int e = 0; e < entries; e++) {
      int pair = e / lanes;
      table[2 * pair * lanes + e % lanes] = 3 + e; // M
      table[(2 * pair + 1) * lanes + e % lanes] = e % 5; // S
    }
    assertEquals(0, sfu.run(SfuOp.LOAD_CHANNELS, table).length);
    long[] acc = new long[entries];
    long[] want = new long[entries];
    for (int e = 0; e < entries; e++) {
      acc[e] = (e % 2 == 0 ? 1 : -1) * (7L + 11 * e);
      want[e] = Requant.apply(s, acc[e], 3 + e, e % 5);
    }
    assertArrayEquals(want, sfu.run(SfuOp.REQUANT_CHANNELS, acc));
    // A shorter packet starts at entry 0 again; the per-tensor REQUANT registers are untouched.
    assertArrayEquals(Arrays.copyOf(want, lanes), sfu.run(SfuOp.REQUANT_CHANNELS, Arrays.copyOf(acc, lanes)));
    long[] tooLong = new long[p.sfuDerived().channelBeats() * lanes + lanes];
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> sfu.run(SfuOp.REQUANT_CHANNELS, tooLong));
  }

  @Test
  void residualAlignsScales() {
    assertEquals(5, ResidualAdd.apply(s, 3, 4, 1, 0, 1)); // (6 + 4) / 2
    assertEquals(127, ResidualAdd.apply(s, 100, 100, 0, 0, 0));
    assertEquals(-128, ResidualAdd.apply(s, -32768, 0, 0, 0, 0));
  }

  @Test
  void multiplyRoundsHalfUpSaturatesAndWrapsOperands() {
    assertEquals(3, ElementMultiply.apply(s, 5, 1, 1)); // 2.5 -> 3
    assertEquals(-2, ElementMultiply.apply(s, -5, 1, 1)); // -2.5 -> -2 (half up)
    assertEquals(8, ElementMultiply.apply(s, 16, 8, 4)); // 1.0 * 0.5 in 4.4: 128 >> 4
    assertEquals(127, ElementMultiply.apply(s, 127, 127, 4)); // 16129 >> 4 saturates
    assertEquals(-128, ElementMultiply.apply(s, -128, 127, 0));
    assertEquals(127, ElementMultiply.apply(s, -128, -128, 7)); // (-128)^2 >> 7 = 128 saturates
    assertEquals(64, ElementMultiply.apply(s, -128, -128, 8));
    assertEquals(-1, ElementMultiply.apply(s, 255, 1, 0)); // operands are actBits: 255 reads as -1
    long[] y = new SfuModel(p).run(SfuOp.MULTIPLY, new long[] {2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
        17});
    // 4 lanes: beats a0 = 2..5, b0 = 6..9, a1 = 10..13, b1 = 14..17; shiftOut 0 after reset.
    assertEquals(4, s.lanes());
    assertArrayEquals(new long[] {12, 21, 32, 45, 127, 127, 127, 127}, y);
  }

  @Test
  void activationTableEndsAndZero() {
    Activation a = new Activation(p);
    // Outputs carry the offset ceil(0.16997 * 16) = 3 LSBs (min GELU = -0.16997): never negative.
    assertEquals(3, p.sfuDerived().activationOffset());
    assertEquals(3, a.apply(0)); // GELU(0) = 0
    assertEquals(3, a.apply(-128)); // GELU(-8) ~ 0: bottom of the clamped range
    assertEquals(127, a.apply(127)); // GELU(7.94) ~ 7.94 + 3 LSBs saturates: top of the range
    assertEquals(16, a.apply(16)); // GELU(1) = 0.8413 -> 13.46 / 16
    assertEquals(1, a.apply(-8)); // GELU(-0.5) = -0.1543 -> -2.47 / 16
    assertEquals(0, a.apply(-12)); // GELU(-0.75) = -0.16997, the minimum -> -2.72 / 16
  }

  @Test
  void rsqrtTableIsMidpointSampled() {
    long[] t = RsqrtLut.entries(s);
    assertEquals(3 << s.rsqrtLutBits(), t.length);
    assertEquals(Math.round(65536 / Math.sqrt(1 + 0.5 / 64)), t[0]);
    assertEquals(Math.round(65536 / Math.sqrt(4 - 0.5 / 64)), t[t.length - 1]);
  }

  @Test
  void constantVectorNormalizesToBeta() {
    SfuModel m = new SfuModel(p);
    int n = p.sfuDerived().vectorLength();
    long[] gb = new long[2 * n];
    Arrays.fill(gb, 0, n, 1L << s.gammaFracBits());
    Arrays.fill(gb, n, 2 * n, 3L << (s.gammaFracBits() - 1)); // beta = 1.5
    m.run(SfuOp.LOAD_NORM, gb);
    long[] x = new long[n];
    Arrays.fill(x, -37);
    long[] want = new long[n];
    Arrays.fill(want, 24); // 1.5 * 16
    assertArrayEquals(want, m.run(SfuOp.NORM, x));
    // Two values +-a: z = +-1 exactly (rsqrt within a bin), so Y = +-16 + 24.
    for (int i = 0; i < n; i++) {
      x[i] = i % 2 == 0 ? 5 : -5;
    }
    long[] y = m.run(SfuOp.NORM, x);
    assertEquals(40, y[0], 1);
    assertEquals(8, y[1], 1);
  }
}
