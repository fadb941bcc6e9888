package pimforge.cosim;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import pimforge.kvcache.KvCacheModel;
import pimforge.layer.CompiledLayer;
import pimforge.layer.LayerCompiler;
import pimforge.layer.LayerMachineModel;
import pimforge.layer.LayerPlan;
import pimforge.layer.LayerRegisters;
import pimforge.layer.RandomLayers;
import pimforge.layer.Similarity;
import pimforge.params.Check;
import pimforge.params.HwParams;

/**
 * Co-simulates autoregressive decoding on one layer top (kvCache.enabled): a seeded random layer,
 * the setup, a prefill of P tokens (which fills every KV head's cache), then N decode steps of the
 * one compiled decode program (the POSITION register advances in hardware). Every phase's m_axis
 * beats are compared with the golden {@link LayerMachineModel} bit for bit, and at the end the
 * memory behind m_axi_* with the golden controllers'. Each step reports its cycles (the CYCLES
 * register), the cache occupancy, tokens evicted or refused and bytes moved (summed over the KV
 * heads), and the cosine of the step's output against the float layer with a full cache (the
 * published causal attention over every previous token), which shows what the policy costs.
 */
public final class DecodeCosim {
  private DecodeCosim() {}

  /** One decode step as measured; KV figures summed over the KV heads, counters cumulative. */
  public record Step(int position, long cycles, long occupancy, long evicted, long refused, long bytesWritten,
      long bytesRead, double cosineVsFullCache, boolean overflowStatus) {}

  /**
   * @param firstMismatch null when every phase and the memory image are bit-exact
   * @param prefillCycles CYCLES of the prefill run
   */
  public record Outcome(String firstMismatch, long prefillCycles, List<Step> steps, long simulatedCycles,
      double simSeconds) {
    public boolean bitExact() {
      return firstMismatch == null;
    }
  }

  /**
   * @param prefill P, 1..attention.maxSeqLen
   * @param decode N, with P + N <= model.maxPositions
   */
  public static Outcome run(HwParams p, VerilatorBuild.Simulator sim, long seed, int prefill, int decode,
      StreamRun.Stalls stalls, Path waves, String hint) throws IOException, InterruptedException {
    Check.range("--seq", prefill, 1, p.attention().maxSeqLen());
    Check.range("--decode", decode, 1, p.model().maxPositions() - prefill);
    LayerPlan plan = LayerPlan.of(p);
    RandomLayers.RandomLayer layer = RandomLayers.of(p, seed);
    double[][] x = input(layer, prefill + decode, seed);
    long[][] in = layer.quantized().quantizeInput(x, p.sfu().actBits());
    LayerCompiler.DecodeLayer d = LayerCompiler.compileDecode(p, layer.quantized(), in, prefill);
    CompiledLayer pre = d.prefill();

    LayerMachineModel golden = new LayerMachineModel(p, plan);
    List<LayerRun.Phase> phases = new ArrayList<>();
    List<List<long[]>> want = new ArrayList<>();
    List<long[]> setupBeats = golden.run(pre.setupProgram(), pre.setupBeats());
    phases.add(new LayerRun.Phase(pre.setupProgram(), pre.setupBeats()));
    want.add(setupBeats);
    phases.add(new LayerRun.Phase(pre.program(), pre.beats()));
    want.add(golden.run(pre.program(), pre.beats()));
    List<long[][]> kvAfterStep = new ArrayList<>();
    for (List<long[]> step : d.stepBeats()) {
      phases.add(new LayerRun.Phase(d.decodeProgram(), step));
      want.add(golden.run(d.decodeProgram(), step));
      kvAfterStep.add(kvFigures(golden.kvCaches()));
    }
    LayerRun.Result r = LayerRun.run(sim, plan, phases, stalls, 4_000_000, waves, hint);

    String mismatch = null;
    for (int ph = 0; ph < phases.size() && mismatch == null; ph++) {
      mismatch = firstDifference(phaseName(ph, prefill), want.get(ph), r.phases().get(ph).outBeats());
    }
    if (mismatch == null && !Arrays.equals(golden.kvMemoryImage(), r.memory())) {
      mismatch = "KV-cache memory image behind m_axi differs from the golden controllers'";
    }
    double[][] reference = layer.floatLayer().forward(x);
    List<Step> steps = new ArrayList<>();
    for (int s = 0; s < decode; s++) {
      long[][] y = new long[1][];
      y[0] = flatten(want.get(2 + s));
      double[][] got = layer.quantized().dequantizeOutput(y);
      double cos = Similarity.cosine(got, new double[][] {reference[prefill + s]});
      long[] kv = kvAfterStep.get(s)[0];
      boolean overflow = (r.phases().get(2 + s).counters().status() & LayerRegisters.STATUS_KV_OVERFLOW) != 0;
      if (mismatch == null && overflow != (kv[2] > 0)) {
        mismatch = "STATUS.KV_OVERFLOW after the step at position " + (prefill + s) + " is " + overflow
            + ", the golden controllers refused " + kv[2] + " tokens";
      }
      steps.add(new Step(prefill + s, r.phases().get(2 + s).counters().cycles(), kv[0], kv[1], kv[2], kv[3], kv[4],
          cos, overflow));
    }
    return new Outcome(mismatch, r.phases().get(1).counters().cycles(), steps, r.totalCycles(), r.seconds());
  }

  /** The layer's calibration rows, then (past attention.maxSeqLen) more standard-normal rows. */
  static double[][] input(RandomLayers.RandomLayer layer, int tokens, long seed) {
    double[][] x = Arrays.copyOf(layer.x(), tokens);
    Random extra = new Random(seed ^ 0x5DEECE66DL);
    for (int t = layer.x().length; t < tokens; t++) {
      x[t] = new double[layer.x()[0].length];
      for (int c = 0; c < x[t].length; c++) {
        x[t][c] = extra.nextGaussian();
      }
    }
    return x;
  }

  /** occupancy, evicted, refused, bytes written, bytes read, summed over the KV heads. */
  private static long[][] kvFigures(KvCacheModel[] heads) {
    long[] f = new long[5];
    for (KvCacheModel m : heads) {
      KvCacheModel.Counters c = m.counters();
      f[0] += c.occupancy();
      f[1] += c.evicted();
      f[2] += c.refused();
      f[3] += c.bytesWritten();
      f[4] += c.bytesRead();
    }
    return new long[][] {f};
  }

  private static String phaseName(int ph, int prefill) {
    return ph == 0 ? "setup" : ph == 1 ? "prefill" : "decode step at position " + (prefill + ph - 2);
  }

  private static String firstDifference(String phase, List<long[]> want, List<long[]> got) {
    if (want.size() != got.size()) {
      return phase + ": " + got.size() + " m_axis beats, golden " + want.size();
    }
    for (int b = 0; b < want.size(); b++) {
      for (int l = 0; l < want.get(b).length; l++) {
        if (want.get(b)[l] != got.get(b)[l]) {
          return phase + ": beat " + b + " element " + l + ": rtl " + got.get(b)[l] + ", golden " + want.get(b)[l];
        }
      }
    }
    return null;
  }

  private static long[] flatten(List<long[]> beats) {
    return beats.stream().flatMapToLong(Arrays::stream).toArray();
  }
}
