package pimforge.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import pimforge.kvcache.fidelity.FidelityPoint;
import pimforge.kvcache.fidelity.FidelitySweep;
import pimforge.kvcache.fidelity.FidelityTable;
import pimforge.kvcache.fidelity.FidelityWorkload;
import pimforge.kvcache.fidelity.RandomDecoderHeads;
import pimforge.minilm.CausalMiniLm;
import pimforge.minilm.LongText;
import pimforge.minilm.MiniLmWeights;
import pimforge.params.Check;
import pimforge.params.HwParams;
import pimforge.params.ParamError;

/**
 * {@code pimforge kv-fidelity}: how much a compressed, bounded KV cache ({@link
 * pimforge.kvcache.KvCacheModel}) changes attention, against float causal attention over the full
 * cache, on all-MiniLM-L6-v2's real activations (used causally) and on synthetic decoder heads
 * ({@link RandomDecoderHeads}). Without --sweep: the design's kvCache section; with it, every policy
 * at 25/50/100 % of the context and 8/4/3/2 bits (README "KV-cache fidelity").
 */
@Command(
    name = "kv-fidelity",
    mixinStandardHelpOptions = true,
    versionProvider = PimforgeCli.Version.class,
    description = "Attention- and layer-output cosine of the compressed KV cache (golden model of the controller) "
        + "vs float attention over the full cache, on all-MiniLM-L6-v2 decoded causally and on random decoder heads; "
        + "bytes per token vs fp16 and sparsity.")
final class KvFidelityCommand implements Callable<Integer> {
  /** Head dimension of the random decoder heads (Llama/GPT-2-like heads are 64..128 wide). */
  static final int RANDOM_HEAD_DIM = 64;

  @Spec
  CommandSpec spec;

  @Mixin
  DesignOptions design;

  @Option(names = "--tokens", paramLabel = "N", defaultValue = "256",
      description = "Context decoded step by step (2..the model's maxPositions; default: ${DEFAULT-VALUE}).")
  int tokens;

  @Option(names = "--layers", paramLabel = "N", defaultValue = "6",
      description = "MiniLM layers measured, the first N (1..6; default: ${DEFAULT-VALUE}).")
  int layers;

  @Option(names = "--random-heads", paramLabel = "N", defaultValue = "12",
      description = "Random decoder heads (head dim " + RANDOM_HEAD_DIM + "), 0..64; 0 skips them (default: ${DEFAULT-VALUE}).")
  int randomHeads;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "Seed of the random heads (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--sweep", description = "Every policy x budgets 25/50/100 %% x key/value bits 8/4/3/2 (plus two "
      + "pruning rows) instead of the design's kvCache section; groupSize from the design, fullPrecisionTokens = groupSize.")
  boolean sweep;

  @Override
  public Integer call() throws Exception {
    HwParams p = design.params();
    if (!p.model().name().equals(MiniLmWeights.PRESET)) {
      throw new ParamError("--model", "is " + p.model().name() + ", allowed " + MiniLmWeights.PRESET
          + " (the only model with built-in weights)");
    }
    Check.range("--tokens", tokens, 2, p.model().maxPositions());
    Check.range("--layers", layers, 1, p.model().numLayers());
    Check.range("--random-heads", randomHeads, 0, 64);
    int g = p.kvCache().groupSize();
    int inputBits = p.precision().inputBits();
    int pBits = p.softmax().outputBits();
    PrintWriter o = spec.commandLine().getOut();
    o.println(String.format(Locale.ROOT, "kv-fidelity: %d tokens, K/V/q as %d-bit integers (one scale per tensor and"
        + " layer: largest |x| -> %d), probabilities unsigned %d bits; groupSize %d%s", tokens, inputBits,
        (1 << (inputBits - 1)) - 1, pBits, g, sweep ? ", fullPrecisionTokens = groupSize" : ""));
    o.println("reference: float causal attention over the full cache; cosines per token (heads concatenated),"
        + " mean and min over tokens and layers; bytes per sealed token written to memory vs fp16 (2 x d x 2 bytes)");
    long t0 = System.nanoTime();
    MiniLmWeights w = MiniLmWeights.load();
    int[] ids = LongText.ids(tokens);
    FidelityWorkload minilm = new CausalMiniLm(w, ids, layers);
    o.println();
    o.println(String.format(Locale.ROOT, "## %s: %d layers x %d heads, head dim %d; the fixed sentences as one text",
        minilm.name(), layers, minilm.heads(), p.model().headDim()));
    table(o, new FidelitySweep(minilm, inputBits, pBits, p.crossbar().lanes()), p, g);
    if (randomHeads > 0) {
      FidelityWorkload r = new RandomDecoderHeads(randomHeads, tokens, RANDOM_HEAD_DIM, seed);
      o.println();
      o.println(String.format(Locale.ROOT, "## %s: %d heads, head dim %d, %d key outlier channels of 10-20x, "
          + "1 + %d heavy-hitter tokens (no layer after attention)", r.name(), randomHeads, RANDOM_HEAD_DIM,
          RandomDecoderHeads.OUTLIER_CHANNELS, RandomDecoderHeads.HEAVY_TOKENS));
      table(o, new FidelitySweep(r, inputBits, pBits, p.crossbar().lanes()), p, g);
    }
    o.println();
    o.println(String.format(Locale.ROOT, "(%.0f s)", (System.nanoTime() - t0) / 1e9));
    o.flush();
    return 0;
  }

  private void table(PrintWriter o, FidelitySweep s, HwParams p, int g) {
    o.println(FidelityTable.header());
    o.flush();
    if (!sweep) {
      o.println(FidelityTable.row(s.measure(p.kvCache())));
      o.flush();
      return;
    }
    List<FidelityPoint> points = FidelityPoint.sweep(tokens);
    for (FidelityPoint pt : points) {
      String line;
      try {
        line = FidelityTable.row(s.measure(pt, g));
      } catch (ParamError e) {
        line = FidelityTable.refusedRow(pt, e.getMessage());
      }
      o.println(line);
      o.flush();
    }
  }
}
