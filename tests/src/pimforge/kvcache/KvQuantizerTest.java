package pimforge.kvcache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import pimforge.kvcache.KvQuantizer.Group;
import pimforge.kvcache.KvQuantizer.Kind;
import pimforge.params.KvCacheParams;
import pimforge.params.KvCacheParams.Policy;
import pimforge.params.ParamError;

/**
 * {@link KvQuantizer}: bit-exact against the float re-derivation of its scheme, error bounds by
 * construction, the packed format and byte counts against hand computations, and the compression
 * ratio and error (vs KIVI's float min-max quantization) on Gaussian and heavy-tailed K/V, printed.
 */
class KvQuantizerTest {

  private static KvQuantizer quantizer(int bits, int groupSize, int threshold, int inputBits, int headDim) {
    return new KvQuantizer(new KvCacheParams(Policy.FULL, 64, 0, 64, bits, bits, groupSize, threshold, groupSize, false), inputBits, headDim);
  }

  private static int[] randomGroup(Random r, int n, int inputBits) {
    int lo = -(1 << (inputBits - 1));
    int hi = (1 << (inputBits - 1)) - 1;
    // Per group a random magnitude range, so small and large exponents both occur; some exact zeros and extremes.
    int range = 1 + r.nextInt(hi);
    int[] x = new int[n];
    for (int i = 0; i < n; i++) {
      int k = r.nextInt(10);
      x[i] = k == 0 ? 0 : k == 1 ? (r.nextBoolean() ? lo : hi) : Math.max(lo, Math.min(hi, r.nextInt(2 * range + 1) - range));
    }
    return x;
  }

  @Test
  void bitExactWithTheFloatDerivationAndWithinTheBounds() {
    long entries = 0;
    for (int seed = 0; seed < 3000; seed++) {
      Random r = new Random(seed);
      int inputBits = 2 + r.nextInt(15);
      int bits = 2 + r.nextInt(15);
      int g = 1 << r.nextInt(7);
      int maxThreshold = Math.min(255, (1 << (bits - 1)) - 1);
      int threshold = r.nextInt(4) == 0 ? r.nextInt(maxThreshold + 1) : Math.min(maxThreshold, r.nextInt(3));
      KvQuantizer q = quantizer(bits, g, threshold, inputBits, g * 2);
      Kind kind = r.nextBoolean() ? Kind.KEY : Kind.VALUE;
      int[] x = randomGroup(r, g, inputBits);
      Group gr = q.quantizeGroup(kind, x);
      int[] deq = gr.dequantize();
      double[] xd = new double[g];
      for (int i = 0; i < g; i++) {
        xd[i] = x[i];
      }
      QuantReferences.Result ref = QuantReferences.powerOfTwo(xd, bits, threshold);
      String where = "seed " + seed + " inputBits " + inputBits + " bits " + bits + " G " + g + " T " + threshold;
      assertEquals(ref.step(), Math.scalb(1.0, gr.exponent()), where);
      assertArrayEquals(ref.pruned(), gr.pruned(), where);
      long half = gr.exponent() == 0 ? 0 : 1L << (gr.exponent() - 1);
      int qmax = 1 << (bits - 1);
      int maxMag = 0;
      for (int i = 0; i < g; i++) {
        entries++;
        maxMag = Math.max(maxMag, Math.abs(x[i]));
        assertEquals(ref.values()[i], deq[i], where + " entry " + i);
        assertTrue(Math.abs(gr.codes()[i]) <= qmax, where);
        if (gr.pruned()[i]) {
          assertEquals(0, deq[i]);
          assertTrue(Math.abs(x[i]) <= (long) threshold << gr.exponent(), where);
        } else {
          assertTrue(Math.abs(x[i] - deq[i]) <= half, where + " entry " + i + ": " + x[i] + " -> " + deq[i]);
        }
        assertTrue(Math.abs(deq[i]) <= 1 << (inputBits - 1), where); // read path: inputBits + 1 bits
      }
      // The exponent is the smallest that fits: one less would not hold the largest magnitude.
      assertTrue(gr.exponent() == 0 || maxMag > (long) qmax << (gr.exponent() - 1), where);
      assertTrue(gr.exponent() <= q.maxExponent(bits) && gr.exponent() < 1 << gr.exponentBits(), where);
      // Packed form: exactly bytes() long, and it reads back to the same integers.
      byte[] packed = gr.pack();
      assertEquals(gr.bytes(), packed.length, where);
      assertArrayEquals(deq, q.unpackAndDequantize(kind, packed), where);
      assertEquals(g, gr.nonZero() + gr.prunedCount() + gr.zeroAfterQuantization());
    }
    assertTrue(entries > 50_000);
  }

