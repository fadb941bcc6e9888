package pimforge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pimforge.TestSupport;
import pimforge.TestSupport.Run;

/** {@code pimforge evaluate} through the CLI: the files it writes, and one-line refusals. */
class EvaluateCommandTest {
  @TempDir
  Path tmp;

  @Test
  void tinyWritesJsonMarkdownAndTheTechTableItUsed() throws Exception {
    Path out = tmp.resolve("ev");
    Run r = TestSupport.cli("evaluate", "--model", "tiny", "--seq", "16", "--decode", "4", "--out", out.toString());
    assertEquals(0, r.code(), r.err());
    JsonNode j = new ObjectMapper().readTree(out.resolve("evaluate.json").toFile());
    assertEquals(16, j.get("seqTokens").asInt());
    assertEquals(20, j.get("attentionMaxSeqLen").asInt(), "layer top sized for seq + decode");
    assertTrue(j.at("/prefill/latency_s").asDouble() > 0);
    assertTrue(j.at("/prefill/energy_J").asDouble() > 0);
    assertEquals(20, j.at("/decodeWithoutKvCache/contextTokens").asInt());
    assertTrue(!j.has("camAttention") && !r.out().contains("CAM attention"), "no CAM section without cam.enabled");
    String md = Files.readString(out.resolve("evaluate.md"));
    assertTrue(md.contains("Without the KV cache (kvCache.enabled off)"), md);
    assertTrue(md.contains("## Decode with the KV-cache controller"), md);
    assertTrue(md.contains("## Scratchpad") && !md.contains("lithography field"), "tiny's scratchpad fits a die");
    assertTrue(md.contains("accelergy") && md.contains("mnsim"), "shows the ADC spread");
    for (String plot : new String[] {"energy-breakdown", "latency-vs-sequence"}) {
      assertTrue(Files.size(out.resolve(plot + ".png")) > 1000, plot);
      assertTrue(Files.readString(out.resolve(plot + ".svg")).contains("<svg"), plot);
    }
    // the written table is a valid --tech file
    Path again = tmp.resolve("ev2");
    Run r2 = TestSupport.cli("evaluate", "--model", "tiny", "--seq", "16", "--tech", out.resolve("tech.json").toString(),
        "--out", again.toString());
    assertEquals(0, r2.code(), r2.err());
    assertEquals(j.at("/prefill/energy_J").asDouble(),
        new ObjectMapper().readTree(again.resolve("evaluate.json").toFile()).at("/prefill/energy_J").asDouble(), 0);
  }

  @Test
  void camDesignPrintsTheCamAttentionBesideCamformer() throws Exception {
    // tiny: d = 16, 64 keys in 4 tiles of 16, top-8, 5-bit ADC (lossless for d = 16), 8 lanes
    Path hw = TestSupport.write(tmp, "hw.json", "{\"attention\": {\"schedule\": \"STRAIGHTFORWARD\"}, \"cam\": {"
        + "\"enabled\": true, \"rowsPerTile\": 16, \"topK\": 8, \"matchAdcBits\": 5, \"cols\": 16, \"lanes\": 8}}");
    Path out = tmp.resolve("ev");
    Run r = TestSupport.cli("evaluate", "--model", "tiny", "--hw", hw.toString(), "--seq", "64", "--out", out.toString());
    assertEquals(0, r.code(), r.err());
    // association 1 + 1 + 2 + 4 + 1, contextualization 8 x 2, output 3 x 1 + 2; the softmax row of 8 (8 lanes)
    assertTrue(r.out().contains("CAM attention, one query against 64 keys: "), r.out());
    assertTrue(r.out().contains("CAMformer's 721 cycles") && r.out().contains("its 54.92 nJ"), r.out());
    JsonNode c = new ObjectMapper().readTree(out.resolve("evaluate.json").toFile()).get("camAttention");
    assertEquals(9, c.at("/cyclesPerAttention/association").asLong());
    assertEquals(16, c.at("/cyclesPerAttention/contextualization").asLong());
    assertEquals(5, c.at("/cyclesPerAttention/output").asLong());
    assertEquals(64, c.at("/eventsPerAttention/adcConversions").asLong());
    double sum = 0;
    for (JsonNode x : c.get("energyByModulePerAttention_pJ")) {
      sum += x.asDouble();
    }
    assertEquals(sum / 1000, c.get("energyPerAttention_nJ").asDouble(), 1e-9);
    assertEquals(c.get("energyPerAttention_nJ").asDouble() / 54.92, c.get("energyRatioToCamformer").asDouble(), 1e-12);
    String md = Files.readString(out.resolve("evaluate.md"));
    assertTrue(md.contains("## CAM attention unit (one query, one head)") && md.contains("| VALUE_SRAM |"), md);
    assertTrue(md.contains("| camMac_pJ |"), "the constants are in the printed technology table");
  }

