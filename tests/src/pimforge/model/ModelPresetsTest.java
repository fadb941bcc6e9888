package pimforge.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import pimforge.TestSupport;
import pimforge.params.ModelShape;
import pimforge.params.ModelShape.Family;
import pimforge.params.ParamError;

class ModelPresetsTest {
  private static ModelShape preset(String n) {
    return ModelPresets.get(n).orElseThrow();
  }

  @Test
  void shapesMatchReferenceTable() {
    assertShape(preset("bert-base"), 768, 12, 12, 12, 3072, 512, 30522);
    assertShape(preset("bert-large"), 1024, 16, 24, 16, 4096, 512, 30522);
    assertShape(preset("gpt2"), 768, 12, 12, 12, 3072, 1024, 50257);
    assertShape(preset("opt-1.3b"), 2048, 32, 24, 32, 8192, 2048, 50272);
    assertShape(preset("llama2-7b"), 4096, 32, 32, 32, 11008, 4096, 32000);
    assertShape(preset("llama3-8b"), 4096, 32, 32, 8, 14336, 8192, 128256);
    assertShape(preset("mistral-7b"), 4096, 32, 32, 8, 14336, 32768, 32000);
    assertShape(preset("all-minilm-l6-v2"), 384, 12, 6, 12, 1536, 512, 30522);
    assertShape(preset("tiny"), 64, 4, 2, 4, 256, 128, 1000);
  }

  private static void assertShape(ModelShape s, int hidden, int heads, int layers, int kv, int ffn, int pos, int vocab) {
    assertEquals(hidden, s.hiddenSize(), s.name());
    assertEquals(heads, s.numHeads(), s.name());
    assertEquals(layers, s.numLayers(), s.name());
    assertEquals(kv, s.numKvHeads(), s.name());
    assertEquals(ffn, s.ffnSize(), s.name());
    assertEquals(pos, s.maxPositions(), s.name());
    assertEquals(vocab, s.vocabSize(), s.name());
  }

  @Test
  void familiesAndNormPlacement() {
    assertEquals(Family.ENCODER, preset("all-minilm-l6-v2").family());
    assertEquals(1e-12, preset("all-minilm-l6-v2").normEps());
    assertEquals(32, preset("all-minilm-l6-v2").headDim());
    assertEquals(Family.DECODER, preset("mistral-7b").family());
    assertTrue(preset("mistral-7b").gatedFfn());
    assertEquals(ModelShape.Activation.RELU, preset("opt-1.3b").activation());
  }

  @Test
  void resolverTakesPresetFileOrFolder() {
    assertEquals(preset("tiny"), ModelResolver.resolve("tiny"));
    var file = TestSupport.hfConfig("gpt2");
    assertEquals(768, ModelResolver.resolve(file.toString()).hiddenSize());
    assertEquals(768, ModelResolver.resolve(file.getParent().toString()).hiddenSize());
  }

  @Test
  void resolverListsPresetsForUnknownName() {
    ParamError e = assertThrows(ParamError.class, () -> ModelResolver.resolve("bert-huge"));
    assertEquals("--model", e.field());
    assertTrue(e.getMessage().contains("bert-base, bert-large"), e.getMessage());
  }

  @Test
  void newPresetsAndTheRopeOfTheDecoders() {
    assertShape(preset("qwen2-7b"), 3584, 28, 28, 4, 18944, 131072, 152064);
    assertShape(preset("phi-2"), 2560, 32, 32, 32, 10240, 2048, 51200);
    assertShape(preset("vit-b16"), 768, 12, 12, 12, 3072, 197, 0);
    assertEquals(pimforge.params.Rope.plain(10000.0, 128, pimforge.params.Rope.Pairing.HALVES),
        preset("llama2-7b").features().rope());
    assertEquals(500000.0, preset("llama3-8b").features().rope().theta());
    assertEquals(1000000.0, preset("qwen2-7b").features().rope().theta());
    assertEquals(4096, preset("mistral-7b").features().slidingWindow());
    assertEquals(32, preset("phi-2").features().rope().rotaryDim());
    assertEquals(ModelShape.Family.ENCODER, preset("vit-b16").family());
    assertEquals(null, preset("gpt2").features().rope(), "learned positions");
    // The Hugging Face fixtures import to the presets' RoPE.
    assertEquals(preset("llama3-8b").features(), HfConfigImporter.read(TestSupport.hfConfig("Meta-Llama-3-8B")).features());
    assertEquals(preset("mistral-7b").features(), HfConfigImporter.read(TestSupport.hfConfig("Mistral-7B-v0.1")).features());
  }
}
