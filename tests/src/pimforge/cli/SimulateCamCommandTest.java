package pimforge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pimforge.TestSupport;
import pimforge.TestSupport.Run;
import pimforge.cosim.CosimSeeds;

/**
 * {@code simulate --attention cam} end to end on the layer top: an encoder prefill and a decoder's
 * prefill plus decode steps, bit-exact, and bad uses refused by name. The designs (cam switched on
 * by the option, lanes = crossbar.lanes) are those of pimforge.layer.CamLayerCosimTest, so CI
 * builds each once.
 */
class SimulateCamCommandTest {
  @TempDir
  Path tmp;

  private static final String CAM = "\"cam\": {\"enabled\": false, \"rowsPerTile\": 4, \"topK\": 3, \"stages\": 2,"
      + " \"matchAdcBits\": 3, \"cols\": 64, \"keyBits\": 6, \"valueBits\": 8}";
  private static final String BASE = "{\"crossbar\": {\"rows\": 32, \"cols\": 32, \"lanes\": 4}, \"attention\":"
      + " {\"maxSeqLen\": 8, \"schedule\": \"STRAIGHTFORWARD\"}, " + CAM;
  private static final String SLIDING = BASE + ", \"kvCache\": {\"enabled\": true, \"policy\": \"SLIDING_WINDOW\","
      + " \"budgetTokens\": 6, \"windowTokens\": 6, \"keyBits\": 4, \"valueBits\": 4, \"groupSize\": 2,"
      + " \"fullPrecisionTokens\": 2}}";

  @Test
  void encoderPrefillThroughTheCamIsBitExact() throws Exception {
    Path hw = TestSupport.write(tmp, "cam.json", BASE + "}");
    Run r = TestSupport.cli("simulate", "--model", "tiny", "--hw", hw.toString(), "--attention", "cam", "--seq", "8",
        "--cache", CosimSeeds.cacheRoot().toString());
    System.out.println(r.out());
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("CAM attention (top-3 of 8 rows in tiles of 4, 3-bit match ADC, 2 stages)"), r.out());
    assertTrue(r.out().contains("bit-exact: yes"), r.out());
    assertTrue(r.out().contains("golden model vs float layer: cosine"), r.out());
  }

  @Test
  void decodeStepsThroughTheCamAreBitExact() throws Exception {
    Path hw = TestSupport.write(tmp, "sliding.json", SLIDING);
    Run r = TestSupport.cli("simulate", "--model", "tiny-gpt2", "--hw", hw.toString(), "--attention", "cam", "--seq",
        "5", "--decode", "6", "--cache", CosimSeeds.cacheRoot().toString());
    System.out.println(r.out());
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("attention: CAM attention (top-3"), r.out());
    assertTrue(r.out().contains("bit-exact (every phase and the KV memory image): yes"), r.out());
  }

  @Test
  void badUsesAreRefusedByName() throws Exception {
    Path hw = TestSupport.write(tmp, "cam.json", BASE + "}");
    Run kind = TestSupport.cli("simulate", "--model", "tiny", "--hw", hw.toString(), "--attention", "sparse");
    assertEquals(2, kind.code());
    assertTrue(kind.err().contains("--attention") && kind.err().contains("allowed dense, cam"), kind.err());
    Run top = TestSupport.cli("simulate", "--model", "tiny", "--hw", hw.toString(), "--attention", "cam", "--top",
        "PimBank");
    assertEquals(2, top.code());
    assertTrue(top.err().contains("--attention"), top.err());
    Path dec = TestSupport.write(tmp, "dec.json", "{\"crossbar\": {\"rows\": 32, \"cols\": 32, \"lanes\": 4},"
        + " \"attention\": {\"maxSeqLen\": 8, \"schedule\": \"DECOMPOSED\"}, " + CAM + "}");
    Run decomposed = TestSupport.cli("simulate", "--model", "tiny", "--hw", dec.toString(), "--attention", "cam");
    assertEquals(2, decomposed.code(), decomposed.err());
    assertTrue(decomposed.err().contains("attention.schedule"), decomposed.err());
    assertEquals(1, decomposed.err().strip().lines().count(), "one line: " + decomposed.err());
  }
}
