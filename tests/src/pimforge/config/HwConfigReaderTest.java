package pimforge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pimforge.TestSupport;
import pimforge.model.ModelPresets;
import pimforge.params.AttentionParams;
import pimforge.params.HwParams;
import pimforge.params.KvCacheParams;
import pimforge.params.ModelShape;
import pimforge.params.ParamError;
import pimforge.params.Precision;

class HwConfigReaderTest {
  private static final ModelShape TINY = ModelPresets.get("tiny").orElseThrow();
  private static final ModelShape LLAMA = ModelPresets.get("llama2-7b").orElseThrow();

  private static HwParams parse(String json, ModelShape m) throws Exception {
    return HwConfigReader.fromTree(new ObjectMapper().readTree(json), m);
  }

  @Test
  void emptyConfigGivesRecordDefaultsFittedToModel() throws Exception {
    HwParams p = parse("{}", LLAMA);
    assertEquals(HwConfigReader.defaults(LLAMA), p);
    assertEquals(Precision.DEFAULT, p.precision());
    // Llama rotates Q and K: its default schedule is STRAIGHTFORWARD (DECOMPOSED needs unrotated keys).
    assertEquals(new AttentionParams(128, AttentionParams.Schedule.STRAIGHTFORWARD, 2), p.attention());
    assertEquals(AttentionParams.Schedule.DECOMPOSED, HwConfigReader.defaults(TINY).attention().schedule());
    assertEquals(KvCacheParams.DEFAULT, p.kvCache(), "llama has 4096 positions: the record default fits");
    HwParams tiny = HwConfigReader.defaults(TINY);
    assertEquals(128, tiny.attention().maxSeqLen());
    assertEquals(128, tiny.kvCache().budgetTokens());
    assertEquals(4, tiny.kvCache().sinkTokens());
    assertEquals(124, tiny.kvCache().windowTokens());
  }

  @Test
  void partialSectionsKeepOtherDefaultsAndEnumsIgnoreCase() throws Exception {
    HwParams p = parse("{\"precision\":{\"adcMode\":\"clip\",\"signedScheme\":\"Differential\"},"
        + "\"crossbar\":{\"rows\":256},\"kvCache\":{\"policy\":\"sinks_window\",\"budgetTokens\":64}}", LLAMA);
    assertEquals(Precision.AdcMode.CLIP, p.precision().adcMode());
    assertEquals(Precision.SignedScheme.DIFFERENTIAL, p.precision().signedScheme());
    assertEquals(8, p.precision().weightBits());
    assertEquals(256, p.crossbar().rows());
    assertEquals(128, p.crossbar().cols());
    assertEquals(64, p.kvCache().budgetTokens());
    assertEquals(60, p.kvCache().windowTokens(), "window fitted to the user's budget");
  }

  @Test
  void unknownSectionAndFieldListAllowedNames() {
    ParamError s = assertThrows(ParamError.class, () -> parse("{\"xbar\":{}}", TINY));
    assertEquals("xbar", s.field());
    assertTrue(s.getMessage().contains("precision, crossbar, bank, attention, softmax, sfu, kvCache, cam"));
    ParamError f = assertThrows(ParamError.class, () -> parse("{\"crossbar\":{\"rowz\":128}}", TINY));
    assertEquals("crossbar.rowz", f.field());
    assertTrue(f.getMessage().contains("allowed: rows, cols, lanes"), f.getMessage());
  }

  @Test
  void wrongJsonTypeNamesTheField() {
    ParamError e = assertThrows(ParamError.class, () -> parse("{\"crossbar\":{\"rows\":\"128\"}}", TINY));
    assertEquals("crossbar.rows", e.field());
    assertTrue(e.getMessage().contains("\"128\" (a string), allowed an integer"), e.getMessage());
    ParamError b = assertThrows(ParamError.class, () -> parse("{\"cam\":{\"enabled\":1}}", TINY));
    assertEquals("cam.enabled", b.field());
    ParamError n = assertThrows(ParamError.class, () -> parse("{\"bank\":[1,2]}", TINY));
    assertEquals("bank", n.field());
    ParamError en = assertThrows(ParamError.class, () -> parse("{\"precision\":{\"adcMode\":\"round\"}}", TINY));
    assertTrue(en.getMessage().contains("allowed one of CLIP, SCALE"), en.getMessage());
  }

  @Test
  void recordValidationStillApplies() {
    ParamError e = assertThrows(ParamError.class, () -> parse("{\"attention\":{\"maxSeqLen\":4096}}", TINY));
    assertEquals("attention.maxSeqLen", e.field());
    assertTrue(e.getMessage().contains("allowed 1..128"), e.getMessage());
  }

  @Test
  void malformedFileIsOneLineWithLineAndColumn(@TempDir Path dir) throws Exception {
    Path f = TestSupport.write(dir, "hw.json", "{\n  \"crossbar\": {\"rows\": 128,, }\n}\n");
    ParamError e = assertThrows(ParamError.class, () -> HwConfigReader.read(f, TINY));
    assertTrue(e.getMessage().contains("hw.json: malformed JSON at line 2, column"), e.getMessage());
    assertEquals(1, e.getMessage().lines().count());
  }
}
