package pimforge;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real Hugging Face config.json files in {@code ../shared/real-configs/} beside the
 * repository (see LOG.md there). Read in place, never copied into the project.
 */
public final class RealConfigs {
  private RealConfigs() {}

  /** The folder, found from the repository root (the folder holding build.sc). */
  public static Path dir() {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      if (Files.isRegularFile(d.resolve("build.sc")) && Files.isRegularFile(d.resolve("README.md"))) {
        Path shared = d.resolveSibling("shared").resolve("real-configs");
        if (!Files.isDirectory(shared)) {
          throw new IllegalStateException("no " + shared + " beside the repository (CI checks it out there)");
        }
        return shared;
      }
    }
    throw new IllegalStateException("repository root not found above " + Path.of("").toAbsolutePath());
  }

  public static Path file(String name) {
    Path p = dir().resolve(name);
    if (!Files.isRegularFile(p)) {
      throw new IllegalStateException("missing real config " + p);
    }
    return p;
  }
}
