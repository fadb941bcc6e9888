package pimforge.generate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import pimforge.hw.Emit;
import pimforge.hw.xbar.CrossbarArray;
import pimforge.hw.xbar.CrossbarArraySimModel;
import pimforge.io.AtomicOutputDir;
import pimforge.layer.LayerSchedules;
import pimforge.layer.LayerSupport;
import pimforge.mapping.Mapper;
import pimforge.mapping.MappingResult;
import pimforge.params.HwParams;
import pimforge.params.ParamError;
import pimforge.report.CHeader;
import pimforge.report.DesignId;
import pimforge.report.DesignJson;
import pimforge.report.MappingReport;
import pimforge.report.MarkdownReport;

/**
 * Produces {@code <root>/<design>-<hash8>/}: rtl/*.sv + rtl/filelist.f, sim/*.sv (fast
 * simulation models of the crossbar array macro), design.json,
 * include/<design>_params.h, report.json, report.md. Written atomically; the same params give
 * byte-identical files.
 */
public final class DesignGenerator {
  public static final Path DEFAULT_ROOT = Paths.get("verilog-out");
  public static final String DEFAULT_TOP = "PimBank";

  private final String top;

  public DesignGenerator(String top) {
    this.top = top;
  }

  public DesignGenerator() {
    this(DEFAULT_TOP);
  }

  /** What {@link #generate} produced. */
  public record Result(Path dir, DesignId id, MappingResult mapping, List<String> rtlFiles) {}

  public Result generate(HwParams p, Path root) throws IOException {
    checkTop(p);
    DesignId id = DesignId.of(p, top);
    MappingResult mapping = Mapper.map(p);
    List<String> rtl = new ArrayList<>();
    Path dir = AtomicOutputDir.write(root.resolve(id.folderName()), out -> {
      rtl.addAll(writeRtl(p, id, out.resolve("rtl")));
      writeSimModels(p, id, rtl, out.resolve(pimforge.check.RtlFiles.SIM_MODELS));
      AtomicOutputDir.writeText(out.resolve("design.json"), DesignJson.text(p, id));
      AtomicOutputDir.writeText(out.resolve("include").resolve(id.name() + "_params.h"), CHeader.text(p, id));
      // The layer schedules compile the layer programs: once for both reports.
      LayerSchedules schedules = CHeader.hasLayers(top) ? LayerSchedules.of(p) : null;
      AtomicOutputDir.writeText(out.resolve("report.json"), MappingReport.text(mapping, id, schedules));
      AtomicOutputDir.writeText(out.resolve("report.md"), MarkdownReport.text(mapping, id, schedules));
    });
    return new Result(dir, id, mapping, List.copyOf(rtl));
  }

  /**
   * Fast simulation models of the analog macros, same module names and ports as their reference
   * in rtl/: Verilator builds use them ({@code RtlFiles.forSimulation}); synthesis never does.
   */
  private static void writeSimModels(HwParams p, DesignId id, List<String> rtl, Path simDir) throws IOException {
    String array = CrossbarArray.ModuleName() + ".sv";
    if (rtl.contains(array)) {
      AtomicOutputDir.writeText(simDir.resolve(array),
          id.slashHeader() + "\n" + CrossbarArraySimModel.source(p, CrossbarArray.ModuleName()));
      AtomicOutputDir.writeText(simDir.resolve(CrossbarArraySimModel.DpiFileName()),
          id.slashHeader() + "\n" + CrossbarArraySimModel.dpiSource());
    }
  }

  /**
   * Fails before anything is written when there is no generator for the top module, or when the
   * layer top does not compute a feature of the model ({@link LayerSupport}).
   */
  private void checkTop(HwParams p) {
    if (CHeader.hasLayers(top)) {
      LayerSupport.require(p);
    }
    try {
      Emit.generator(top, p);
    } catch (IllegalArgumentException e) {
      throw new ParamError("--top", "is '" + top + "': " + e.getMessage());
    }
  }

  /**
   * Emits the RTL into scratch folders, then copies the modules firtool lists in its filelist.f
   * (not its verification/ folder) with the hash header line prepended.
   */
  private List<String> writeRtl(HwParams p, DesignId id, Path rtlDir) throws IOException {
    Path scratch = Files.createTempDirectory("pimforge-emit-");
    try {
      Path emitted = scratch.resolve("emit");
      Emit.emit(top, p, emitted);
      Path list = emitted.resolve("filelist.f");
      if (!Files.isRegularFile(list)) {
        throw new IllegalStateException("firtool wrote no filelist.f for " + top); // a tool bug, not user input
      }
      Files.createDirectories(rtlDir);
      List<String> names = new ArrayList<>();
      for (String line : Files.readAllLines(list, StandardCharsets.UTF_8)) {
        String entry = line.trim();
        if (entry.isEmpty() || entry.startsWith("//")) {
          continue;
        }
        Path src = emitted.resolve(entry);
        String name = src.getFileName().toString();
        String body = Files.readString(src, StandardCharsets.UTF_8);
        Files.writeString(rtlDir.resolve(name), id.slashHeader() + "\n" + body, StandardCharsets.UTF_8);
        names.add(name);
      }
      StringBuilder f = new StringBuilder(id.slashHeader()).append('\n');
      names.forEach(n -> f.append(n).append('\n'));
      Files.writeString(rtlDir.resolve("filelist.f"), f.toString(), StandardCharsets.UTF_8);
      return names;
    } finally {
      AtomicOutputDir.deleteTree(scratch);
    }
  }
}
