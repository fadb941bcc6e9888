package pimforge.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pimforge.TestSupport;

class AtomicOutputDirTest {
  @Test
  void writesAndReplacesAWholeFolder(@TempDir Path tmp) throws IOException {
    Path target = tmp.resolve("out").resolve("design");
    AtomicOutputDir.write(target, d -> AtomicOutputDir.writeText(d.resolve("a/old.txt"), "one"));
    AtomicOutputDir.write(target, d -> AtomicOutputDir.writeText(d.resolve("b.txt"), "two"));
    assertEquals("two", Files.readString(target.resolve("b.txt")));
    assertFalse(Files.exists(target.resolve("a")), "previous content replaced, not merged");
    assertEquals(2, TestSupport.entriesUnder(tmp.resolve("out")), "only design/ and b.txt, no temp folders");
  }

  @Test
  void failureMidWriteLeavesNothing(@TempDir Path tmp) {
    Path target = tmp.resolve("out").resolve("design");
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> AtomicOutputDir.write(target, d -> {
      AtomicOutputDir.writeText(d.resolve("rtl/Half.sv"), "module Half(");
      throw new IllegalStateException("simulated crash");
    }));
    assertEquals("simulated crash", e.getMessage());
    assertFalse(Files.exists(tmp.resolve("out")), "the output root we created is removed too");
  }

  @Test
  void failureKeepsThePreviousVersion(@TempDir Path tmp) throws IOException {
    Path target = tmp.resolve("design");
    AtomicOutputDir.write(target, d -> AtomicOutputDir.writeText(d.resolve("good.txt"), "good"));
    assertThrows(IOException.class, () -> AtomicOutputDir.write(target, d -> {
      AtomicOutputDir.writeText(d.resolve("partial.txt"), "x");
      throw new IOException("disk full");
    }));
    assertEquals("good", Files.readString(target.resolve("good.txt")));
    assertEquals(2, TestSupport.entriesUnder(tmp));
    assertTrue(Files.isDirectory(target));
  }
}
