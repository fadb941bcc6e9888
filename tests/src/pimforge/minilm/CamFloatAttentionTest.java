package pimforge.minilm;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * CAM attention in the float encoder: with every key a survivor and exact re-scoring it is exact
 * attention (whatever the binarization and placement), with a small top-k and binary scores it is not.
 */
class CamFloatAttentionTest {
  @Test
  void allSurvivorsReScoredIsExactAttentionAndBinaryTopKIsNot() {
    MiniLmWeights w = SharedMiniLm.weights();
    int[] ids = SharedMiniLm.tokenizer().encode(AccuracySentences.EVALUATION.get(3));
    List<int[]> cal = List.of(SharedMiniLm.tokenizer().encode(AccuracySentences.CALIBRATION.get(2)));
    float[] want = new FloatEncoder(w).encode(ids).sentenceEmbedding();
    CamCalibration keys = CamCalibration.fit(w, cal, CamCalibration.Centering.KEYS, 6);
    double exact = cosine(w, ids, want, CamFloatAttention.params(w.shape(), CamFloatAttention.KEYS, true), keys, true);
    double binary = cosine(w, ids, want, CamFloatAttention.params(w.shape(), 8, false), keys, true);
    System.out.println(String.format("%d tokens: all survivors re-scored %.6f, top-8 binary %.4f", ids.length, exact, binary));
    assertTrue(exact > 0.99999, "all survivors re-scored: " + exact);
    assertTrue(binary < 0.999, "top-8 binary attention cannot be this close: " + binary);
  }

  private static double cosine(MiniLmWeights w, int[] ids, float[] want, pimforge.params.HwParams cam,
      CamCalibration cal, boolean interleave) {
    FloatEncoder e = new FloatEncoder(w, new CamFloatAttention(cam, cal, interleave));
    return EncoderOutput.cosine(want, e.encode(ids).sentenceEmbedding());
  }
}
