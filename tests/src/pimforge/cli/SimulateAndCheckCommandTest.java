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
  void simulateTakesTheUsersInputAndDumpsAllThreeOutputs() throws Exception {
    Path hw = TestSupport.write(tmp, "layer.json", SMALL_LAYER);
    java.util.Random rnd = new java.util.Random(4);
    StringBuilder x = new StringBuilder("[");
    for (int t = 0; t < 6; t++) {
      x.append(t == 0 ? "[" : ",[");
      for (int c = 0; c < 64; c++) {
        x.append(c == 0 ? "" : ",").append(String.format(java.util.Locale.ROOT, "%.4f", rnd.nextGaussian()));
      }
      x.append(']');
    }
    Path in = TestSupport.write(tmp, "x.json", x.append(']').toString());
    Path dump = tmp.resolve("out.json");
    Run r = TestSupport.cli("simulate", "--model", "tiny", "--hw", hw.toString(), "--seed", "3", "--input",
        in.toString(), "--dump", dump.toString(), "--cache", pimforge.cosim.CosimSeeds.cacheRoot().toString());
    System.out.println(r.out());
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("seq 6, seed 3, input from"), r.out());
    com.fasterxml.jackson.databind.JsonNode j = new com.fasterxml.jackson.databind.ObjectMapper().readTree(dump.toFile());
    assertEquals(6, j.path("seq").asInt());
    assertTrue(j.path("bitExact").asBoolean());
    double[][][] m = new double[3][][];
    String[] names = {"hardware", "golden", "floatReference"};
    for (int k = 0; k < 3; k++) {
      m[k] = new com.fasterxml.jackson.databind.ObjectMapper().convertValue(j.path(names[k]), double[][].class);
      assertEquals(6, m[k].length, names[k]);
      assertEquals(64, m[k][0].length, names[k]);
    }
    assertTrue(java.util.Arrays.deepEquals(m[0], m[1]), "hardware equals golden");
    assertTrue(pimforge.layer.Similarity.cosine(m[0], m[2]) > 0.99, "hardware tracks the float reference");
    assertEquals(j.path("input").get(2).get(5).asDouble(), Double.parseDouble(
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(in.toFile()).get(2).get(5).asText()), 1e-12);
  }

  @Test
  void badInputFileIsAUserErrorAndWritesNoDump() throws Exception {
    Path hw = TestSupport.write(tmp, "layer.json", SMALL_LAYER);
    Path dump = tmp.resolve("out.json");
    Path narrow = TestSupport.write(tmp, "narrow.json", "[[1, 2, 3]]");
    Run r = TestSupport.cli("simulate", "--model", "tiny", "--hw", hw.toString(), "--input", narrow.toString(),
        "--dump", dump.toString());
    assertEquals(2, r.code(), r.err());
    assertEquals("error: --input: token 0 has 3 values, allowed an array of 64 numbers (model.hiddenSize)",
        r.err().strip());
    Run missing = TestSupport.cli("simulate", "--model", "tiny", "--input", tmp.resolve("none.json").toString());
    assertEquals(2, missing.code());
    assertTrue(missing.err().strip().startsWith("error: --input: no such file"), missing.err());
    assertTrue(!Files.exists(dump), "nothing written");
  }

  /** The LayerCosimTest decoder designs (same parameters, so CI builds each once). */
  private static final String DECODER_LAYER = "{\"crossbar\": {\"rows\": 32, \"cols\": 32, \"lanes\": 4},"
      + " \"bank\": {\"tileGridRows\": 2, \"tileGridCols\": 2}, \"attention\": {\"maxSeqLen\": 16}}";

  @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.ValueSource(strings = {"tiny-llama"})
  void simulateRunsTheDecoderPresets(String preset) throws Exception {
    Path hw = TestSupport.write(tmp, "decoder.json", DECODER_LAYER);
    Run r = TestSupport.cli("simulate", "--model", preset, "--hw", hw.toString(), "--seed", "9", "--seq", "7",
        "--cache", pimforge.cosim.CosimSeeds.cacheRoot().toString());
    System.out.println(r.out());
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("STRAIGHTFORWARD attention, causal decoder, pre-norm, seq 7, seed 9"), r.out());
    assertTrue(r.out().contains("bit-exact: yes"), r.out());
    assertTrue(r.out().contains("counters match the schedule: yes"), r.out());
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
