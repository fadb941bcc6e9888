package pimforge.minilm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import pimforge.TestSupport;
import pimforge.cosim.CosimSeeds;

/**
 * The real all-MiniLM-L6-v2 weights through the generated RTL: the model top's first layer in
 * Verilator on a real tokenized sentence (16 tokens), bit-exact with the compiled programs on the
 * golden model, counters equal to the schedule, and the hardware's output close to the float
 * reference of the published model. The benchmark {@code scripts/benchmark-real-weights} runs all
 * six layers.
 */
class RealWeightsCosimTest {
  @Test
  void firstMiniLmLayerInVerilatorMatchesGoldenModelAndFloat() throws Exception {
    TestSupport.Run r = TestSupport.cli("simulate", "--model", "all-minilm-l6-v2", "--weights", "real", "--layers",
        "1", "--cache", CosimSeeds.cacheRoot().toString());
    System.out.println(r.out());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("16 tokens"), r.out());
    assertTrue(r.out().contains("layers chained): yes"), r.out());
    assertTrue(r.out().contains("counters match the schedules: yes"), r.out());
    Matcher m = Pattern.compile("cosine (\\d\\.\\d+)").matcher(r.out());
    assertTrue(m.find(), r.out());
    assertTrue(Double.parseDouble(m.group(1)) >= 0.99, "cosine vs float after layer 0: " + m.group(1));
  }
}
