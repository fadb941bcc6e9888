package pimforge.config;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import pimforge.params.AttentionParams;
import pimforge.params.BankParams;
import pimforge.params.CamParams;
import pimforge.params.CrossbarParams;
import pimforge.params.KvCacheParams;
import pimforge.params.Precision;
import pimforge.params.SfuParams;
import pimforge.params.SoftmaxParams;

/** The README's Configuration section documents every section and field the reader accepts. */
class ReadmeConfigurationTest {
  private static final List<Class<? extends Record>> TYPES = List.of(Precision.class, CrossbarParams.class,
      BankParams.class, AttentionParams.class, SoftmaxParams.class, SfuParams.class, KvCacheParams.class,
      CamParams.class);

  private static String readme() throws IOException {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      if (Files.isRegularFile(d.resolve("README.md")) && Files.isRegularFile(d.resolve("build.sc"))) {
        return Files.readString(d.resolve("README.md"));
      }
    }
    throw new IllegalStateException("README.md not found above " + Path.of("").toAbsolutePath());
  }

  @Test
  void everyFieldHasARowInItsSectionTable() throws IOException {
    String text = readme();
    for (int i = 0; i < HwConfigReader.SECTIONS.size(); i++) {
      String section = HwConfigReader.SECTIONS.get(i);
      int start = text.indexOf("### `" + section + "`");
      assertTrue(start >= 0, "README has no heading for section " + section);
      int end = text.indexOf("\n### ", start + 1);
      String body = text.substring(start, end < 0 ? text.length() : end);
      for (String field : RecordSectionReader.fieldNames(TYPES.get(i))) {
        assertTrue(body.contains("| `" + field + "` |"), "README lacks " + section + "." + field);
      }
    }
  }
}
