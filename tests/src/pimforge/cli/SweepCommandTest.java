package pimforge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pimforge.TestSupport;
import pimforge.TestSupport.Run;

/** {@code pimforge sweep}: the cross product, invalid combinations listed, bad values refused. */
class SweepCommandTest {
  @TempDir
  Path tmp;

  @Test
  void crossProductWithAnInvalidCombinationListed() throws Exception {
    Path out = tmp.resolve("sw");
    Run r = TestSupport.cli("sweep", "--model", "tiny", "--seq", "8", "--threads", "2", "--vary", "adcBits=6,8",
        "--vary", "rows=8,64", "--vary", "lanes=16", "--out", out.toString());
    assertEquals(0, r.code(), r.err());
    List<String> lines = Files.readAllLines(out.resolve("sweep.csv"));
    assertEquals(1 + 4, lines.size(), String.join("\n", lines));
    assertTrue(lines.get(0).startsWith("precision.adcBits,crossbar.rows,crossbar.lanes,valid,"), lines.get(0));
    long invalid = lines.stream().filter(l -> l.contains(",false,")).count();
    assertEquals(2, invalid, "rows 8 with lanes 16: " + String.join("\n", lines));
    assertTrue(lines.stream().anyMatch(l -> l.contains("crossbar.lanes")), "the error names the field");
    assertTrue(r.out().contains("2 valid, 2 invalid"), r.out());
    assertTrue(Files.size(out.resolve("pareto.png")) > 1000);
  }

  @Test
  void aValueOutsideItsFieldsRangeIsAUserError() throws Exception {
    Run r = TestSupport.cli("sweep", "--model", "tiny", "--vary", "adcBits=4,0", "--out", tmp.resolve("out").toString());
    assertEquals(2, r.code(), r.err());
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(r.err().contains("precision.adcBits") && r.err().contains("allowed 1..16"), r.err());
    assertEquals(0, TestSupport.entriesUnder(tmp.resolve("out")));
  }
}
