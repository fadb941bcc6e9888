package pimforge;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import pimforge.cli.PimforgeCli;

/** Shared helpers: test resources as paths, in-process CLI runs, folder listings. */
public final class TestSupport {
  private TestSupport() {}

  /** A sample Hugging Face config.json under tests/resources/hf/<folder>/. */
  public static Path hfConfig(String folder) {
    try {
      var url = TestSupport.class.getResource("/hf/" + folder + "/config.json");
      if (url == null) {
        throw new IllegalStateException("missing test resource hf/" + folder);
      }
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Exit code and captured streams of one in-process CLI run. */
  public record Run(int code, String out, String err) {}

  public static Run cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = PimforgeCli.run(new PrintWriter(out), new PrintWriter(err), args);
    return new Run(code, out.toString(), err.toString());
  }

  /** A design as a user's --hw file would give it: the preset's defaults with {@code hwJson} applied. */
  public static pimforge.params.HwParams design(String preset, String hwJson) throws IOException {
    return pimforge.config.HwConfigReader.fromTree(new com.fasterxml.jackson.databind.ObjectMapper().readTree(hwJson),
        pimforge.model.ModelPresets.get(preset).orElseThrow());
  }

  public static Path write(Path dir, String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
    return p;
  }

  /** Number of entries (files and folders, recursively) under {@code dir}; 0 when it does not exist. */
  public static long entriesUnder(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return 0;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      return s.count() - 1;
    }
  }
}
