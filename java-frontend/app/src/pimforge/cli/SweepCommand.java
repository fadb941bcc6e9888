package pimforge.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import pimforge.config.HwConfigReader;
import pimforge.config.JsonFiles;
import pimforge.cost.SweepPoint;
import pimforge.cost.TechTable;
import pimforge.io.AtomicOutputDir;
import pimforge.model.ModelResolver;
import pimforge.params.ModelShape;
import pimforge.params.ParamError;
import pimforge.plot.ParetoPlots;

/**
 * {@code pimforge sweep}: the cross product of --vary values, each point evaluated like
 * {@code pimforge evaluate} ({@link SweepPoint#evaluate}, a pure function of one record) in parallel
 * over --threads; writes sweep.csv (invalid points with their error) and a latency/energy Pareto plot.
 * A value that is invalid for its field on its own is a user error (exit 2, nothing written); a
 * combination that is invalid is listed.
 */
@Command(
    name = "sweep",
    mixinStandardHelpOptions = true,
    versionProvider = PimforgeCli.Version.class,
    description = "Design-space sweep: --vary field=v1,v2,... (cross product), each point evaluated in parallel; "
        + "writes sweep.csv and pareto.png/svg into --out.")
final class SweepCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--model", required = true, paramLabel = "<preset|path>", description = "A preset or a Hugging Face config.json.")
  String model;

  @Option(names = "--hw", paramLabel = "<json>", description = "Base hardware configuration; --vary overrides its fields.")
  Path hw;

  @Option(names = "--tech", paramLabel = "<json>", description = "Technology table (default: built in).")
  Path tech;

  @Option(names = "--vary", required = true, paramLabel = "FIELD=V1,V2,...",
      description = "section.field (or adcBits, bitsPerCell, weightBits, inputBits, rows, cols, lanes, clockMHz) and its values.")
  List<String> vary;

  @Option(names = "--seq", defaultValue = "128", paramLabel = "N", description = "Prefill tokens (default: ${DEFAULT-VALUE}).")
  int seq;

  @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: the available cores).")
  Integer threads;

  @Option(names = "--out", defaultValue = "sweep-out", paramLabel = "DIR", description = "Output folder (default: ${DEFAULT-VALUE}).")
  Path out;

  @Override
  public Integer call() throws Exception {
    ModelShape shape = ModelResolver.resolve(model);
    JsonNode base = hw == null ? null : JsonFiles.readObject(hw, "a JSON object with sections "
        + String.join(", ", HwConfigReader.SECTIONS));
    TechTable t = tech == null ? TechTable.defaults() : TechTable.read(tech);
    Map<String, List<Object>> axes = parseAxes(shape, base);
    List<Map<String, Object>> points = crossProduct(axes);
    int n = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
    if (n < 1 || n > 256) {
      throw new ParamError("--threads", "is " + n + ", allowed 1..256");
    }
    List<SweepPoint> results = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try (ProgressBar bar = new ProgressBarBuilder().setTaskName("sweep").setInitialMax(points.size())
        .setStyle(ProgressBarStyle.ASCII).setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err))
        .build()) {
      List<Future<SweepPoint>> futures = new ArrayList<>();
      for (Map<String, Object> o : points) {
        futures.add(pool.submit(() -> {
          SweepPoint r = SweepPoint.evaluate(shape, base, o, t, seq);
          bar.step();
          return r;
        }));
      }
      for (Future<SweepPoint> f : futures) {
        results.add(f.get());
      }
    } finally {
      pool.shutdownNow();
    }
    List<SweepPoint> valid = results.stream().filter(SweepPoint::valid).toList();
    AtomicOutputDir.write(out, dir -> {
      AtomicOutputDir.writeText(dir.resolve("sweep.csv"), csv(axes, results));
      if (!valid.isEmpty()) {
        ParetoPlots.write(shape.name() + ": sweep, prefill of " + seq + " tokens", "latency (ms)", "energy (mJ)", valid,
            p -> p.latencySeconds() * 1e3, p -> p.energyJoules() * 1e3, false, dir, "pareto");
      }
    });
    var o = spec.commandLine().getOut();
    o.printf(Locale.ROOT, "wrote %s: %d points, %d valid, %d invalid%n", out, results.size(), valid.size(),
        results.size() - valid.size());
    for (SweepPoint r : results) {
      if (!r.valid()) {
        o.println("  invalid " + r.overrides() + ": " + r.error());
      }
    }
    return 0;
  }

  /** field -> values; each value alone must be valid for its field (else a user error). */
  private Map<String, List<Object>> parseAxes(ModelShape shape, JsonNode base) {
    Map<String, List<Object>> axes = new LinkedHashMap<>();
    for (String v : vary) {
      int eq = v.indexOf('=');
      if (eq <= 0 || eq == v.length() - 1) {
        throw new ParamError("--vary " + v, "is not FIELD=V1,V2,..., allowed e.g. adcBits=4,6,8");
      }
      String key = v.substring(0, eq).trim();
      List<Object> values = new ArrayList<>();
      for (String s : v.substring(eq + 1).split(",")) {
        String x = s.trim();
        Object value;
        try {
          value = Integer.parseInt(x);
        } catch (NumberFormatException e) {
          value = x;
        }
        try {
          HwConfigReader.fromTree(SweepPoint.apply(base, Map.of(key, value)), shape);
        } catch (ParamError e) {
          if (SweepPoint.canonical(key).startsWith(e.field())) {
            throw new ParamError("--vary " + key + "=" + x, e.getMessage());
          }
          // valid for its field, invalid with the base: a combination problem, listed per point
        }
        values.add(value);
      }
      axes.put(key, values);
    }
    return axes;
  }

  private static List<Map<String, Object>> crossProduct(Map<String, List<Object>> axes) {
    List<Map<String, Object>> out = new ArrayList<>();
    out.add(new LinkedHashMap<>());
    for (Map.Entry<String, List<Object>> a : axes.entrySet()) {
      List<Map<String, Object>> next = new ArrayList<>();
      for (Map<String, Object> m : out) {
        for (Object v : a.getValue()) {
          Map<String, Object> c = new LinkedHashMap<>(m);
          c.put(a.getKey(), v);
          next.add(c);
        }
      }
      out = next;
    }
    return out;
  }

  private static String csv(Map<String, List<Object>> axes, List<SweepPoint> results) {
    StringBuilder b = new StringBuilder();
    axes.keySet().forEach(k -> b.append(SweepPoint.canonical(k)).append(','));
    b.append("valid,prefillLatency_s,prefillEnergy_J,tokensPerSecond,TOPSPerWatt,macroArea_mm2,chips,error\n");
    for (SweepPoint r : results) {
      r.overrides().values().forEach(v -> b.append(v).append(','));
      b.append(String.format(Locale.ROOT, "%s,%.6g,%.6g,%.6g,%.6g,%.6g,%d,%s%n", r.valid(), r.latencySeconds(),
          r.energyJoules(), r.tokensPerSecond(), r.topsPerWatt(), r.macroAreaMm2(), r.chips(),
          r.valid() ? "" : '"' + r.error().replace("\"", "'") + '"'));
    }
    return b.toString();
  }
}
