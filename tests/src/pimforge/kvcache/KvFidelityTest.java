package pimforge.kvcache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import pimforge.kvcache.KvQuantizer.Group;
import pimforge.kvcache.fidelity.CompressedDecode;
import pimforge.kvcache.fidelity.FidelityPoint;
import pimforge.kvcache.fidelity.FidelityRow;
import pimforge.kvcache.fidelity.FidelitySweep;
import pimforge.kvcache.fidelity.HeadActivations;
import pimforge.kvcache.fidelity.RandomDecoderHeads;
import pimforge.kvcache.fidelity.ReferenceAttention;
import pimforge.kvcache.fidelity.TensorScale;
import pimforge.params.KvCacheParams;
import pimforge.params.KvCacheParams.Policy;

/**
 * The KV-cache fidelity measurement (pimforge kv-fidelity) on synthetic heads: the 8-bit cache is
 * lossless against a plain integer computation, the byte and sparsity figures are the storage
 * format's arithmetic, FULL refuses past its budget, and heavy hitters beat a window where
 * attention concentrates on a few far tokens.
 */
class KvFidelityTest {
  private static final int PROB_BITS = 8;
  private static final int INPUT_BITS = 8;

  @Test
  void eightBitCacheEqualsThePlainIntegerComputation() {
    HeadActivations a = new RandomDecoderHeads(1, 48, 64, 7).head(0, 0);
    TensorScale qs = TensorScale.fit(INPUT_BITS, List.<float[][]>of(a.q()));
    TensorScale ks = TensorScale.fit(INPUT_BITS, List.<float[][]>of(a.k()));
    TensorScale vs = TensorScale.fit(INPUT_BITS, List.<float[][]>of(a.v()));
    int[][] q = qs.toInts(a.q());
    int[][] k = ks.toInts(a.k());
    int[][] v = vs.toInts(a.v());
    KvCacheParams kv = new KvCacheParams(Policy.FULL, 48, 0, 48, 8, 8, 16, 0, 16);
    KvCacheLayout layout = new KvCacheLayout(kv, 48, 64, INPUT_BITS, PROB_BITS, 48, 16);
    double[][] got = CompressedDecode.run(layout, q, k, v, qs.scale(), ks.scale(), vs.scale()).context();
    // Independent: integer scores over tokens 0..t, float softmax, probabilities rounded to 8 bits.
    for (int t = 0; t < q.length; t++) {
      double[] w = new double[t + 1];
      double max = Double.NEGATIVE_INFINITY;
      for (int j = 0; j <= t; j++) {
        long s = 0;
        for (int c = 0; c < 64; c++) {
          s += (long) q[t][c] * k[j][c];
        }
        w[j] = s * qs.scale() * ks.scale() / 8.0;
        max = Math.max(max, w[j]);
      }
      double total = 0;
      for (int j = 0; j <= t; j++) {
        w[j] = Math.exp(w[j] - max);
        total += w[j];
      }
      double[] want = new double[64];
      for (int j = 0; j <= t; j++) {
        long p = Math.min(255, Math.round(w[j] / total * 256));
        for (int c = 0; c < 64; c++) {
          want[c] += p * v[j][c] * vs.scale() / 256;
        }
      }
      assertArrayEquals(want, got[t], 1e-9, "token " + t);
    }
  }

  @Test
  void referenceIsCausalSoftmaxAttention() {
    HeadActivations a = new RandomDecoderHeads(1, 20, 8, 3).head(0, 0);
    double[][] ref = ReferenceAttention.causal(a);
    for (int c = 0; c < 8; c++) {
      assertEquals(a.v()[0][c], ref[0][c], 1e-6, "token 0 attends only to itself");
    }
    // Changing token 12 changes nothing before it.
    float[][] k = copy(a.k());
    float[][] v = copy(a.v());
    k[12][0] += 5;
    v[12][1] -= 3;
    double[][] changed = ReferenceAttention.causal(new HeadActivations(a.q(), k, v));
    for (int t = 0; t < 12; t++) {
      assertArrayEquals(ref[t], changed[t], 0, "token " + t);
    }
    assertTrue(!Arrays.equals(changed[12], ref[12]), "token 12 sees its own change");
    // Equal keys: the plain mean of the values so far.
    float[][] same = new float[20][8];
    double[][] mean = ReferenceAttention.causal(new HeadActivations(a.q(), same, a.v()));
    double acc = 0;
    for (int t = 0; t < 20; t++) {
      acc += a.v()[t][3];
      assertEquals(acc / (t + 1), mean[t][3], 1e-6);
    }
  }

