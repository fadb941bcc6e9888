package pimforge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import pimforge.RealConfigs;
import pimforge.TestSupport;
import pimforge.TestSupport.Run;

/**
 * The real configs of ../shared/real-configs through the CLI: refused ones exit 2 with one line
 * naming the field and write nothing; imported ones that the layer top cannot compute yet are
 * refused by {@code --top LayerTop} and {@code simulate}, naming the model feature; an imported
 * one generates a design whose report.md shows its block features. (The decoders whose block
 * features the layer top computes are checked in pimforge.layer.RealDecoderLayersTest.)
 */
class RealConfigsCliTest {
  @TempDir
  Path tmp;

  static Stream<Arguments> refusedByTheImporter() {
    return Stream.of(
        Arguments.of("gpt2-gptq4bit.json", "quantization_config says gptq 4-bit weights, group_size 128"),
        Arguments.of("deberta-v3-base.json", "relative_attention is true: DeBERTa's disentangled attention"),
        Arguments.of("t5-small.json", "model_type is 't5': an encoder-decoder"),
        Arguments.of("bart-base-smiles.json", "model_type is 'bart': an encoder-decoder"),
        Arguments.of("roberta-base-lfs-pointer.json", "is not JSON: it looks like a Git LFS pointer"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusedByTheImporter")
  void generateRefuses(String file, String message) throws Exception {
    Path cfg = RealConfigs.file(file);
    assertOneLine(TestSupport.cli("generate", "--model", cfg.toString(), "--out", out()), cfg + ": " + message);
  }

  static Stream<Arguments> refusedByTheLayerTop() {
    return Stream.of(
        Arguments.of("mixtral-8x7b-llmservingsim.json", "model.features.numExperts: is 8 (top-2 routing)"),
        Arguments.of("gemma2-9b-it.json", "model.features.attnLogitSoftcap: is 50.0"),
        Arguments.of("mpnet-all-mpnet-base-v2.json", "model.features.relativeBuckets: is 32"));
  }

  @org.junit.jupiter.api.Test
  void aSlidingWindowAsLongAsThePassIsExact() throws Exception {
    // GPT-Neo's 256-token window covers a pass of at most 256 tokens: nothing is refused then (the
    // design is generated in full by other tests; here the plan and the support check suffice).
    pimforge.params.ModelShape m = pimforge.model.HfConfigImporter.read(RealConfigs.file("gpt-neo-125m.json"));
    pimforge.params.HwParams p = pimforge.config.HwConfigReader.fromTree(
        new com.fasterxml.jackson.databind.ObjectMapper().readTree("{\"attention\": {\"maxSeqLen\": 256}}"), m);
    pimforge.layer.LayerSupport.require(p);
    pimforge.params.HwParams longer = p.withAttention(new pimforge.params.AttentionParams(512,
        pimforge.params.AttentionParams.Schedule.DECOMPOSED, 2));
    pimforge.params.ParamError e = org.junit.jupiter.api.Assertions.assertThrows(pimforge.params.ParamError.class,
        () -> pimforge.layer.LayerSupport.require(longer));
    assertEquals("model.features.slidingWindow", e.field());
    assertTrue(e.getMessage().contains("is 256 tokens on odd layers, shorter than attention.maxSeqLen = 512"),
        e.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusedByTheLayerTop")
  void layerTopRefusesWhatItDoesNotCompute(String file, String message) throws Exception {
    String cfg = RealConfigs.file(file).toString();
    assertOneLine(TestSupport.cli("generate", "--model", cfg, "--top", "LayerTop", "--out", out()), message);
    assertOneLine(TestSupport.cli("simulate", "--model", cfg, "--cache", tmp.resolve("out/cache").toString()), message);
  }

  @Test
  void albertGeneratesWithItsSharedLayersInTheReport() throws Exception {
    Run r = TestSupport.cli("generate", "--model", RealConfigs.file("albert-base-v2.json").toString(), "--top", "PimBank", "--out", out());
    assertEquals(0, r.code(), r.err());
    Path dir;
    try (Stream<Path> s = Files.list(tmp.resolve("out"))) {
      dir = s.filter(p -> p.getFileName().toString().startsWith("albert-base-v2-")).findFirst().orElseThrow();
    }
    String md = Files.readString(dir.resolve("report.md"));
    assertTrue(md.contains("- embedding projection 128 -> 768"), md);
    assertTrue(md.contains("- shared layers: 1 weight set(s) executed as 12 layers"), md);
    assertTrue(md.contains("## Mapping (one layer; 12 layers executed, sharing 1 stored weight set(s))"), md);
    assertTrue(md.contains("| embeddingProjection | 128 x 768 |"), md);
    assertTrue(md.contains("- weights mapped: 7176192 "), md);
    String json = Files.readString(dir.resolve("design.json"));
    assertTrue(json.contains("\"embeddingSize\" : 128"), json);
  }

  private String out() {
    return tmp.resolve("out").toString();
  }

  private void assertOneLine(Run r, String message) throws Exception {
    assertEquals(2, r.code(), r.err());
    assertEquals("", r.out());
    assertEquals(1, r.err().lines().count(), "exactly one line: " + r.err());
    assertTrue(r.err().startsWith("error: "), r.err());
    assertTrue(r.err().contains(message), "says " + message + ": " + r.err());
    assertEquals(0, TestSupport.entriesUnder(tmp.resolve("out")), "nothing written under --out");
  }
}