  @Test
  void handComputedGroup() {
    // inputBits 8, 4-bit codes (qmax 8): largest exponent 4 (128 <= 8 << 4), 3 exponent bits.
    KvQuantizer q = quantizer(4, 8, 1, 8, 8);
    assertEquals(4, q.maxExponent(4));
    assertEquals(3, q.exponentBits(4));
    // max |x| = 100 <= 8 << 4 = 128 (8 << 3 = 64 too small): e = 4, step 16; prune |x| <= 16.
    Group gr = q.quantizeGroup(Kind.KEY, new int[] {100, -3, 0, 50, -100, 7, 2, -60});
    assertEquals(4, gr.exponent());
    assertArrayEquals(new int[] {6, 0, 0, 3, -6, 0, 0, -4}, gr.codes()); // (|x| + 8) >> 4
    assertArrayEquals(new int[] {96, 0, 0, 48, -96, 0, 0, -64}, gr.dequantize());
    assertEquals(4, gr.prunedCount());
    assertEquals(0, gr.zeroAfterQuantization());
    // 3 exponent + 8 bitmap + 4 x 4 code bits = 27 bits -> 4 bytes.
    assertEquals(27, gr.storedBits());
    assertEquals(4, gr.bytes());
    // LSB first: e=4 -> 0,0,1; bitmap 1,0,0,1,1,0,0,1; fields (code - 1 if positive) LSB first
    // 6 -> 5: 1010, 3 -> 2: 0100, -6: 0101, -4: 0011.
    byte[] packed = gr.pack();
    assertArrayEquals(new int[] {204, 44, 81, 6},
        new int[] {packed[0] & 0xff, packed[1] & 0xff, packed[2] & 0xff, packed[3] & 0xff});

    // Threshold 0, a half-step tie and an entry that rounds to zero: 24 -> 32 (away from zero),
    // -24 -> -32, 7 -> 0 (not stored, not pruned), 0 pruned (|0| <= 0).
    KvQuantizer q0 = quantizer(4, 4, 0, 8, 8);
    Group g0 = q0.quantizeGroup(Kind.VALUE, new int[] {24, -24, 7, 100});
    assertEquals(4, g0.exponent());
    assertArrayEquals(new int[] {32, -32, 0, 96}, g0.dequantize());
    assertEquals(0, g0.prunedCount());
    assertEquals(1, g0.zeroAfterQuantization());
    assertEquals(3 + 4 + 3 * 4, g0.storedBits()); // 19 bits -> 3 bytes
    assertEquals(3, g0.bytes());
    Group gz = q0.quantizeGroup(Kind.VALUE, new int[] {0, 0, 0, 0});
    assertEquals(0, gz.exponent());
    assertEquals(4, gz.prunedCount());
    assertEquals(1, gz.bytes()); // 3 + 4 bits

    // 8-bit codes on 8-bit input: qmax 128, always e = 0 (lossless); a 1-bit exponent field.
    KvQuantizer q8 = quantizer(8, 4, 0, 8, 4);
    assertEquals(0, q8.maxExponent(8));
    assertEquals(1, q8.exponentBits(8));
    assertArrayEquals(new int[] {-127, 5, 0, 127}, q8.quantizeGroup(Kind.KEY, new int[] {-127, 5, 0, 127}).dequantize());
    Group extreme = q8.quantizeGroup(Kind.KEY, new int[] {-128, 1, -1, 127});
    assertArrayEquals(new int[] {-128, 1, -1, 127}, extreme.dequantize());
    assertArrayEquals(new int[] {-128, 1, -1, 127}, q8.unpackAndDequantize(Kind.KEY, extreme.pack()));
    // 2-bit codes: five levels -2..2 steps; e = 0 for max |x| <= 2.
    KvQuantizer q2 = quantizer(2, 4, 0, 8, 4);
    Group two = q2.quantizeGroup(Kind.VALUE, new int[] {-2, -1, 1, 2});
    assertArrayEquals(new int[] {-2, -1, 1, 2}, q2.unpackAndDequantize(Kind.VALUE, two.pack()));
    assertEquals(6, q2.maxExponent(2)); // 128 <= 2 << 6
    assertEquals(3, q2.exponentBits(2));
    // 1 + 4 + 3 * 8 = 29 bits -> 4 bytes (4 raw bytes: no gain at 8 bits with one zero in 4).
    assertEquals(4, q8.quantizeGroup(Kind.KEY, new int[] {-127, 5, 0, 127}).bytes());
  }

