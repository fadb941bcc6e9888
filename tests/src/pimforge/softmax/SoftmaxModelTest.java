package pimforge.softmax;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import pimforge.golden.softmax.ExpLut;
import pimforge.golden.softmax.SoftmaxConfig;
import pimforge.golden.softmax.SoftmaxModel;
import pimforge.params.HwParams;
import pimforge.params.ParamError;
import pimforge.params.SoftmaxDerived;
import pimforge.params.SoftmaxParams;

/** Properties of the softmax golden model, its LUT, its reciprocal and its parameters. */
class SoftmaxModelTest {
  private static final HwParams P = SoftmaxConfigs.of(32, SoftmaxParams.DEFAULT);

  @Test
  void lutStartsAtOneIsMonotoneAndRoundsExp() {
    SoftmaxParams s = SoftmaxParams.DEFAULT;
    long[] lut = ExpLut.entries(s);
    assertEquals(s.expLutEntries(), lut.length);
    assertEquals(1L << s.expLutBits(), lut[0]);
    for (int i = 0; i < lut.length; i++) {
      double exact = Math.exp(-i / Math.scalb(1.0, s.logitFracBits())) * Math.scalb(1.0, s.expLutBits());
      assertTrue(Math.abs(lut[i] - exact) <= 0.5 + 1e-9, "entry " + i);
      assertTrue(i == 0 || lut[i] <= lut[i - 1], "monotone at " + i);
    }
  }

  /** The RTL's restoring divider (partial remainder starts at 2^expLutBits) equals floor(2^Q / S). */
  @Test
  void restoringDividerEqualsIntegerDivision() {
    SoftmaxDerived d = P.softmaxDerived();
    int l = P.softmax().expLutBits();
    Random rnd = new Random(5);
    long maxSum = (1L << d.sumBits()) - 1;
    for (int i = 0; i < 20000; i++) {
      long sum = i < 3 ? new long[] {1L << l, (1L << l) + 1, maxSum}[i] : (1L << l) + rnd.nextLong(maxSum - (1L << l));
      long rem = 1L << l;
      long q = 0;
      for (int step = 0; step < d.reciprocalBits(); step++) {
        boolean fits = rem >= sum;
        rem = ((fits ? rem - sum : rem) << 1) & ((1L << (d.sumBits() + 1)) - 1);
        q = ((q << 1) | (fits ? 1 : 0)) & ((1L << d.reciprocalBits()) - 1);
      }
      assertEquals((1L << d.dividendLog2()) / sum, q, "sum " + sum);
    }
  }

  @Test
  void maskedPositionsAreZeroAndAFullyMaskedRowIsAllZeros() {
    SoftmaxModel m = new SoftmaxModel(P);
    m.configure(SoftmaxConfig.forScale(P, 0.01));
    long mask = P.softmaxDerived().maskValue();
    long[] out = m.row(new long[] {100, mask, 50, mask});
    assertEquals(0, out[1]);
    assertEquals(0, out[3]);
    assertTrue(out[0] > out[2] && out[2] > 0, Arrays.toString(out));
    assertArrayEquals(new long[5], m.row(new long[] {mask, mask, mask, mask, mask}));
    assertArrayEquals(new long[] {(1L << P.softmax().outputBits()) - 1, 0}, m.row(new long[] {7, mask}),
        "a single unmasked score saturates to the largest probability");
  }

  @Test
  void equalScoresShareEvenly() {
    SoftmaxModel m = new SoftmaxModel(P);
    m.configure(new SoftmaxConfig(12345, 7));
    long[] row = new long[8];
    Arrays.fill(row, -4321);
    long[] out = m.row(row);
    for (long v : out) {
      assertEquals((1L << P.softmax().outputBits()) / 8, v);
    }
  }

  @Test
  void forScaleUsesTheWholeMultiplier() {
    SoftmaxConfig c = SoftmaxConfig.forScale(P, 1 / Math.sqrt(32) / 4096);
    assertTrue(c.multiplier() >= (1L << (P.softmax().scaleBits() - 1)), c.toString());
    assertEquals(1 / Math.sqrt(32) / 4096, c.scale(P), 1e-4 / Math.sqrt(32) / 4096);
  }

  @Test
  void outOfRangeRuntimeValuesAndRowsAreRejected() {
    SoftmaxModel m = new SoftmaxModel(P);
    assertThrows(IllegalArgumentException.class, () -> m.configure(new SoftmaxConfig(1L << 16, 0)));
    assertThrows(IllegalArgumentException.class, () -> m.configure(new SoftmaxConfig(1, 37)));
    assertThrows(IllegalArgumentException.class, () -> m.row(new long[33]));
    assertThrows(IllegalArgumentException.class, () -> m.row(new long[] {1L << 19}));
  }

  @Test
  void parameterErrorsNameFieldAndRange() {
    ParamError e = assertThrows(ParamError.class, () -> new SoftmaxParams(12, 4, 12, 5, 256, 16, 4, 8));
    assertEquals("softmax.scaleBits", e.field());
    assertTrue(e.getMessage().contains("is 12, allowed 1..11"), e.getMessage());
    e = assertThrows(ParamError.class, () -> new SoftmaxParams(20, 3, 16, 5, 256, 16, 4, 8));
    assertEquals("softmax.lanes", e.field());
    e = assertThrows(ParamError.class, () -> new SoftmaxParams(20, 4, 16, 13, 256, 16, 4, 8));
    assertEquals("softmax.logitFracBits", e.field());
    e = assertThrows(ParamError.class, () -> new SoftmaxParams(20, 4, 16, 5, 256, 16, 17, 8));
    assertEquals("softmax.reciprocalGuardBits", e.field());
    e = assertThrows(ParamError.class, () -> new SoftmaxParams(33, 4, 16, 5, 256, 16, 4, 8));
    assertEquals("softmax.inputBits", e.field());
  }

  @Test
  void derivedWidths() {
    SoftmaxDerived d = P.softmaxDerived();
    assertEquals(-(1L << 19), d.maskValue());
    assertEquals(36, d.productBits());
    assertEquals(6, d.shiftBits());
    assertEquals(8, d.rowBeats());
    assertEquals(22, d.sumBits()); // 32 * 2^16 = 2^21 needs 22 bits
    assertEquals(13, d.reciprocalBits());
    assertEquals(28, d.dividendLog2());
    assertEquals(20, d.normalizeShift());
    assertEquals(1, d.configBeats());
  }
}
