package pimforge.layer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's instruction layout table is InstructionField's table, row by row (no drift after a width change). */
class ReadmeInstructionTableTest {

  private static String readme() throws IOException {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      if (Files.isRegularFile(d.resolve("README.md")) && Files.isRegularFile(d.resolve("build.sc"))) {
        return Files.readString(d.resolve("README.md"));
      }
    }
    throw new IllegalStateException("README.md not found above " + Path.of("").toAbsolutePath());
  }

  /** One README row per used word: "| w | name [hi:lo], ... |". */
  static String row(int word) {
    StringBuilder b = new StringBuilder("| " + word + " | ");
    String sep = "";
    for (InstructionField f : InstructionField.values()) {
      if (f.word() == word) {
        b.append(sep).append(f.key()).append(" [").append(f.offset() + f.width() - 1).append(':').append(f.offset())
            .append(']');
        sep = ", ";
      }
    }
    return b.append(" |").toString();
  }

  @Test
  void everyWordOfTheLayoutHasItsRow() throws IOException {
    String text = readme();
    for (int w = 0; w < InstructionField.USED_WORDS; w++) {
      assertTrue(text.contains("\n  " + row(w) + "\n"), "README lacks the row " + row(w));
    }
    assertTrue(text.contains("Scratchpad addresses are " + InstructionField.ADDRESS_BITS + " bits in the ISA"),
        "README names the ISA's address width");
  }
}
