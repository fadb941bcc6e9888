package pimforge.check;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The RTL files of a generated design, in filelist.f order. */
public final class RtlFiles {
  /** Folder beside {@code rtl/} with fast simulation models, one per file they replace. */
  public static final String SIM_MODELS = "sim";

  private RtlFiles() {}

  /**
   * The files a simulator compiles: {@link #of} with every file that has a same-named fast model
   * in {@code <design>/sim/} replaced by it (the crossbar array macro; see CrossbarArraySimModel),
   * followed by the C++ (DPI-C) halves of those models in {@code sim/}, in name order.
   */
  public static List<Path> forSimulation(Path designDir) throws IOException {
    Path sim = designDir.resolve(SIM_MODELS);
    List<Path> files = new java.util.ArrayList<>(of(designDir.resolve("rtl")).stream()
        .map(f -> Files.isRegularFile(sim.resolve(f.getFileName())) ? sim.resolve(f.getFileName()) : f)
        .toList());
    if (Files.isDirectory(sim)) {
      try (var s = Files.list(sim)) {
        s.filter(f -> f.toString().endsWith(".cpp")).sorted().forEach(files::add);
      }
    }
    return files;
  }

  public static List<Path> of(Path rtlDir) throws IOException {
    return Files.readAllLines(rtlDir.resolve("filelist.f")).stream()
        .map(String::trim)
        .filter(line -> !line.isEmpty() && !line.startsWith("//"))
        .map(rtlDir::resolve)
        .toList();
  }
}
