package pimforge.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import pimforge.RealConfigs;
import pimforge.config.HwConfigReader;
import pimforge.mapping.Mapper;
import pimforge.mapping.MappingResult;
import pimforge.mapping.MatrixMapping;
import pimforge.params.ModelFeatures;
import pimforge.params.ModelFeatures.Block;
import pimforge.params.ModelFeatures.Positions;
import pimforge.params.ModelFeatures.WindowLayers;
import pimforge.params.ModelShape;
import pimforge.params.ModelShape.Activation;
import pimforge.params.ModelShape.Family;
import pimforge.params.ModelShape.Norm;
import pimforge.params.ParamError;
import pimforge.params.Rope;
import pimforge.params.Rope.Pairing;

/**
 * Every file in ../shared/real-configs/ is imported faithfully (the fields that change the
 * computation or the weight count asserted) or refused with one line naming the field.
 */
class RealConfigsImportTest {
  private static ModelShape read(String file) {
    return HfConfigImporter.read(RealConfigs.file(file));
  }

  private static ParamError refused(String file) {
    return assertThrows(ParamError.class, () -> read(file));
  }

  private static MappingResult map(ModelShape m) {
    return Mapper.map(HwConfigReader.defaults(m));
  }

  private static MatrixMapping matrix(List<MatrixMapping> list, String name) {
    return list.stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
  }

  private static void assertShape(ModelShape s, Family family, int hidden, int heads, int kv, int layers, int ffn,
      int positions, int vocab) {
    assertEquals(family, s.family(), "family");
    assertEquals(hidden, s.hiddenSize(), "hidden");
    assertEquals(heads, s.numHeads(), "heads");
    assertEquals(kv, s.numKvHeads(), "kv heads");
    assertEquals(layers, s.numLayers(), "layers");
    assertEquals(ffn, s.ffnSize(), "ffn");
    assertEquals(positions, s.maxPositions(), "positions");
    assertEquals(vocab, s.vocabSize(), "vocab");
  }

  @Test
  void everyFileIsCoveredHere() throws IOException {
    Set<String> covered = Set.of("albert-base-v2.json", "bart-base-smiles.json", "bloom-3b.json",
        "deberta-v3-base.json", "distilbert-base-uncased.json", "gemma2-9b-it.json", "gpt-j-6b.json",
        "gpt-neo-125m.json", "gpt2-gptq4bit.json", "llava-1.5-7b-hf.json", "mistral-7b-instruct-v0.3-todict.json",
        "mixtral-8x7b-llmservingsim.json", "mpnet-all-mpnet-base-v2.json", "phi-2-mixformer-legacy.json",
        "phi-2.json", "roberta-base-legacy.json", "roberta-base-lfs-pointer.json", "t5-small.json",
        "vit-base-patch16-224.json");
    try (Stream<Path> files = Files.list(RealConfigs.dir())) {
      files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json"))
          .forEach(n -> assertTrue(covered.contains(n), "no test for " + n));
    }
  }

