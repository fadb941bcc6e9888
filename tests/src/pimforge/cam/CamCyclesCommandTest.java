package pimforge.cam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pimforge.TestSupport;

/** {@code pimforge cam-cycles} at the CAMformer point (scripts/cam-cycles' first run), and without the CAM. */
class CamCyclesCommandTest {
  @TempDir
  Path tmp;

  @Test
  void printsStagesNextToCamformer() throws Exception {
    Path hw = TestSupport.write(tmp, "cam.json", "{\"attention\": {\"maxSeqLen\": 1024}, \"softmax\": {\"lanes\": 1}, "
        + "\"cam\": {\"enabled\": true, \"rowsPerTile\": 16, \"topK\": 32, \"stages\": 2, \"matchAdcBits\": 6, "
        + "\"cols\": 64, \"lanes\": 8}}");
    TestSupport.Run r = TestSupport.cli("cam-cycles", "--model", "gpt2", "--hw", hw.toString());
    System.out.println(r.out());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().matches("(?s).*association\\s+75\\s+327\\n.*"), r.out());
    assertTrue(r.out().matches("(?s).*normalization\\s+110\\s+134\\n.*"), r.out());
    assertTrue(r.out().matches("(?s).*contextualization\\s+256\\s+260\\n.*"), r.out());
    assertTrue(r.out().matches("(?s).*total\\s+461\\s+721\\n.*"), r.out());
  }

  @Test
  void needsTheCam() {
    TestSupport.Run r = TestSupport.cli("cam-cycles", "--model", "gpt2");
    assertEquals(2, r.code());
    assertTrue(r.err().trim().startsWith("error: cam.enabled: is false"), r.err());
    assertEquals(1, r.err().trim().lines().count(), r.err());
  }
}
