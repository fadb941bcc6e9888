package pimforge.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pimforge.TestSupport;
import pimforge.TestSupport.Run;
import pimforge.config.HwConfigReader;
import pimforge.model.ModelPresets;
import pimforge.report.DesignHash;

/** generate --model tiny through the CLI: every file present, hash-stamped, reproducible. */
class GenerateEndToEndTest {
  @Test
  void tinyDesignIsCompleteStampedAndReproducible(@TempDir Path tmp) throws IOException {
    Path root = tmp.resolve("out");
    Run first = TestSupport.cli("generate", "--model", "tiny", "--out", root.toString());
    assertEquals(0, first.code(), first.err());
    String hash = DesignHash.of(HwConfigReader.defaults(ModelPresets.get("tiny").orElseThrow()));
    Path dir = root.resolve("tiny-" + hash.substring(0, 8));
    assertTrue(first.out().contains(dir.toString()), first.out());
    long summaryLines = first.out().lines().count();
    assertTrue(summaryLines >= 4 && summaryLines <= 6, first.out());

    for (String f : List.of("design.json", "report.json", "report.md", "include/tiny_params.h", "rtl/filelist.f")) {
      assertTrue(Files.isRegularFile(dir.resolve(f)), f);
    }
    String header = "// pimforge tiny " + hash;
    List<String> listed = Files.readAllLines(dir.resolve("rtl/filelist.f"));
    assertEquals(header, listed.get(0));
    List<String> sv = listed.subList(1, listed.size());
    assertTrue(sv.contains("PimBank.sv") && sv.contains("CrossbarTile.sv"), sv.toString());
    try (Stream<Path> s = Files.list(dir.resolve("rtl"))) {
      assertEquals(sv.size() + 1, s.count(), "rtl/ holds exactly the listed modules and filelist.f");
    }
    for (String f : sv) {
      String text = Files.readString(dir.resolve("rtl").resolve(f));
      assertTrue(text.startsWith(header + "\n"), f);
      assertTrue(text.contains("module "), f);
    }
    assertTrue(Files.readString(dir.resolve("include/tiny_params.h")).startsWith(header + "\n"));
    assertTrue(Files.readString(dir.resolve("report.md")).startsWith("<!-- pimforge tiny " + hash + " -->\n"));
    ObjectMapper json = new ObjectMapper();
    JsonNode design = json.readTree(dir.resolve("design.json").toFile());
    assertEquals(hash, design.get("hash").asText());
    JsonNode report = json.readTree(dir.resolve("report.json").toFile());
    assertEquals(hash, report.get("hash").asText());
    assertEquals(16, report.at("/totals/tiles").asInt());
    assertTrue(report.at("/totals/fits").asBoolean());

    Map<String, byte[]> before = snapshot(dir);
    Run second = TestSupport.cli("generate", "--model", "tiny", "--out", root.toString());
    assertEquals(0, second.code(), second.err());
    Map<String, byte[]> after = snapshot(dir);
    assertEquals(before.keySet(), after.keySet());
    for (String f : before.keySet()) {
      assertArrayEquals(before.get(f), after.get(f), f + " differs between runs");
    }
    try (Stream<Path> s = Files.list(root)) {
      assertEquals(1, s.count(), "the second run replaced the folder, no temp folders left");
    }
  }

  private static Map<String, byte[]> snapshot(Path dir) throws IOException {
    Map<String, byte[]> m = new TreeMap<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        m.put(dir.relativize(p).toString(), Files.readAllBytes(p));
      }
    }
    return m;
  }
}
