package pimforge.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pimforge.TestSupport;
import pimforge.TestSupport.Run;
import pimforge.params.AttentionParams.Schedule;
import pimforge.params.HwParams;

/** generate --top LayerTop: register map in the C header and report.md, stage cycles in both reports. */
class LayerTopGenerateTest {
  private static final String SMALL = "{\"crossbar\": {\"rows\": 32, \"cols\": 32, \"lanes\": 4},"
      + " \"bank\": {\"tileGridRows\": 2, \"tileGridCols\": 2}, \"attention\": {\"maxSeqLen\": 16}}";

  @TempDir
  Path tmp;

  @Test
  void reportsCarryRegisterMapAndStageCyclesOfBothSchedules() throws Exception {
    Path hw = TestSupport.write(tmp, "hw.json", SMALL);
    Run r = TestSupport.cli("generate", "--model", "tiny", "--hw", hw.toString(), "--top", "LayerTop",
        "--out", tmp.resolve("out").toString());
    assertEquals(0, r.code(), r.err());
    Path dir;
    try (Stream<Path> s = Files.list(tmp.resolve("out"))) {
      dir = s.findFirst().orElseThrow();
    }
    String header;
    try (Stream<Path> s = Files.list(dir.resolve("include"))) {
      header = Files.readString(s.findFirst().orElseThrow());
    }
    assertTrue(header.contains("#define PIMFORGE_REG_CTRL 0x00000"), header);
    assertTrue(header.contains("#define PIMFORGE_REG_IMEM 0x10000"), header);
    assertTrue(header.contains("#define PIMFORGE_OP_MVM " + Opcode.MVM.code()), header);
    String md = Files.readString(dir.resolve("report.md"));
    assertTrue(md.contains("### Register map"), md);
    assertTrue(md.contains("| STATUS | 0x00004 | R |"), md);

    // The report's numbers are LayerTiming's for the compiled programs (LayerCosimTest checks those
    // against the hardware counters).
    HwParams p = LayerConfigs.small(Schedule.DECOMPOSED, false);
    LayerSchedules s = LayerSchedules.of(p);
    JsonNode json = new ObjectMapper().readTree(dir.resolve("report.json").toFile()).path("layerTop");
    for (Schedule sched : Schedule.values()) {
      LayerTiming t = s.entry(sched).layer();
      JsonNode n = json.path("schedules").path(sched.name());
      assertEquals(t.cycles(), n.path("totalCycles").asLong(), sched + " total");
      assertEquals(t.stage(LayerStage.SCORES), n.path("stageCycles").path("SCORES").asLong(), sched + " scores");
      assertEquals(t.xbarWrites(), n.path("crossbarWritesWeights").asLong(), sched + " crossbar writes");
      assertTrue(md.contains("| **total cycles** |"), md);
    }
    // Straightforward writes K and V per head; decomposed writes X^T and X once: same entries here
    // (multi-head attention, 2 x seq x hidden each), but decomposed writes them before the projections.
    assertTrue(s.entry(Schedule.DECOMPOSED).layer().xbarWrites() > 0);
    assertTrue(s.entry(Schedule.STRAIGHTFORWARD).layer().xbarWrites() > 0);
  }

  @Test
  void sequenceBeyondTheScratchpadIsAUserError() throws Exception {
    // Llama-2-7B at its 4096 tokens needs 27.5 M scratchpad words (within the ISA's 2^28); with 64 heads
    // in flight, 64 score and probability buffers of 4096 x 4096 push it past 2^28.
    Path hw = TestSupport.write(tmp, "hw.json", "{\"attention\": {\"maxSeqLen\": 4096, \"headPipelineDepth\": 64}}");
    Run r = TestSupport.cli("generate", "--model", "llama2-7b", "--hw", hw.toString(), "--top", "LayerTop",
        "--out", tmp.resolve("out").toString());
    assertEquals(2, r.code(), r.out() + r.err());
    assertTrue(r.err().startsWith("error: attention.maxSeqLen: is 4096"), r.err());
    assertTrue(r.err().contains("allowed at most 268435456"), r.err());
    assertEquals(0, TestSupport.entriesUnder(tmp.resolve("out")));
  }

  @Test
  void headDimNotFittingTheBankIsAUserError() throws Exception {
    Path hw = TestSupport.write(tmp, "hw.json", "{\"crossbar\": {\"rows\": 8, \"cols\": 32, \"lanes\": 4},"
        + " \"bank\": {\"tileGridRows\": 1, \"tileGridCols\": 1}, \"attention\": {\"maxSeqLen\": 16}}");
    Run r = TestSupport.cli("generate", "--model", "tiny", "--hw", hw.toString(), "--top", "LayerTop",
        "--out", tmp.resolve("out").toString());
    assertEquals(2, r.code(), r.out() + r.err());
    assertTrue(r.err().startsWith("error: model.headDim: is 16"), r.err());
  }

  @Test
  void simulateSequenceBeyondMaxIsAUserError() throws Exception {
    Path hw = TestSupport.write(tmp, "hw.json", SMALL);
    Run r = TestSupport.cli("simulate", "--model", "tiny", "--hw", hw.toString(), "--seq", "17");
    assertEquals(2, r.code(), r.out() + r.err());
    assertEquals("error: --seq: is 17, allowed 1..16 (attention.maxSeqLen)", r.err().strip());
  }
}