  @Test
  void camKeysFollowTheEvaluatedSequence() throws Exception {
    Path hw = TestSupport.write(tmp, "hw.json", "{\"cam\": {\"enabled\": true, \"topK\": 8, \"matchAdcBits\": 5, "
        + "\"cols\": 16}}");
    assertUserError(TestSupport.cli("evaluate", "--model", "tiny", "--hw", hw.toString(), "--seq", "40", "--out", out()),
        "cam.rowsPerTile", "is 16, allowed a power of two dividing attention.maxSeqLen = 40 (4..8); evaluate sets "
            + "attention.maxSeqLen = --seq + --decode = 40");
    assertUserError(TestSupport.cli("evaluate", "--model", "tiny", "--hw", hw.toString(), "--seq", "4", "--out", out()),
        "cam.topK", "allowed 1..4 (the keys the CAM holds: attention.maxSeqLen); evaluate sets attention.maxSeqLen = "
            + "--seq + --decode = 4");
  }

  @Test
  void badTechFileIsOneLineAndWritesNothing() throws Exception {
    Path tech = TestSupport.write(tmp, "tech.json", "{\"choices\": {}, \"constants\": {\"adcEnergyIsaac4b_pJ\":"
        + " {\"value\": -0.79, \"source\": \"ISAAC\"}}}");
    assertUserError(TestSupport.cli("evaluate", "--model", "tiny", "--tech", tech.toString(), "--out", out()),
        "tech.constants.adcEnergyIsaac4b_pJ.value", "allowed a finite number >= 0 (in pJ)");
  }

  @Test
  void llamaStyleBlocksAreEvaluated() throws Exception {
    // RoPE, SwiGLU, grouped-query attention: the programs the layer top runs for them are counted.
    Run r = TestSupport.cli("evaluate", "--model", "tiny-llama", "--seq", "16", "--out", out());
    assertEquals(0, r.code(), r.err());
    JsonNode j = new ObjectMapper().readTree(tmp.resolve("out").resolve("evaluate.json").toFile());
    assertTrue(j.at("/prefill/energy_J").asDouble() > 0, j.toString());
  }

  @Test
  void aLayerThatDoesNotFitIsRefusedWithTheReason() throws Exception {
    // 64 heads in flight at 4096 tokens: a scratchpad beyond the ISA's 2^28 words.
    Path hw = TestSupport.write(tmp, "hw.json", "{\"attention\": {\"headPipelineDepth\": 64}}");
    assertUserError(TestSupport.cli("evaluate", "--model", "llama2-7b", "--hw", hw.toString(), "--seq", "4096",
        "--out", out()), "attention.maxSeqLen", "scratchpad");
  }

  @Test
  void llama2At4096TokensShowsItsScratchpad() throws Exception {
    Path out = tmp.resolve("ev");
    Run r = TestSupport.cli("evaluate", "--model", "llama2-7b", "--seq", "4096", "--out", out.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("scratchpad 840.7 MiB per layer top"), r.out());
    JsonNode j = new ObjectMapper().readTree(out.resolve("evaluate.json").toFile());
    JsonNode sp = j.get("scratchpad");
    assertEquals(27548934, sp.get("wordsPerLayerTop").asLong());
    assertEquals(25, sp.get("addressBits").asInt());
    assertEquals(27548934.0 * 8 * 32 / 8 / (1 << 20), sp.get("perLayerTop_MiB").asDouble(), 1e-6);
    assertEquals(32 * sp.get("perLayerTop_MiB").asDouble(), sp.get("wholeModel_MiB").asDouble(), 1e-6);
    // The same bits as 6T SRAM cells (CACTI 146 F^2 at 32 nm), per layer top, not per model.
    assertEquals(27548934.0 * 8 * 32 * 0.1495 / 1e6, sp.get("sramCellsAreaPerLayerTop_mm2").asDouble(), 1e-3);
    assertEquals(j.at("/area/macros_um2/scratchpad").asDouble() / 1e6, sp.get("areaWholeModel_mm2").asDouble(), 1e-9);
    assertTrue(sp.get("scoreBufferWordsPerLayerTop").asLong() > 0
        && sp.get("scoreBufferWordsPerLayerTop").asLong() < sp.get("wordsPerLayerTop").asLong());
    String md = Files.readString(out.resolve("evaluate.md"));
    assertTrue(md.contains("## Scratchpad"), md);
    assertTrue(md.contains("The scratchpad is the largest macro here"), md);
    assertTrue(md.contains("larger than the 26 x 33 mm lithography field"), md);
    assertTrue(md.contains("chunked prefill with the KV cache in external memory (issue 9"), md);
    assertTrue(md.contains("first token latency, 2048 tokens"), "the TensorRT-LLM row at its own length");
  }

  @Test
  void sequenceBeyondTheModelIsRefused() throws Exception {
    assertUserError(TestSupport.cli("evaluate", "--model", "tiny", "--seq", "100", "--decode", "100", "--out", out()),
        "--decode", "allowed 0..28");
  }

  private String out() {
    return tmp.resolve("out").toString();
  }

  private void assertUserError(Run r, String field, String allowed) throws Exception {
    assertEquals(2, r.code(), r.err());
    assertEquals(1, r.err().lines().count(), "exactly one line: " + r.err());
    assertTrue(r.err().contains(field), "names " + field + ": " + r.err());
    assertTrue(r.err().contains(allowed), "says " + allowed + ": " + r.err());
    assertEquals(0, TestSupport.entriesUnder(tmp.resolve("out")), "nothing written under --out");
  }
}