  @Test
  void gpt2Gptq4BitIsRefusedNamingQuantizationConfig() {
    ParamError e = refused("gpt2-gptq4bit.json");
    assertTrue(e.getMessage().contains("quantization_config says gptq 4-bit weights, group_size 128"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
  }

  @Test
  void robertaLegacyWithoutModelTypeIsReadAsRoberta() {
    ModelShape s = read("roberta-base-legacy.json");
    assertEquals("roberta-base-legacy", s.name(), "file name, not the folder");
    // 514 position rows include the padding offset pad_token_id + 1 = 2 (RobertaEmbeddings).
    assertShape(s, Family.ENCODER, 768, 12, 12, 12, 3072, 512, 50265);
    assertEquals(1e-5, s.normEps());
    assertFalse(s.preNorm());
    assertEquals(Activation.GELU, s.activation());
    assertEquals(ModelFeatures.NONE.positions(), s.features().positions());
    assertTrue(s.features().notes().get(0).startsWith("model_type missing (a config from before transformers 3): read "
        + "as 'roberta', guessed from the file name"), s.features().notes().toString());
  }

  @Test
  void robertaLfsPointerIsOneClearLine() {
    ParamError e = refused("roberta-base-lfs-pointer.json");
    assertTrue(e.getMessage().endsWith("roberta-base-lfs-pointer.json: is not JSON: it looks like a Git LFS pointer "
        + "(the real config.json was not downloaded; run 'git lfs pull' in the model repository)"), e.getMessage());
  }

  @Test
  void albertSharesOneWeightSetAndProjectsItsEmbeddings() {
    ModelShape s = read("albert-base-v2.json");
    assertShape(s, Family.ENCODER, 768, 12, 12, 12, 3072, 512, 30000);
    assertEquals(1, s.storedLayers());
    assertEquals(128, s.features().embeddingSize());
    assertEquals(Activation.GELU_TANH, s.activation(), "gelu_new");
    MappingResult r = map(s);
    long perLayer = 4L * 768 * 768 + 2L * 768 * 3072;
    assertEquals(perLayer + 128L * 768, r.weights(), "one layer's weights plus the 128 x 768 projection");
    assertEquals(7_176_192L, r.weights());
    assertEquals(128, matrix(r.oncePerModel(), "embeddingProjection").inputs());
    assertEquals(12, r.layers());
    assertEquals(1, r.storedLayers());
  }

  @Test
  void distilbertNaming() {
    ModelShape s = read("distilbert-base-uncased.json");
    assertShape(s, Family.ENCODER, 768, 12, 12, 6, 3072, 512, 30522);
    assertEquals(Positions.LEARNED, s.features().positions(), "sinusoidal_pos_embds false");
    assertEquals(Activation.GELU, s.activation());
  }

  @Test
  void mpnetKeepsItsRelativeBiasAndPaddingOffset() {
    ModelShape s = read("mpnet-all-mpnet-base-v2.json");
    assertShape(s, Family.ENCODER, 768, 12, 12, 12, 3072, 512, 30527);
    assertEquals(32, s.features().relativeBuckets());
    assertEquals(1e-5, s.normEps());
  }

  @Test
  void debertaDisentangledAttentionIsRefused() {
    ParamError e = refused("deberta-v3-base.json");
    assertTrue(e.getMessage().contains("relative_attention is true: DeBERTa's disentangled attention (pos_att_type "
        + "[p2c,c2p])"), e.getMessage());
  }

  @Test
  void gptJRotatesInterleavedPairsInAParallelBlock() {
    ModelShape s = read("gpt-j-6b.json");
    assertShape(s, Family.DECODER, 4096, 16, 16, 28, 4 * 4096, 2048, 50400);
    assertEquals(256, s.headDim());
    assertEquals(Rope.plain(10000.0, 64, Pairing.INTERLEAVED), s.features().rope());
    assertEquals(Block.PARALLEL_SHARED_NORM, s.features().block());
    assertEquals(Norm.LAYERNORM, s.norm());
    assertEquals(Activation.GELU_TANH, s.activation());
  }

  @Test
  void gptNeoAlternatesGlobalAndLocalAttentionWithoutScaling() {
    ModelShape s = read("gpt-neo-125m.json");
    assertShape(s, Family.DECODER, 768, 12, 12, 12, 3072, 2048, 50257);
    assertEquals(256, s.features().slidingWindow());
    assertEquals(WindowLayers.ODD, s.features().windowLayers(), "attention_layers: global, local, ...");
    assertEquals(1, s.features().queryScaleDim(), "GPT-Neo does not divide the scores by sqrt(head_dim)");
    assertEquals(Positions.LEARNED, s.features().positions());
  }

  @Test
  void bloomUsesAlibiAndItsTrainingLength() {
    ModelShape s = read("bloom-3b.json");
    assertShape(s, Family.DECODER, 2560, 32, 32, 30, 4 * 2560, 2048, 250880);
    assertEquals(Positions.ALIBI, s.features().positions());
    assertNull(s.features().rope());
    assertEquals(Activation.GELU_TANH, s.activation());
    assertTrue(s.features().notes().get(0).contains("ALiBi sets no position limit"), s.features().notes().toString());
  }

  @Test
  void phi2IsThePresetAndTheLegacyFormatAgrees() {
    ModelShape preset = ModelPresets.get("phi-2").orElseThrow();
    ModelShape s = read("phi-2.json");
    assertEquals(preset, rename(s, "phi-2"));
    assertEquals(32, s.features().rope().rotaryDim(), "partial_rotary_factor 0.4 of head_dim 80");
    assertEquals(Block.PARALLEL_SHARED_NORM, s.features().block());
    ModelShape legacy = read("phi-2-mixformer-legacy.json");
    assertEquals(preset.features(), withoutNotes(legacy).features());
    assertEquals(preset, withoutNotes(rename(legacy, "phi-2")));
  }

  @Test
  void gemma2ExplicitHeadDimSoftcapAndHalfSlidingLayers() {
    ModelShape s = read("gemma2-9b-it.json");
    assertShape(s, Family.DECODER, 3584, 16, 8, 42, 14336, 8192, 256000);
    assertEquals(256, s.headDim(), "explicit head_dim, not 3584 / 16 = 224");
    assertEquals(4096, s.qDim());
    assertEquals(2048, s.kvDim());
    ModelFeatures f = s.features();
    assertEquals(4096, f.slidingWindow());
    assertEquals(WindowLayers.EVEN, f.windowLayers());
    assertEquals(50.0, f.attnLogitSoftcap());
    assertEquals(224, f.queryScaleDim());
    assertTrue(f.sandwichNorm());
    assertEquals(Rope.plain(10000.0, 256, Pairing.HALVES), f.rope());
    assertEquals(Activation.GELU_TANH, s.activation());
    assertEquals(Norm.RMSNORM, s.norm());
    assertEquals(1e-6, s.normEps());
    MappingResult r = map(s);
    assertEquals(3584, matrix(r.perLayer(), "q").inputs());
    assertEquals(4096, matrix(r.perLayer(), "q").outputs());
    assertEquals(4096, matrix(r.perLayer(), "o").inputs());
    assertEquals(2048, matrix(r.perLayer(), "k").outputs());
  }

  @Test
  void mistralToDictDumpIsADecoderDespiteIsDecoderFalse() {
    ModelShape s = read("mistral-7b-instruct-v0.3-todict.json");
    assertShape(s, Family.DECODER, 4096, 32, 8, 32, 14336, 32768, 32768);
    assertEquals(Rope.plain(1000000.0, 128, Pairing.HALVES), s.features().rope());
    assertEquals(0, s.features().slidingWindow(), "sliding_window null");
    assertTrue(s.gatedFfn());
  }

  @Test
  void mixtralCountsEveryExpertAndTheRouter() {
    ModelShape s = read("mixtral-8x7b-llmservingsim.json");
    assertShape(s, Family.DECODER, 4096, 32, 8, 32, 14336, 32768, 32000);
    assertEquals(8, s.features().numExperts());
    assertEquals(2, s.features().expertsPerToken());
    assertEquals(Activation.SILU, s.activation(), "MixtralConfig default hidden_act");
    assertEquals(1e-5, s.normEps(), "MixtralConfig default rms_norm_eps");
    assertEquals(1e6, s.features().rope().theta(), "MixtralConfig default rope_theta");
    MappingResult r = map(s);
    assertEquals(8, matrix(r.perLayer(), "ffnUp").copies());
    assertEquals(8, matrix(r.perLayer(), "ffnGate").copies());
    assertEquals(8, matrix(r.perLayer(), "ffnDown").copies());
    assertEquals(8, matrix(r.perLayer(), "router").outputs());
    long attention = 2L * 4096 * 4096 + 2L * 4096 * 1024;
    long experts = 8L * 3 * 4096 * 14336;
    long perLayer = attention + 4096L * 8 + experts;
    assertEquals(perLayer * 32, r.weights());
    assertEquals(46_440_382_464L, r.weights(), "46.4 G weights in the layers (Mixtral-8x7B: 46.7 G with embeddings)");
    assertEquals(r.weights(), r.weightBytes(), "8-bit weights");
  }

  @Test
  void t5AndBartEncoderDecodersAreRefused() {
    ParamError t5 = refused("t5-small.json");
    assertTrue(t5.getMessage().contains("model_type is 't5': an encoder-decoder"), t5.getMessage());
    assertTrue(t5.getMessage().contains("relative_attention_num_buckets"), t5.getMessage());
    ParamError bart = refused("bart-base-smiles.json");
    assertTrue(bart.getMessage().contains("model_type is 'bart': an encoder-decoder"), bart.getMessage());
  }

  @Test
  void llavaReadsTextConfigWithLlamaDefaults() {
    ModelShape s = read("llava-1.5-7b-hf.json");
    assertShape(s, Family.DECODER, 4096, 32, 32, 32, 11008, 4096, 32064);
    assertEquals(1e-5, s.normEps());
    assertEquals(Rope.plain(10000.0, 128, Pairing.HALVES), s.features().rope());
    String notes = String.join(" | ", s.features().notes());
    assertTrue(notes.contains("llama defaults used for hidden_size 4096, intermediate_size 11008, num_hidden_layers 32, "
        + "num_attention_heads 32, hidden_act \"silu\", rope_theta 10000.0"), notes);
    assertTrue(notes.contains("vision_config (clip_vision_model) and the multi-modal projector are not mapped"), notes);
  }

  @Test
  void vitCountsPatchesAndMapsThePatchEmbedding() {
    ModelShape s = read("vit-base-patch16-224.json");
    assertShape(s, Family.ENCODER, 768, 12, 12, 12, 3072, 197, 0);
    assertTrue(s.preNorm(), "ViT is pre-norm");
    assertEquals(196, s.features().patches().patches());
    MatrixMapping patch = matrix(map(s).oncePerModel(), "patchEmbedding");
    assertEquals(3 * 16 * 16, patch.inputs());
    assertEquals(768, patch.outputs());
    ModelShape preset = ModelPresets.get("vit-b16").orElseThrow();
    assertEquals(preset, withoutNotes(rename(s, "vit-b16")));
  }

  static ModelShape rename(ModelShape s, String name) {
    return new ModelShape(name, s.family(), s.hiddenSize(), s.numHeads(), s.numKvHeads(), s.numLayers(), s.ffnSize(),
        s.maxPositions(), s.vocabSize(), s.norm(), s.normEps(), s.activation(), s.gatedFfn(), s.preNorm(),
        s.features());
  }

  static ModelShape withoutNotes(ModelShape s) {
    ModelFeatures.Builder b = s.features().toBuilder();
    b.notes.clear();
    return s.withFeatures(b.build());
  }
}