  @Test
  void bytesAndSparsityAreTheStorageFormatsArithmetic() {
    int tokens = 40; // 5 sealed groups of 8; the buffer (R = 8) is sealed at 8, 16, ..., 40
    RandomDecoderHeads heads = new RandomDecoderHeads(3, tokens, 64, 11);
    FidelitySweep sweep = new FidelitySweep(heads, INPUT_BITS, PROB_BITS, 16);
    for (int bits : new int[] {4, 2}) {
      for (int threshold : new int[] {0, 1}) {
        KvCacheParams kv = new KvCacheParams(Policy.FULL, tokens, 0, tokens, bits, bits, 8, threshold, 8);
        FidelityRow row = sweep.measure(kv);
        KvQuantizer quant = new KvQuantizer(kv, INPUT_BITS, 64);
        long bytes = 0;
        long notStored = 0;
        List<float[][]> ks = new ArrayList<>();
        List<float[][]> vs = new ArrayList<>();
        for (int h = 0; h < 3; h++) {
          ks.add(heads.head(0, h).k());
          vs.add(heads.head(0, h).v());
        }
        for (int h = 0; h < 3; h++) {
          int[][] k = TensorScale.fit(INPUT_BITS, ks).toInts(ks.get(h));
          int[][] v = TensorScale.fit(INPUT_BITS, vs).toInts(vs.get(h));
          for (int b = 0; b < tokens; b += 8) {
            Group[] channels = quant.quantizeKeyBlock(Arrays.copyOfRange(k, b, b + 8));
            for (int t = 0; t < 8; t++) {
              int nonZero = 0;
              for (Group g : channels) {
                nonZero += g.codes()[t] != 0 ? 1 : 0;
              }
              notStored += 64 - nonZero;
              bytes += 8 * ceilDiv(64 + (long) nonZero * bits, 64); // key record: bitmap + fields, in beats
              long valueBits = 0;
              for (Group g : quant.quantizeValueToken(v[b + t])) {
                valueBits += g.storedBits();
                notStored += g.codes().length - g.nonZero();
              }
              bytes += 8 * ceilDiv(valueBits, 64);
            }
          }
        }
        String where = bits + " bits, threshold " + threshold;
        assertEquals(bytes, row.counters().bytesWritten(), where);
        assertEquals(bytes / (3.0 * tokens), row.bytesPerToken(), 1e-12, where);
        assertEquals(4.0 * 64 * 3 * tokens / bytes, row.compressionVsFp16(), 1e-12, where);
        assertEquals(notStored / (3.0 * tokens * 128), row.sparsity(), 1e-12, where);
        System.out.println(String.format("%d bits, threshold %d: %.1f bytes/token, %.2fx vs fp16, sparsity %.3f", bits,
            threshold, row.bytesPerToken(), row.compressionVsFp16(), row.sparsity()));
      }
    }
  }

