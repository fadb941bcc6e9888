package pimforge.check;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The RTL files of a generated design, in filelist.f order. */
public final class RtlFiles {
  private RtlFiles() {}

  public static List<Path> of(Path rtlDir) throws IOException {
    return Files.readAllLines(rtlDir.resolve("filelist.f")).stream()
        .map(String::trim)
        .filter(line -> !line.isEmpty() && !line.startsWith("//"))
        .map(rtlDir::resolve)
        .toList();
  }
}
