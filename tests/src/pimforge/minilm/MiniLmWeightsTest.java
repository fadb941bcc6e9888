package pimforge.minilm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import pimforge.model.ModelPresets;

class MiniLmWeightsTest {

  @Test
  void shapesMatchThePreset() {
    MiniLmWeights w = SharedMiniLm.weights();
    assertEquals("all-minilm-l6-v2", w.shape().name());
    assertEquals(30522, w.wordEmbeddings().length);
    assertEquals(384, w.wordEmbeddings()[0].length);
    assertEquals(512, w.positionEmbeddings().length);
    assertEquals(2, w.tokenTypeEmbeddings().length);
    assertEquals(384, w.embeddingNorm().size());
    assertEquals(6, w.layers().size());
    for (EncoderLayerWeights l : w.layers()) {
      for (Linear sq : new Linear[] {l.query(), l.key(), l.value(), l.attentionOutput()}) {
        assertEquals(384, sq.inFeatures());
        assertEquals(384, sq.outFeatures());
      }
      assertEquals(384, l.intermediate().inFeatures());
      assertEquals(1536, l.intermediate().outFeatures());
      assertEquals(1536, l.output().inFeatures());
      assertEquals(384, l.output().outFeatures());
      assertEquals(384, l.attentionNorm().size());
      assertEquals(384, l.outputNorm().size());
    }
  }

  @Test
  void spotValuesAreFiniteNonZeroAndDistinctPerMatrix() {
    MiniLmWeights w = SharedMiniLm.weights();
    assertRealValue(w.wordEmbeddings()[7592][0]); // "hello"
    assertRealValue(w.positionEmbeddings()[5][100]);
    assertRealValue(w.embeddingNorm().gamma()[3]);
    EncoderLayerWeights first = w.layers().get(0);
    EncoderLayerWeights last = w.layers().get(5);
    for (Linear lin : new Linear[] {first.query(), first.key(), first.value(), first.attentionOutput(),
        first.intermediate(), first.output(), last.query(), last.output()}) {
      assertRealValue(lin.weight()[1][2]);
      assertRealValue(lin.bias()[1]);
    }
    // Query and key of one layer, and the same matrix of two layers, must be different tensors.
    assertNotEquals(first.query().weight()[0][0], first.key().weight()[0][0]);
    assertNotEquals(first.query().weight()[0][0], last.query().weight()[0][0]);
    // LayerNorm gammas of a trained BERT sit around 1, far from 0.
    double meanGamma = 0;
    for (float g : last.outputNorm().gamma()) {
      meanGamma += g / 384.0;
    }
    assertTrue(meanGamma > 0.2 && meanGamma < 3, "mean gamma " + meanGamma);
  }

  @Test
  void aShapeThatDiffersFromThePresetIsRejectedByName() {
    var bertBase = ModelPresets.get("bert-base").orElseThrow();
    var e = assertThrows(IllegalStateException.class,
        () -> MiniLmWeights.checkAgainstPreset(bertBase, 384, 6, 1536, 512, 30522));
    assertTrue(e.getMessage().contains("hiddenSize is 384 in the weights, 768 in the preset"), e.getMessage());
    assertTrue(e.getMessage().contains("numLayers is 6 in the weights, 12 in the preset"), e.getMessage());
    var miniLm = ModelPresets.get("all-minilm-l6-v2").orElseThrow();
    MiniLmWeights.checkAgainstPreset(miniLm, 384, 6, 1536, 512, 30522);
  }

  /** The same ONNX file read from disk (as --weights does) gives the same weights as the built-in copy. */
  @Test
  void theOnnxFileOnDiskReadsLikeTheBuiltInOne(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws java.io.IOException {
    java.nio.file.Path onnx = dir.resolve("model.onnx");
    try (var in = MiniLmWeights.class.getResourceAsStream(MiniLmWeights.ONNX_RESOURCE)) {
      java.nio.file.Files.copy(in, onnx);
    }
    var preset = ModelPresets.get("all-minilm-l6-v2").orElseThrow();
    MiniLmWeights disk = MiniLmWeights.fromFile(onnx, preset);
    MiniLmWeights builtIn = SharedMiniLm.weights();
    assertEquals(builtIn.layers().size(), disk.layers().size());
    for (int l = 0; l < disk.layers().size(); l++) {
      EncoderLayerWeights a = builtIn.layers().get(l);
      EncoderLayerWeights b = disk.layers().get(l);
      for (int i : new int[] {0, 100, 383}) {
        org.junit.jupiter.api.Assertions.assertArrayEquals(a.query().weight()[i], b.query().weight()[i]);
        org.junit.jupiter.api.Assertions.assertArrayEquals(a.output().weight()[i], b.output().weight()[i]);
      }
      org.junit.jupiter.api.Assertions.assertArrayEquals(a.outputNorm().beta(), b.outputNorm().beta());
    }
    // Another design shape is a --weights error naming the differences.
    var bert = ModelPresets.get("bert-base").orElseThrow();
    var e = assertThrows(pimforge.params.ParamError.class, () -> MiniLmWeights.fromFile(onnx, bert));
    assertTrue(e.getMessage().contains("--weights") && e.getMessage().contains("hiddenSize is 384 in the weights"),
        e.getMessage());
  }

  private static void assertRealValue(float v) {
    assertTrue(Float.isFinite(v) && v != 0f, "value " + v);
  }
}
