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
   * in {@code <design>/sim/} replaced by it (the crossbar array macro; see CrossbarArraySimModel).
   */
  public static List<Path> forSimulation(Path designDir) throws IOException {
    Path sim = designDir.resolve(SIM_MODELS);
    return of(designDir.resolve("rtl")).stream()
        .map(f -> Files.isRegularFile(sim.resolve(f.getFileName())) ? sim.resolve(f.getFileName()) : f)
        .toList();
  }

  public static List<Path> of(Path rtlDir) throws IOException {
    return Files.readAllLines(rtlDir.resolve("filelist.f")).stream()
        .map(String::trim)
        .filter(line -> !line.isEmpty() && !line.startsWith("//"))
        .map(rtlDir::resolve)
        .toList();
  }
}
