package pimforge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import pimforge.TestSupport;
import pimforge.TestSupport.Run;

/**
 * Bad input through the real CLI entry point: exit code 2, exactly one stderr line naming the
 * field and what is allowed, no stack trace, nothing written under --out.
 */
class CliBadInputTest {
  @TempDir
  Path tmp;

  static Stream<Arguments> badHwConfigs() {
    return Stream.of(
        Arguments.of("unknown field", "{\"crossbar\": {\"rows\": 128, \"colz\": 64}}",
            "crossbar.colz", "allowed: rows, cols, lanes"),
        Arguments.of("unknown section", "{\"xbar\": {}}", "xbar", "allowed: precision, crossbar"),
        Arguments.of("negative size", "{\"bank\": {\"banks\": -4}}", "bank.banks", "allowed 1..1048576"),
        Arguments.of("ADC bits 0", "{\"precision\": {\"adcBits\": 0}}", "precision.adcBits", "allowed 1..16"),
        Arguments.of("lanes not a power of two", "{\"crossbar\": {\"lanes\": 6}}", "crossbar.lanes",
            "allowed a power of two in 1..128"),
        Arguments.of("string for int", "{\"crossbar\": {\"rows\": \"128\"}}", "crossbar.rows", "allowed an integer"),
        Arguments.of("bad enum", "{\"kvCache\": {\"policy\": \"lru\"}}", "kvCache.policy",
            "allowed one of FULL, SLIDING_WINDOW, SINKS_WINDOW, HEAVY_HITTER"),
        Arguments.of("malformed JSON", "{\n  \"crossbar\": {\"rows\": 128,,}\n}", "hw.json: malformed JSON at line 2, column 28",
            "was expecting double-quote"),
        Arguments.of("seq longer than model", "{\"attention\": {\"maxSeqLen\": 512}}", "attention.maxSeqLen",
            "allowed 1..128"),
        Arguments.of("CAM topK above the keys held", "{\"cam\": {\"enabled\": true, \"topK\": 256, \"matchAdcBits\": 5}}",
            "cam.topK", "is 256, allowed 1..128 (the keys the CAM holds: attention.maxSeqLen)"),
        Arguments.of("CAM tile not dividing the keys", "{\"attention\": {\"maxSeqLen\": 100}, \"cam\": {\"enabled\": true}}",
            "cam.rowsPerTile", "allowed a power of two dividing attention.maxSeqLen = 100 (4..4)"),
        Arguments.of("CAM row narrower than the head", "{\"cam\": {\"enabled\": true, \"cols\": 8}}",
            "cam.cols", "is 8, allowed 16..1024 (a CAM row must hold model.headDim = 16 key bits)"),
        Arguments.of("match ADC wider than the count", "{\"cam\": {\"enabled\": true, \"matchAdcBits\": 6}}",
            "cam.matchAdcBits", "is 6, allowed 1..5 (ceil(log2(model.headDim + 1))"),
        Arguments.of("CAM keys not a multiple of 4", "{\"attention\": {\"maxSeqLen\": 102}, \"cam\": {\"enabled\": true, "
            + "\"topK\": 8, \"matchAdcBits\": 5}}", "cam.rowsPerTile",
            "allowed a power of two dividing attention.maxSeqLen = 102 (none in 4..1024: with cam.enabled"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badHwConfigs")
  void badHwConfig(String what, String json, String field, String allowed) throws Exception {
    Path hw = TestSupport.write(tmp, "hw.json", json);
    assertUserError(TestSupport.cli("generate", "--model", "tiny", "--hw", hw.toString(), "--out", out()),
        field, allowed);
  }

  static Stream<Arguments> badModelConfigs() {
    String base = "\"model_type\": \"bert\", \"hidden_act\": \"gelu\", \"num_hidden_layers\": 2, "
        + "\"intermediate_size\": 256, \"max_position_embeddings\": 128, \"vocab_size\": 1000, \"use_cache\": true";
    return Stream.of(
        Arguments.of("missing field", "{" + base + ", \"num_attention_heads\": 4}",
            "hidden_size is missing (or n_embd", "missing"),
        Arguments.of("negative size", "{" + base + ", \"hidden_size\": -64, \"num_attention_heads\": 4}",
            "model.hiddenSize", "allowed 1..65536"),
        Arguments.of("heads not dividing hidden", "{" + base + ", \"hidden_size\": 64, \"num_attention_heads\": 5}",
            "model.numHeads", "allowed a divisor of model.hiddenSize = 64"),
        Arguments.of("wrong type", "{" + base + ", \"hidden_size\": 64.5, \"num_attention_heads\": 4}",
            "hidden_size is 64.5", "allowed an integer"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badModelConfigs")
  void badModelConfig(String what, String json, String field, String allowed) throws Exception {
    Path cfg = TestSupport.write(tmp, "my-model/config.json", json);
    assertUserError(TestSupport.cli("generate", "--model", cfg.toString(), "--out", out()), field, allowed);
  }

  @Test
  void camHeadWiderThanAnyCamRow() throws Exception {
    String base = "\"model_type\": \"bert\", \"hidden_act\": \"gelu\", \"num_hidden_layers\": 1, "
        + "\"intermediate_size\": 256, \"max_position_embeddings\": 128, \"vocab_size\": 1000, \"use_cache\": true";
    Path cfg = TestSupport.write(tmp, "wide/config.json", "{" + base + ", \"hidden_size\": 2048, \"num_attention_heads\": 1}");
    Path hw = TestSupport.write(tmp, "hw.json", "{\"cam\": {\"enabled\": true, \"cols\": 1024}}");
    assertUserError(TestSupport.cli("generate", "--model", cfg.toString(), "--hw", hw.toString(), "--out", out()),
        "cam.cols", "model.headDim = 2048 is wider than the widest CAM row (1024 cells), allowed model.headDim 1..1024");
  }

  @Test
  void missingHwFile() throws Exception {
    Path missing = tmp.resolve("nope.json");
    assertUserError(TestSupport.cli("generate", "--model", "tiny", "--hw", missing.toString(), "--out", out()),
        missing.toString(), "no such file");
  }

  @Test
  void missingModelFileListsPresets() throws Exception {
    assertUserError(TestSupport.cli("generate", "--model", tmp.resolve("none/config.json").toString(), "--out", out()),
        "--model", "allowed a preset (tiny, bert-base");
  }

  @Test
  void unknownTopModule() throws Exception {
    assertUserError(TestSupport.cli("generate", "--model", "tiny", "--top", "Nope", "--out", out()),
        "--top", "no generator for top module 'Nope'");
  }

  @Test
  void modelTopLayersBeyondTheModel() throws Exception {
    assertUserError(TestSupport.cli("simulate", "--model", "tiny", "--top", "ModelTop", "--layers", "3",
        "--cache", tmp.resolve("cache").toString()), "--layers", "allowed 1..2");
  }

  @Test
  void usageErrorsExitTwo() throws Exception {
    Run noModel = TestSupport.cli("generate", "--out", out());
    assertEquals(2, noModel.code());
    assertTrue(noModel.err().startsWith("error: Missing required option: '--model"), noModel.err());
    Run unknownOption = TestSupport.cli("generate", "--model", "tiny", "--frobnicate");
    assertEquals(2, unknownOption.code());
    Run noSubcommand = TestSupport.cli();
    assertEquals(2, noSubcommand.code());
    assertEquals(0, TestSupport.entriesUnder(tmp.resolve("out")));
  }

  @Test
  void helpAndVersionExitZero() {
    Run help = TestSupport.cli("generate", "--help");
    assertEquals(0, help.code());
    assertTrue(help.out().contains("--model"));
    assertTrue(help.out().contains("all-minilm-l6-v2"), "help lists the presets");
    Run version = TestSupport.cli("--version");
    assertEquals(0, version.code());
    assertTrue(version.out().startsWith("pimforge "));
  }

  private String out() {
    return tmp.resolve("out").toString();
  }

  private void assertUserError(Run r, String field, String allowed) throws Exception {
    assertEquals(2, r.code(), r.err());
    assertEquals("", r.out());
    assertEquals(1, r.err().lines().count(), "exactly one line: " + r.err());
    assertTrue(r.err().startsWith("error: "), r.err());
    assertTrue(r.err().contains(field), "names " + field + ": " + r.err());
    assertTrue(r.err().contains(allowed), "says " + allowed + ": " + r.err());
    assertEquals(0, TestSupport.entriesUnder(tmp.resolve("out")), "nothing written under --out");
  }
}