  @Test
  void fullRefusesPastItsBudgetAndWindowsEvict() {
    int tokens = 64;
    FidelitySweep sweep = new FidelitySweep(new RandomDecoderHeads(2, tokens, 64, 5), INPUT_BITS, PROB_BITS, 16);
    FidelityRow full = sweep.measure(new FidelityPoint(Policy.FULL, 25, 16, 8, 0), 8);
    assertEquals(2L * (tokens - 16), full.counters().refused());
    assertEquals(0, full.counters().evicted());
    assertEquals(2.0 * 16, full.sealedTokens(), 1e-12, "only the first 16 tokens are stored");
    FidelityRow window = sweep.measure(new FidelityPoint(Policy.SLIDING_WINDOW, 25, 16, 8, 0), 8);
    assertEquals(2L * (tokens - 16), window.counters().evicted());
    assertEquals(0, window.counters().refused());
    FidelityRow all = sweep.measure(new FidelityPoint(Policy.FULL, 100, tokens, 8, 0), 8);
    assertTrue(all.attentionMean() > full.attentionMean(), "refusing tokens loses attention");
  }

  @Test
  void lowerBitsNeverImproveTheLosslessCache() {
    int tokens = 64;
    FidelitySweep sweep = new FidelitySweep(new RandomDecoderHeads(4, tokens, 64, 9), INPUT_BITS, PROB_BITS, 16);
    for (Policy p : Policy.values()) {
      double lossless = sweep.measure(new FidelityPoint(p, 50, 32, 8, 0), 8).attentionMean();
      for (int bits : new int[] {4, 3, 2}) {
        double lossy = sweep.measure(new FidelityPoint(p, 50, 32, bits, 0), 8).attentionMean();
        assertTrue(lossy <= lossless, p + " " + bits + " bits: " + lossy + " > " + lossless);
      }
    }
  }

  @Test
  void heavyHittersBeatWindowsWhenAttentionConcentratesOnFarTokens() {
    int tokens = 128;
    RandomDecoderHeads heads = new RandomDecoderHeads(4, tokens, 64, 1);
    // The generator's premise: most of each row's probability on the 9 heavy hitters.
    double mass = 0;
    int rows = 0;
    for (int h = 0; h < 4; h++) {
      HeadActivations a = heads.head(0, h);
      for (int t = tokens / 2; t < tokens; t++, rows++) {
        mass += topMass(a, t, 1 + RandomDecoderHeads.HEAVY_TOKENS);
      }
    }
    System.out.println(String.format("random heads: %.3f of the probability on the 9 largest (rows 64..127)",
        mass / rows));
    assertTrue(mass / rows > 0.6);
    FidelitySweep sweep = new FidelitySweep(heads, INPUT_BITS, PROB_BITS, 16);
    double h2o = sweep.measure(new FidelityPoint(Policy.HEAVY_HITTER, 25, 32, 8, 0), 8).attentionMean();
    double window = sweep.measure(new FidelityPoint(Policy.SLIDING_WINDOW, 25, 32, 8, 0), 8).attentionMean();
    double sinks = sweep.measure(new FidelityPoint(Policy.SINKS_WINDOW, 25, 32, 8, 0), 8).attentionMean();
    System.out.println(String.format("25 %% budget: H2O %.4f, sinks + window %.4f, window %.4f", h2o, sinks, window));
    assertTrue(h2o > sinks && sinks > window, h2o + " " + sinks + " " + window);
  }

  private static double topMass(HeadActivations a, int t, int top) {
    double[] w = new double[t + 1];
    double total = 0;
    for (int j = 0; j <= t; j++) {
      double s = 0;
      for (int c = 0; c < a.headDim(); c++) {
        s += (double) a.q()[t][c] * a.k()[j][c];
      }
      w[j] = s / Math.sqrt(a.headDim());
    }
    double max = Arrays.stream(w).max().orElseThrow();
    for (int j = 0; j <= t; j++) {
      w[j] = Math.exp(w[j] - max);
      total += w[j];
    }
    Arrays.sort(w);
    double m = 0;
    for (int i = 0; i < top; i++) {
      m += w[w.length - 1 - i];
    }
    return m / total;
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }

  private static float[][] copy(float[][] x) {
    float[][] r = new float[x.length][];
    for (int i = 0; i < x.length; i++) {
      r[i] = x[i].clone();
    }
    return r;
  }
}