  @Test
  void keysArePerChannelValuesPerToken() {
    int g = 4;
    int d = 8;
    KvQuantizer q = quantizer(4, g, 0, 8, d);
    int[][] keys = new int[g][d];
    for (int t = 0; t < g; t++) {
      for (int c = 0; c < d; c++) {
        keys[t][c] = c == 3 ? 120 - 7 * t : t - c; // channel 3 is an outlier channel
      }
    }
    Group[] kg = q.quantizeKeyBlock(keys);
    assertEquals(d, kg.length);
    for (int c = 0; c < d; c++) {
      int[] col = new int[g];
      for (int t = 0; t < g; t++) {
        col[t] = keys[t][c];
      }
      assertArrayEquals(q.quantizeGroup(Kind.KEY, col).codes(), kg[c].codes(), "channel " + c);
      assertEquals(c == 3 ? 4 : 0, kg[c].exponent(), "channel " + c); // |t - c| <= 7 < qmax 8; 120 <= 8 << 4
    }
    int[][] back = q.dequantizeKeyBlock(kg);
    for (int t = 0; t < g; t++) {
      for (int c = 0; c < d; c++) {
        assertTrue(Math.abs(back[t][c] - keys[t][c]) <= (kg[c].exponent() == 0 ? 0 : 1 << (kg[c].exponent() - 1)));
      }
    }
    int[] v = {1, -2, 3, 100, 0, 0, 1, 1};
    Group[] vg = q.quantizeValueToken(v);
    assertEquals(2, vg.length);
    assertEquals(4, vg[0].exponent()); // 100 <= 8 << 4, > 8 << 3
    assertEquals(0, vg[1].exponent());
    assertArrayEquals(new int[] {0, 0, 0, 96, 0, 0, 1, 1}, q.dequantizeValueToken(vg));
  }

  @Test
  void badInputNamesTheField() {
    assertEquals("kvCache.groupSize: is 32, allowed a power of two dividing the head dimension 48",
        assertThrows(ParamError.class, () -> quantizer(4, 32, 0, 8, 48)).getMessage());
    KvQuantizer q = quantizer(4, 4, 0, 8, 8);
    assertEquals("kvCache.input[2]: is 128, allowed -128..127",
        assertThrows(ParamError.class, () -> q.quantizeGroup(Kind.KEY, new int[] {0, 0, 128, 0})).getMessage());
    assertThrows(ParamError.class, () -> q.quantizeValueToken(new int[7]));
    assertThrows(ParamError.class, () -> q.quantizeKeyBlock(new int[3][8]));
    // 3-bit values (qmax 4): a threshold of 4 steps would prune every entry.
    assertEquals("kvCache.pruneThreshold: is 4, allowed 0..3 (below 2^(min(keyBits, valueBits) - 1) steps,"
            + " which would prune every entry)",
        assertThrows(ParamError.class, () -> new KvCacheParams(Policy.FULL, 8, 0, 8, 8, 3, 4, 4, 4, false)).getMessage());
    new KvCacheParams(Policy.FULL, 8, 0, 8, 8, 3, 4, 3, 4, false);
  }

  /** K/V-like integer data (8-bit, head_dim 64): Gaussian, or Student-t(3) with 4 outlier key channels x8. */
  private static int[][] data(Random r, int tokens, int d, boolean heavy, boolean keys) {
    int[][] x = new int[tokens][d];
    for (int t = 0; t < tokens; t++) {
      for (int c = 0; c < d; c++) {
        double v;
        if (heavy) {
          double chi = 0;
          for (int k = 0; k < 3; k++) {
            double n = r.nextGaussian();
            chi += n * n;
          }
          v = 6 * r.nextGaussian() / Math.sqrt(chi / 3);
          if (keys && c % 16 == 5) {
            v *= 8;
          }
        } else {
          v = 20 * r.nextGaussian();
        }
        x[t][c] = (int) Math.max(-128, Math.min(127, Math.rint(v)));
      }
    }
    return x;
  }

