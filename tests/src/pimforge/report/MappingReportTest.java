package pimforge.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import pimforge.config.HwConfigReader;
import pimforge.mapping.Mapper;
import pimforge.mapping.MappingResult;
import pimforge.model.ModelPresets;
import pimforge.params.BankParams;
import pimforge.params.HwParams;

class MappingReportTest {
  private static final HwParams GPT2 = HwConfigReader.defaults(ModelPresets.get("gpt2").orElseThrow());

  @Test
  void jsonKeysCarryUnitsAndValuesMatchTheMapper() throws Exception {
    MappingResult r = Mapper.map(GPT2);
    DesignId id = DesignId.of(GPT2, "PimBank");
    JsonNode j = new ObjectMapper().readTree(MappingReport.text(r, id));
    assertEquals(id.hash(), j.get("hash").asText());
    assertEquals(r.kvCacheBytesAtBudget(), j.at("/kvCache/kvCacheBytesAtBudget").asLong());
    assertEquals(12L * 12 * 64 * 2 * 1024, j.at("/kvCache/kvCacheBytesAtMaxPositions").asLong());
    assertEquals(r.weightBytes(), j.at("/totals/weightBytes").asLong());
    assertEquals(100.0, j.at("/totals/cellUtilisationPercent").asDouble());
    assertEquals(6, j.at("/mapping/matricesPerLayer").size());
    assertEquals(36, j.at("/mapping/matricesPerLayer/0/tiles").asInt());
    // default bank: 2x2 tiles of 128x128, 8 lanes, 8-bit inputs
    assertEquals(1 + 4 * 128 * 16, j.at("/bankTiming/weightLoadCycles").asLong());
    assertEquals((1 + 32) + 16 * 8 + 2 + 2 * 16, j.at("/bankTiming/multiplyCycles").asLong());
    // gpt2 at the default 128 tokens: K and V (128 x 768 each) vs X and X^T (128 x 768 each)
    assertEquals(2L * 128 * 768, j.at("/attentionSchedules/straightforward/crossbarWriteEntries").asLong());
    assertEquals(2L * 128 * 768, j.at("/attentionSchedules/decomposed/crossbarWriteEntries").asLong());
    assertEquals(false, j.at("/attentionSchedules/decomposed/writesWaitForProjections").asBoolean());
    assertEquals(MappingReport.text(r, id), MappingReport.text(Mapper.map(GPT2), id), "deterministic");
  }

  @Test
  void kvCacheWithAndWithoutTheControllersCompression() throws Exception {
    MappingResult r = Mapper.map(GPT2);
    JsonNode j = new ObjectMapper().readTree(MappingReport.text(r, DesignId.of(GPT2, "PimBank")));
    // gpt2, head dim 64, default 8-bit K/V, groups of 32: key record 64 + 64 * 8 bits = 9 beats, value record
    // 2 * (exponent 1 bit + 32 + 32 * 8) bits = 578 bits = 10 beats; 8 bytes a beat
    assertEquals(72 + 80, j.at("/kvCache/controller/recordBytesPerTokenPerKvHead").asLong());
    assertEquals(152L * 12, j.at("/kvCache/controller/bytesPerTokenPerLayerWorstCase").asLong());
    assertEquals(152L * 1024 * 12 * 12, j.at("/kvCache/controller/bytesAtCapacityWorstCase").asLong());
    assertEquals(12L * 12 * 64 * 2 * 2 * 1024, j.at("/kvCache/fp16BytesAtBudget").asLong());
    String md = MarkdownReport.text(r, DesignId.of(GPT2, "PimBank"), null);
    assertTrue(md.contains("stored by the KV-cache controller"), md);
  }

  @Test
  void markdownSummarisesFitAndKvCache() {
    HwParams small = GPT2.withBank(new BankParams(2, 2, 10));
    String md = MarkdownReport.text(Mapper.map(small), DesignId.of(small, "PimBank"));
    assertTrue(md.startsWith("<!-- pimforge gpt2 "), md);
    assertTrue(md.contains("| q | 768 x 768 | 6 x 6 | 36 | 9 | 100.00 % |"), md);
    assertTrue(md.contains("1296 needed, 10 available: **does not fit**"), md);
    assertTrue(md.contains("at maxPositions (1024 tokens): 18874368 B (18.00 MiB)"), md);
    assertTrue(md.contains("| STRAIGHTFORWARD | 196608 | 786432 | yes |"), md);
    assertTrue(md.contains("matrix-vector product: 195 cycles = input load 33 + compute 128 + tile pipeline 2 + drain 32"), md);
  }
}
