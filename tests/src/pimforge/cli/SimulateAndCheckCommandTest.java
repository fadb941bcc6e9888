package pimforge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pimforge.TestSupport;
import pimforge.TestSupport.Run;

/** The simulate and check subcommands, end to end through the CLI entry point. */
class SimulateAndCheckCommandTest {
  private static final String SMALL_BANK =
      "{\"crossbar\": {\"rows\": 16, \"cols\": 16, \"lanes\": 4}, \"bank\": {\"tileGridRows\": 2, \"tileGridCols\": 1},"
          + " \"precision\": {\"adcBits\": 5}}";

  @TempDir
  Path tmp;

  @Test
  void simulateIsBitExactMatchesTheScheduleAndWritesWaves() throws Exception {
    Path hw = TestSupport.write(tmp, "hw.json", SMALL_BANK);
    Path waves = tmp.resolve("bank.fst");
    Run r = TestSupport.cli("simulate", "--top", "PimBank", "--model", "tiny", "--hw", hw.toString(), "--seed", "5",
        "--vectors", "4", "--waves", waves.toString(), "--cache", tmp.resolve("cache").toString());
    System.out.println(r.out());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("bit-exact: yes"), r.out());
    // 16x16 tiles, 4 lanes, grid 2x1, 8-bit inputs: 1 + 32/4 + 4*8 + 2 + 1*16/4
    assertTrue(r.out().contains("multiply 47 (schedule 47)"), r.out());
    assertTrue(Files.size(waves) > 1000, "FST waveform written");
  }

  /** The same design as the first LayerCosimTest configuration, so CI builds it once. */
  private static final String SMALL_LAYER = "{\"crossbar\": {\"rows\": 32, \"cols\": 32, \"lanes\": 4},"
      + " \"bank\": {\"tileGridRows\": 2, \"tileGridCols\": 2},"
      + " \"attention\": {\"maxSeqLen\": 16, \"schedule\": \"DECOMPOSED\", \"headPipelineDepth\": 2}}";

  @Test
  void simulateRunsTheWholeLayerBitExactWithStageCycles() throws Exception {
    Path hw = TestSupport.write(tmp, "layer.json", SMALL_LAYER);
    Run r = TestSupport.cli("simulate", "--model", "tiny", "--hw", hw.toString(), "--seed", "3", "--seq", "5",
        "--cache", pimforge.cosim.CosimSeeds.cacheRoot().toString());
    System.out.println(r.out());
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("bit-exact: yes"), r.out());
    assertTrue(r.out().contains("counters match the schedule: yes"), r.out());
    assertTrue(r.out().matches("(?s).*\\n  SCORES +\\d+\\n.*"), r.out());
    assertTrue(r.out().matches("(?s).*simulated \\d+ cycles/s.*"), r.out());
  }

  @Test
  void checkLintsAndSynthesizes() throws Exception {
    Path hw = TestSupport.write(tmp, "hw.json", SMALL_BANK);
    Run r = TestSupport.cli("check", "--model", "tiny", "--hw", hw.toString());
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("verilator lint: clean"), r.out());
    assertTrue(r.out().matches("(?s).*yosys synth: ok, \\d+ cells.*"), r.out());
  }

  @Test
  void badStallPercentIsAUserError() throws Exception {
    Run r = TestSupport.cli("simulate", "--model", "tiny", "--stalls", "95");
    assertEquals(2, r.code());
    assertEquals("error: --stalls: is 95, allowed 0..90", r.err().strip());
  }
}
