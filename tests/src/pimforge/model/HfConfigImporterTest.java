package pimforge.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import pimforge.TestSupport;
import pimforge.params.ModelShape;
import pimforge.params.ModelShape.Activation;
import pimforge.params.ModelShape.Family;
import pimforge.params.ModelShape.Norm;
import pimforge.params.ParamError;

class HfConfigImporterTest {
  @Test
  void bertNaming() {
    ModelShape s = HfConfigImporter.read(TestSupport.hfConfig("bert-base-uncased"));
    assertEquals("bert-base-uncased", s.name());
    assertEquals(Family.ENCODER, s.family());
    assertEquals(768, s.hiddenSize());
    assertEquals(12, s.numHeads());
    assertEquals(12, s.numKvHeads());
    assertEquals(12, s.numLayers());
    assertEquals(3072, s.ffnSize());
    assertEquals(512, s.maxPositions());
    assertEquals(30522, s.vocabSize());
    assertEquals(1e-12, s.normEps());
    assertEquals(Activation.GELU, s.activation());
    assertEquals(Norm.LAYERNORM, s.norm());
    assertFalse(s.preNorm());
    assertFalse(s.gatedFfn());
  }

  @Test
  void gpt2NamingWithNullInner() {
    ModelShape s = HfConfigImporter.read(TestSupport.hfConfig("gpt2"));
    assertEquals(Family.DECODER, s.family());
    assertEquals(768, s.hiddenSize());
    assertEquals(12, s.numHeads());
    assertEquals(12, s.numLayers());
    assertEquals(4 * 768, s.ffnSize(), "n_inner null means 4 * n_embd");
    assertEquals(1024, s.maxPositions());
    assertEquals(50257, s.vocabSize());
    assertEquals(Activation.GELU_TANH, s.activation(), "gelu_new is the tanh approximation");
    assertEquals(1e-5, s.normEps());
    assertTrue(s.preNorm());
    assertEquals(ModelPresets.get("gpt2").get(), s, "import equals the preset");
  }

  @Test
  void optNaming() {
    ModelShape s = HfConfigImporter.read(TestSupport.hfConfig("opt-1.3b"));
    assertEquals(ModelPresets.get("opt-1.3b").get(), s);
  }

  @Test
  void optPostLayerNormWhenLayerNormAfter() throws Exception {
    var tree = new ObjectMapper().readTree(
        "{\"model_type\":\"opt\",\"hidden_size\":1024,\"num_attention_heads\":16,\"num_hidden_layers\":24,"
            + "\"ffn_dim\":4096,\"max_position_embeddings\":2048,\"vocab_size\":50272,"
            + "\"activation_function\":\"relu\",\"do_layer_norm_before\":false}");
    assertFalse(HfConfigImporter.fromTree(tree, "opt-350m", "x").preNorm());
  }

  @Test
  void llamaNamingDefaultsKvHeadsToHeads() {
    ModelShape s = HfConfigImporter.read(TestSupport.hfConfig("Llama-2-7b-hf"));
    assertEquals("llama-2-7b-hf", s.name(), "folder name lower-cased");
    assertEquals(32, s.numKvHeads());
    assertEquals(Norm.RMSNORM, s.norm());
    assertEquals(Activation.SILU, s.activation());
    assertTrue(s.gatedFfn());
    assertTrue(s.preNorm());
    assertEquals(11008, s.ffnSize());
  }

  @Test
  void llama3AndMistralGroupedQueryAttention() {
    ModelShape l3 = HfConfigImporter.read(TestSupport.hfConfig("Meta-Llama-3-8B"));
    assertEquals(8, l3.numKvHeads());
    assertEquals(1024, l3.kvDim());
    assertEquals(8192, l3.maxPositions());
    ModelShape m = HfConfigImporter.read(TestSupport.hfConfig("Mistral-7B-v0.1"));
    assertEquals("mistral-7b-v0.1", m.name());
    assertEquals(8, m.numKvHeads());
    assertEquals(14336, m.ffnSize());
    assertEquals(32768, m.maxPositions());
    assertEquals(Norm.RMSNORM, m.norm());
  }

  @Test
  void missingFieldNamesTheHfField() {
    ParamError e = assertThrows(ParamError.class,
        () -> HfConfigImporter.read(TestSupport.hfConfig("bad-missing-hidden")));
    assertTrue(e.getMessage().endsWith("config.json: hidden_size is missing (or n_embd, dim)"), e.getMessage());
  }

  @Test
  void wrongTypeNamesTheHfField() {
    ParamError e = assertThrows(ParamError.class,
        () -> HfConfigImporter.read(TestSupport.hfConfig("bad-string-heads")));
    assertTrue(e.getMessage().contains("num_attention_heads is \"12\""), e.getMessage());
    assertTrue(e.getMessage().contains("allowed an integer"), e.getMessage());
  }

  @Test
  void unknownModelTypeListsTheKnownOnes() throws Exception {
    var tree = new ObjectMapper().readTree("{\"model_type\":\"xlnet\",\"hidden_size\":512}");
    ParamError e = assertThrows(ParamError.class, () -> HfConfigImporter.fromTree(tree, "xlnet", "config.json"));
    assertTrue(e.getMessage().contains("model_type is 'xlnet'"), e.getMessage());
    assertTrue(e.getMessage().contains("llama"), e.getMessage());
  }

  @Test
  void valuesAreValidatedByModelShape() throws Exception {
    var tree = new ObjectMapper().readTree(
        "{\"model_type\":\"bert\",\"hidden_size\":768,\"num_attention_heads\":10,\"num_hidden_layers\":12,"
            + "\"intermediate_size\":3072,\"max_position_embeddings\":512,\"vocab_size\":30522}");
    ParamError e = assertThrows(ParamError.class, () -> HfConfigImporter.fromTree(tree, "b", "config.json"));
    assertEquals("model.numHeads", e.field());
  }

  @Test
  void sanitizeMakesLegalNames() {
    assertEquals("my-model_v2.1", HfConfigImporter.sanitize("My Model_v2.1"));
    assertEquals("x", HfConfigImporter.sanitize("--X"));
    assertEquals(64, HfConfigImporter.sanitize("a".repeat(100)).length());
  }

  @Test
  void distilbertNamingAndModelTypeFallbackName() throws Exception {
    var tree = new ObjectMapper().readTree(
        "{\"model_type\":\"distilbert\",\"dim\":768,\"n_heads\":12,\"n_layers\":6,\"hidden_dim\":3072,"
            + "\"max_position_embeddings\":512,\"vocab_size\":30522,\"activation\":\"gelu\",\"qa_dropout\":0.1}");
    ModelShape s = HfConfigImporter.fromTree(tree, "distilbert", "config.json");
    assertEquals(6, s.numLayers());
    assertEquals(3072, s.ffnSize());
    assertEquals(Family.ENCODER, s.family());
    assertEquals("distilbert", HfConfigImporter.defaultName(java.nio.file.Path.of("/config.json"), tree));
  }
}