  /**
   * Compression ratio (bytes vs fp16 = 2 bytes per element, and vs the 8-bit input), the stored
   * fraction, and the RMS error of the golden model next to KIVI's float min-max quantization with
   * the same pruning, relative to the data's RMS. Printed; the asserted bounds follow from the format.
   */
  @Test
  void compressionAndErrorOnRandomAndHeavyTailedData() {
    int d = 64;
    int g = 32;
    int tokens = 512;
    System.out.println("KV quantizer, 8-bit input, head_dim 64, groupSize 32, 512 tokens:");
    System.out.println("data        kind  bits thr  vs fp16  vs int8  stored  pruned  zeroQ  relRMS  relRMS(KIVI)");
    for (boolean heavy : new boolean[] {false, true}) {
      for (Kind kind : Kind.values()) {
        int[][] x = data(new Random(heavy ? 2 : 1), tokens, d, heavy, kind == Kind.KEY);
        for (int bits : new int[] {8, 4, 3, 2}) {
          for (int thr : new int[] {0, 1}) {
            KvQuantizer q = quantizer(bits, g, thr, 8, d);
            long bytes = 0;
            long stored = 0;
            long pruned = 0;
            long zeroQ = 0;
            double err = 0;
            double errKivi = 0;
            double sig = 0;
            for (int blk = 0; blk < tokens / g; blk++) {
              Group[] groups;
              int[][] back = new int[g][];
              if (kind == Kind.KEY) {
                int[][] block = new int[g][];
                System.arraycopy(x, blk * g, block, 0, g);
                groups = q.quantizeKeyBlock(block);
                back = q.dequantizeKeyBlock(groups);
              } else {
                groups = new Group[0];
                for (int t = 0; t < g; t++) {
                  Group[] vg = q.quantizeValueToken(x[blk * g + t]);
                  back[t] = q.dequantizeValueToken(vg);
                  Group[] all = new Group[groups.length + vg.length];
                  System.arraycopy(groups, 0, all, 0, groups.length);
                  System.arraycopy(vg, 0, all, groups.length, vg.length);
                  groups = all;
                }
              }
              for (Group gr : groups) {
                bytes += gr.bytes();
                stored += gr.nonZero();
                pruned += gr.prunedCount();
                zeroQ += gr.zeroAfterQuantization();
                // KIVI float on the same group with the same absolute threshold.
                double[] xd = new double[g];
                int[] orig = new int[g];
                int gi = java.util.Arrays.asList(groups).indexOf(gr);
                for (int i = 0; i < g; i++) {
                  orig[i] = kind == Kind.KEY ? x[blk * g + i][gi] : x[blk * g + gi / (d / g)][(gi % (d / g)) * g + i];
                  xd[i] = orig[i];
                }
                double[] kv = QuantReferences.kivi(xd, bits, (double) thr * Math.scalb(1.0, gr.exponent())).values();
                for (int i = 0; i < g; i++) {
                  errKivi += (kv[i] - orig[i]) * (kv[i] - orig[i]);
                }
              }
              for (int t = 0; t < g; t++) {
                for (int c = 0; c < d; c++) {
                  double e = back[t][c] - x[blk * g + t][c];
                  err += e * e;
                  sig += (double) x[blk * g + t][c] * x[blk * g + t][c];
                }
              }
            }
            long n = (long) tokens * d;
            double vsFp16 = 2.0 * n / bytes;
            double vsInt8 = (double) n / bytes;
            System.out.println(String.format("%-11s %-5s %4d %3d  %7.2f  %7.2f  %6.3f  %6.3f  %5.3f  %6.4f  %6.4f",
                heavy ? "student-t3" : "gaussian", kind, bits, thr, vsFp16, vsInt8, (double) stored / n,
                (double) pruned / n, (double) zeroQ / n, Math.sqrt(err / sig), Math.sqrt(errKivi / sig)));
            // By the format: per group at most ceil((expBits + G + G * bits) / 8) and at least ceil((expBits + G) / 8) bytes.
            long groupsN = n / g;
            int eb = q.exponentBits(bits);
            assertTrue(bytes <= groupsN * ((eb + g + (long) g * bits + 7) / 8));
            assertTrue(bytes >= groupsN * ((eb + g + 7) / 8));
            assertEquals(n, stored + pruned + zeroQ);
          }
        }
      }
    }
  }
}
