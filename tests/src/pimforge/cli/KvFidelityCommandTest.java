package pimforge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pimforge.TestSupport;
import pimforge.TestSupport.Run;

/** {@code pimforge kv-fidelity} through the CLI: a small run (32 tokens, one layer) and one-line refusals. */
class KvFidelityCommandTest {
  @TempDir
  Path tmp;

  @Test
  void smallRunPrintsOneRowPerWorkload() throws Exception {
    Path hw = TestSupport.write(tmp, "hw.json", "{\"kvCache\": {\"policy\": \"sliding_window\", \"budgetTokens\": 16,"
        + " \"keyBits\": 4, \"valueBits\": 4, \"groupSize\": 8, \"fullPrecisionTokens\": 8}}");
    Run r = TestSupport.cli("kv-fidelity", "--model", "all-minilm-l6-v2", "--hw", hw.toString(), "--tokens", "32",
        "--layers", "1", "--random-heads", "2");
    assertEquals(0, r.code(), r.err());
    // budgetTokens 16 with the default windowTokens 16 - 4 sinks: the window keeps 12 of 32 tokens.
    List<String> rows = r.out().lines().filter(l -> l.startsWith("| SLIDING_WINDOW | 38 % (12) | 4 | 0 |")).toList();
    assertEquals(2, rows.size(), r.out());
    assertTrue(rows.get(0).endsWith("| evicted 20 |"), rows.get(0));
    assertTrue(r.out().contains("1 layers x 12 heads, head dim 32"), r.out());
    assertTrue(r.out().contains("2 heads, head dim 64"), r.out());
    String[] cells = rows.get(1).split("\\|");
    assertEquals("-", cells[7].trim(), "random heads have no layer output");
  }

  @Test
  void helpIsCleanAndListsEveryOption() {
    java.io.PrintStream saved = System.err;
    java.io.ByteArrayOutputStream warnings = new java.io.ByteArrayOutputStream();
    Run r;
    try {
      System.setErr(new java.io.PrintStream(warnings, true));
      r = TestSupport.cli("kv-fidelity", "--help");
    } finally {
      System.setErr(saved);
    }
    assertEquals(0, r.code());
    assertEquals("", r.err() + warnings, "picocli warns (on System.err) about unescaped % in descriptions");
    for (String opt : new String[] {"--tokens", "--layers", "--random-heads", "--seed", "--sweep", "25/50/100 %"}) {
      assertTrue(r.out().contains(opt), opt);
    }
  }

  @Test
  void badOptionsAreOneLineAndExitTwo() {
    String[][] cases = {
        {"--tokens", "1", "--tokens: is 1, allowed 2..512"},
        {"--tokens", "513", "--tokens: is 513, allowed 2..512"},
        {"--layers", "7", "--layers: is 7, allowed 1..6"},
        {"--random-heads", "65", "--random-heads: is 65, allowed 0..64"},
    };
    for (String[] c : cases) {
      Run r = TestSupport.cli("kv-fidelity", "--model", "all-minilm-l6-v2", c[0], c[1]);
      assertEquals(2, r.code(), r.err());
      assertEquals("error: " + c[2], r.err().strip());
    }
    Run other = TestSupport.cli("kv-fidelity", "--model", "bert-base");
    assertEquals(2, other.code());
    assertEquals(1, other.err().strip().lines().count(), other.err());
    assertTrue(other.err().startsWith("error: --model: is bert-base, allowed all-minilm-l6-v2"), other.err());
  }
}
