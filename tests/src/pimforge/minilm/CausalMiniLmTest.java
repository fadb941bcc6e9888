package pimforge.minilm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import pimforge.kvcache.fidelity.FidelityPoint;
import pimforge.kvcache.fidelity.FidelityRow;
import pimforge.kvcache.fidelity.FidelitySweep;
import pimforge.kvcache.fidelity.HeadActivations;
import pimforge.kvcache.fidelity.ReferenceAttention;
import pimforge.params.KvCacheParams.Policy;

/**
 * all-MiniLM-L6-v2 as the causal workload of kv-fidelity: its reference attention agrees with the
 * float encoder's for the last token (which sees every token either way), it is causal, and on 32
 * real tokens the 8-bit full cache is within 0.001 of float while 2-bit keys and values are not better.
 */
class CausalMiniLmTest {
  private static final int TOKENS = 32;

  @Test
  void lastTokenMatchesTheEncodersAttentionAndEarlierTokensIgnoreLaterOnes() {
    int[] ids = LongText.ids(TOKENS);
    assertEquals(TOKENS, ids.length);
    assertEquals(101, ids[0], "[CLS] first");
    CausalMiniLm m = new CausalMiniLm(SharedMiniLm.weights(), ids, 2);
    int heads = m.heads();
    int d = m.head(0, 0).headDim();
    for (int layer = 0; layer < 2; layer++) {
      float[][][] qkv = new float[3][TOKENS][heads * d];
      for (int h = 0; h < heads; h++) {
        HeadActivations a = m.head(layer, h);
        for (int t = 0; t < TOKENS; t++) {
          System.arraycopy(a.q()[t], 0, qkv[0][t], h * d, d);
          System.arraycopy(a.k()[t], 0, qkv[1][t], h * d, d);
          System.arraycopy(a.v()[t], 0, qkv[2][t], h * d, d);
        }
      }
      int[] mask = new int[TOKENS];
      Arrays.fill(mask, 1);
      float[] encoder = FloatEncoder.attend(qkv[0], qkv[1], qkv[2], heads, mask)[TOKENS - 1];
      for (int h = 0; h < heads; h++) {
        double[] causal = ReferenceAttention.causal(m.head(layer, h))[TOKENS - 1];
        for (int c = 0; c < d; c++) {
          assertEquals(encoder[h * d + c], causal[c], 1e-5, "layer " + layer + " head " + h);
        }
      }
    }
    int[] other = ids.clone();
    other[TOKENS - 1] = 2000;
    CausalMiniLm changed = new CausalMiniLm(SharedMiniLm.weights(), other, 2);
    for (int h = 0; h < heads; h++) {
      for (int t = 0; t < TOKENS - 1; t++) {
        assertArrayEquals(m.head(1, h).k()[t], changed.head(1, h).k()[t], "layer 1 key of token " + t);
      }
    }
  }

  @Test
  void eightBitFullCacheIsCloseToFloatAndFewerBitsAreNotBetter() {
    CausalMiniLm m = new CausalMiniLm(SharedMiniLm.weights(), LongText.ids(TOKENS), 2);
    FidelitySweep s = new FidelitySweep(m, 8, 8, 16);
    FidelityRow full8 = s.measure(new FidelityPoint(Policy.FULL, 100, TOKENS, 8, 0), 8);
    FidelityRow full2 = s.measure(new FidelityPoint(Policy.FULL, 100, TOKENS, 2, 0), 8);
    System.out.println(String.format("MiniLM 32 tokens, 2 layers, FULL 100 %%: 8 bits attention %.5f (min %.5f), layer"
        + " %.5f; 2 bits attention %.5f, layer %.5f", full8.attentionMean(), full8.attentionMin(), full8.layerMean(),
        full2.attentionMean(), full2.layerMean()));
    assertTrue(full8.attentionMean() > 0.999, "attention " + full8.attentionMean());
    assertTrue(full8.layerMean() > 0.999, "layer " + full8.layerMean());
    assertTrue(full2.attentionMean() <= full8.attentionMean());
    assertTrue(full2.layerMean() <= full8.layerMean());
  }
}
