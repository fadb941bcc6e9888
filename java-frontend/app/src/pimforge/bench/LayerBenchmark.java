package pimforge.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import pimforge.config.HwConfigReader;
import pimforge.cosim.LayerCosim;
import pimforge.cosim.StreamRun;
import pimforge.cosim.VerilatorBuild;
import pimforge.layer.CompiledLayer;
import pimforge.layer.LayerCompiler;
import pimforge.layer.LayerPlan;
import pimforge.layer.LayerStage;
import pimforge.layer.RandomLayers;
import pimforge.model.ModelPresets;
import pimforge.params.AttentionParams;
import pimforge.params.AttentionParams.Schedule;
import pimforge.params.HwParams;

/**
 * Whole-layer co-simulation at MiniLM size (hidden 384, 12 heads, FFN 1536; default 32 tokens),
 * both attention schedules: bit-exactness, cycles per stage (hardware counters), crossbar writes,
 * Verilator build time and simulated cycles/s, the golden model's run time, and the
 * decomposed/straightforward ratios. Usage: scripts/benchmark-layer [seqLen] [seed].
 */
public final class LayerBenchmark {
  private record Row(Schedule schedule, LayerPlan plan, VerilatorBuild.Simulator sim, LayerCosim.Outcome out,
      double goldenSeconds) {}

  public static void main(String[] args) throws Exception {
    int seq = args.length > 0 ? Integer.parseInt(args[0]) : 32;
    long seed = args.length > 1 ? Long.parseLong(args[1]) : 1;
    Path cache = Path.of(System.getProperty("pimforge.cosim.cache", "verilog-out/.cosim-cache"));
    HwParams base = HwConfigReader.defaults(ModelPresets.get("all-minilm-l6-v2").orElseThrow());
    List<Row> rows = new ArrayList<>();
    for (Schedule s : List.of(Schedule.STRAIGHTFORWARD, Schedule.DECOMPOSED)) {
      HwParams p = base.withAttention(new AttentionParams(seq, s, base.attention().headPipelineDepth()));
      LayerPlan plan = LayerPlan.of(p);
      System.out.printf("%s: %d banks of %dx%d, building...%n", s, plan.banks().size(), p.derived().bankInputs(),
          p.derived().bankOutputs());
      VerilatorBuild.Simulator sim = LayerCosim.build(p, cache, false);
      CompiledLayer c = LayerCompiler.compile(p, RandomLayers.of(p, seed), seq);
      long start = System.nanoTime();
      c.expectedBeats(p);
      double golden = (System.nanoTime() - start) / 1e9;
      LayerCosim.Outcome out = LayerCosim.run(p, sim, c, StreamRun.Stalls.NONE, null, "benchmark seed " + seed);
      rows.add(new Row(s, plan, sim, out, golden));
    }
    System.out.printf("%nall-minilm-l6-v2 layer, %d tokens, seed %d%n", seq, seed);
    System.out.printf("%-16s %6s %8s %10s %10s %12s %10s %10s %8s %8s%n", "schedule", "banks", "build_s",
        "setup_cyc", "layer_cyc", "xbar_writes", "sim_cyc/s", "golden_s", "exact", "counters");
    for (Row r : rows) {
      System.out.printf("%-16s %6d %8.1f %10d %10d %12d %10.0f %10.2f %8s %8s%n", r.schedule(), r.plan().banks().size(),
          r.sim().buildSeconds(), r.out().setup().cycles(), r.out().measured().cycles(), r.out().measured().xbarWrites(),
          r.out().cyclesPerSecond(), r.goldenSeconds(), r.out().bitExact() ? "yes" : "NO",
          r.out().countersMatch() ? "match" : "DIFFER");
      if (!r.out().bitExact()) {
        System.out.println("  first mismatch: " + r.out().firstMismatch());
      }
      if (!r.out().countersMatch()) {
        System.out.println("  counters: " + r.out().counterMismatch());
      }
    }
    System.out.printf("%n%-12s %16s %16s %10s%n", "stage", "straightforward", "decomposed", "ratio");
    for (LayerStage s : LayerStage.values()) {
      long a = rows.get(0).out().measured().stage(s);
      long b = rows.get(1).out().measured().stage(s);
      if (a != 0 || b != 0) {
        System.out.printf("%-12s %16d %16d %10s%n", s, a, b, a == 0 ? "-" : String.format("%.2f", (double) b / a));
      }
    }
    LayerCosim.Outcome sf = rows.get(0).out();
    LayerCosim.Outcome dec = rows.get(1).out();
    System.out.printf("%-12s %16d %16d %10.2f%n", "total", sf.measured().cycles(), dec.measured().cycles(),
        (double) dec.measured().cycles() / sf.measured().cycles());
    System.out.printf("%-12s %16d %16d %10.2f%n", "xbar writes", sf.measured().xbarWrites(),
        dec.measured().xbarWrites(), (double) dec.measured().xbarWrites() / sf.measured().xbarWrites());
    System.out.println("ratio = decomposed / straightforward");
  }
}
