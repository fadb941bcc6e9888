package pimforge.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import pimforge.RealConfigs;
import pimforge.config.HwConfigReader;
import pimforge.mapping.Mapper;
import pimforge.mapping.MappingResult;
import pimforge.model.HfConfigImporter;
import pimforge.model.ModelPresets;
import pimforge.params.HwParams;

/** report.md and report.json show every honoured block feature and count every weight. */
class ModelFeaturesReportTest {
  private static HwParams real(String file) {
    return HwConfigReader.defaults(HfConfigImporter.read(RealConfigs.file(file)));
  }

  @Test
  void mixtralExpertsAndRouterInBothReports() throws Exception {
    HwParams p = real("mixtral-8x7b-llmservingsim.json");
    MappingResult r = Mapper.map(p);
    DesignId id = DesignId.of(p, "PimBank");
    String md = MarkdownReport.text(r, id);
    assertTrue(md.contains("- mixture of experts: 8 experts per layer, top-2 routing, router hidden x 8"), md);
    assertTrue(md.contains("| ffnUp (x8 experts) | 4096 x 14336 |"), md);
    assertTrue(md.contains("| router | 4096 x 8 |"), md);
    assertTrue(md.contains("- weights mapped: 46440382464 "), md);
    JsonNode j = new ObjectMapper().readTree(MappingReport.text(r, id));
    assertEquals(46_440_382_464L, j.at("/totals/weights").asLong());
    assertEquals(8, j.at("/model/features/numExperts").asInt());
    JsonNode up = j.at("/mapping/matricesPerLayer/5");
    assertEquals("ffnUp", up.get("name").asText());
    assertEquals(8, up.get("copies").asInt());
    assertEquals(r.totalTiles(), j.at("/totals/tiles").asLong());
  }

  @Test
  void gemma2FeaturesAndTheRotaryScheduleNote() {
    HwParams p = real("gemma2-9b-it.json");
    String md = MarkdownReport.text(Mapper.map(p), DesignId.of(p, "PimBank"));
    assertTrue(md.contains("16 heads x 256 (8 KV heads)"), md);
    assertTrue(md.contains("- explicit head_dim 256: Q projection 3584 x 4096, O projection 4096 x 3584"), md);
    assertTrue(md.contains("- sliding-window attention of 4096 tokens on even layers"), md);
    assertTrue(md.contains("- attention logit soft-capping 50"), md);
    assertTrue(md.contains("- scores scaled by 1/sqrt(224)"), md);
    assertTrue(md.contains("- extra norms after attention and FFN (four per layer)"), md);
    assertTrue(md.contains("- note: final_logit_softcapping 30.0 applies to the LM head logits (not mapped)"), md);
    assertTrue(md.contains("the DECOMPOSED figures do not apply"), md);
  }

  @Test
  void gptNeoWindowAndUnscaledScores() {
    HwParams p = real("gpt-neo-125m.json");
    String md = MarkdownReport.text(Mapper.map(p), DesignId.of(p, "PimBank"));
    assertTrue(md.contains("- sliding-window attention of 256 tokens on odd layers (the KV-cache figures keep every "
        + "token on every layer)"), md);
    assertTrue(md.contains("- scores not scaled (no 1/sqrt(head_dim))"), md);
  }

  @Test
  void vitPatchEmbeddingIsMappedOnce() throws Exception {
    HwParams p = HwConfigReader.defaults(ModelPresets.get("vit-b16").orElseThrow());
    MappingResult r = Mapper.map(p);
    String md = MarkdownReport.text(r, DesignId.of(p, "PimBank"));
    assertTrue(md.contains("- image 224x224, 16x16 patches of 3 channels: 197 tokens incl. class token"), md);
    assertTrue(md.contains("| patchEmbedding | 768 x 768 |"), md);
    assertEquals(12L * (4L * 768 * 768 + 2L * 768 * 3072) + 768L * 768, r.weights());
    JsonNode j = new ObjectMapper().readTree(MappingReport.text(r, DesignId.of(p, "PimBank")));
    assertEquals("patchEmbedding", j.at("/mapping/matricesOncePerModel/0/name").asText());
  }

  @Test
  void presetsCarryTheirRope() {
    HwParams p = HwConfigReader.defaults(ModelPresets.get("llama3-8b").orElseThrow());
    String md = MarkdownReport.text(Mapper.map(p), DesignId.of(p, "PimBank"));
    assertTrue(md.contains("- RoPE theta 500000, 128 of 128 dims rotated, halves pairing"), md);
  }
}
