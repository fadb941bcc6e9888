package pimforge.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import pimforge.config.HwConfigReader;
import pimforge.minilm.AccuracyEvaluation;
import pimforge.minilm.AccuracySentences;
import pimforge.minilm.CompiledEncoder;
import pimforge.minilm.HwVariants;
import pimforge.minilm.MiniLmTokenizer;
import pimforge.minilm.MiniLmWeights;
import pimforge.model.ModelResolver;
import pimforge.params.Check;
import pimforge.params.HwParams;
import pimforge.params.ModelShape;
import pimforge.params.ParamError;
import pimforge.params.Precision;
import pimforge.params.SfuParams;

/**
 * {@code pimforge accuracy}: real encoder weights through the layer compiler. Every layer is
 * quantized and compiled for the design and its programs run on the layer golden model
 * ({@link CompiledEncoder}); the sentence embeddings are compared with the float encoder's.
 * Optionally (--sweep) the same for cheaper bank precision and ADCs.
 */
@Command(
    name = "accuracy",
    mixinStandardHelpOptions = true,
    versionProvider = PimforgeCli.Version.class,
    description = "Sentence-embedding cosine vs float of a BERT-family encoder's compiled layer programs on the "
        + "layer golden model (all-MiniLM-L6-v2 built in, or --weights), per-layer errors, optionally a "
        + "precision/ADC sweep.")
final class AccuracyCommand implements Callable<Integer> {
  private static final int[][] PRECISIONS = {{8, 8}, {6, 8}, {4, 8}, {8, 6}, {8, 12}}; // weight bits, input bits
  private static final int[] ADC_BITS = {8, 6, 4};
  /** Sentences of the ADC sweep (lossy banks): the first ones of the evaluation set. */
  private static final int ADC_SENTENCES = 4;

  @Spec
  CommandSpec spec;

  @Option(names = "--model", paramLabel = "<preset|path>",
      description = "The design's model: a preset or a Hugging Face config.json (default: " + MiniLmWeights.PRESET
          + ", or the config.json beside --weights).")
  String model;

  @Option(names = "--hw", paramLabel = "<json>",
      description = "Hardware and policy configuration (JSON); every field optional, see README 'Configuration'.")
  Path hw;

  @Option(names = "--weights", paramLabel = "<model.onnx>",
      description = "A BERT-family encoder exported to ONNX (default: the built-in all-MiniLM-L6-v2).")
  Path weights;

  @Option(names = "--tokenizer", paramLabel = "<tokenizer.json>",
      description = "Its Hugging Face tokenizer.json (default: the one beside --weights).")
  Path tokenizer;

  @Option(names = "--sentences", defaultValue = "16",
      description = "Evaluation sentences, 4 to 128 tokens (1..16, default: ${DEFAULT-VALUE}).")
  int sentences;

  @Option(names = "--sweep", description = "Also weight/input precisions and lossy ADCs (a full run each).")
  boolean sweep;

  @Override
  public Integer call() {
    Check.range("--sentences", sentences, 1, AccuracySentences.EVALUATION.size());
    HwParams p = design();
    checkEncoder(p.model());
    Path tokenizerFile = tokenizerFile();
    MiniLmWeights w = weights == null ? MiniLmWeights.load() : MiniLmWeights.fromFile(weights, p.model());
    List<int[]> cal;
    List<int[]> ids;
    int maxTokens = Math.min(MiniLmTokenizer.MAX_TOKENS, p.attention().maxSeqLen());
    try (MiniLmTokenizer tok = tokenizerFile == null ? new MiniLmTokenizer(maxTokens)
        : new MiniLmTokenizer(tokenizerFile, maxTokens)) {
      cal = AccuracyEvaluation.tokenize(tok, AccuracySentences.CALIBRATION);
      ids = AccuracyEvaluation.tokenize(tok, AccuracySentences.EVALUATION.subList(0, sentences));
    }
    PrintWriter o = spec.commandLine().getOut();
    o.printf("%s (%s), %d sentences of %d..%d tokens (calibrated on %d others), cosine of sentence embeddings vs"
        + " float%n", p.model().name(), weights == null ? "built-in weights" : weights.toString(), ids.size(),
        ids.stream().mapToInt(a -> a.length).min().orElse(0), ids.stream().mapToInt(a -> a.length).max().orElse(0),
        cal.size());
    o.printf("datapath: %s, %d layers; embedding lookup + LayerNorm, mean pooling + L2 norm on the host%n",
        CompiledEncoder.DATAPATH, w.layers().size());
    o.printf("design: weights %d b, inputs %d b, ADC %d b %s (%s), SFU %d.%d, %s schedule, maxSeqLen %d%n",
        p.precision().weightBits(), p.precision().inputBits(), p.precision().adcBits(), p.precision().adcMode(),
        p.derived().adcLossless() ? "lossless" : "lossy, lossless at " + p.derived().adcLosslessBits(),
        p.sfu().actBits(), p.sfu().actFracBits(), p.attention().schedule(), p.attention().maxSeqLen());
    if (p.cam().enabled()) {
      o.printf("attention: CAM (top-%d of %d rows in tiles of %d, %d-bit match ADC, %d stage(s)%s), every head of every"
          + " layer%n", p.cam().topK(), p.camDerived().keys(), p.cam().rowsPerTile(), p.cam().matchAdcBits(),
          p.cam().stages(), p.cam().rescore() ? ", re-scored" : "");
    }
    o.flush();
    long t0 = System.nanoTime();
    AccuracyEvaluation.Result r = AccuracyEvaluation.evaluate(w, p, cal, ids);
    o.printf("cosine mean %.4f, min %.4f (%.0f s)%n", r.meanCosine(), r.minCosine(), (System.nanoTime() - t0) / 1e9);
    o.print("per sentence (tokens: cosine):");
    for (int s = 0; s < ids.size(); s++) {
      o.printf(" %d:%.4f", ids.get(s).length, r.cosines()[s]);
    }
    o.println();
    o.print("max |error| per hidden state (0 = embeddings):");
    for (int l = 0; l < r.layerMaxAbsError().length; l++) {
      o.printf(" %d:%.3f", l, r.layerMaxAbsError()[l]);
    }
    o.println();
    o.flush();
    if (sweep) {
      precisionTable(o, p, w, cal, ids);
      // A narrow SFU cannot hold MiniLM's FFN outlier channels at the LayerNorm input: sweep ADCs with a wide one.
      adcTable(o, wideEnough(p) ? p : HwVariants.wideSfu(p), w, cal, ids.subList(0, Math.min(ADC_SENTENCES, ids.size())));
    }
    return 0;
  }

  /** The design: --model (or the config.json beside --weights, or MiniLM) and --hw. */
  private HwParams design() {
    if (weights != null && !Files.isRegularFile(weights)) {
      throw new ParamError("--weights", "is " + weights + ": no such file");
    }
    String m = model;
    if (weights == null) {
      if (m == null) {
        m = MiniLmWeights.PRESET;
      } else if (!m.equals(MiniLmWeights.PRESET)) {
        throw new ParamError("--model", "is " + m + ": only " + MiniLmWeights.PRESET
            + " has built-in weights; pass --weights <model.onnx> for another encoder");
      }
    } else if (m == null) {
      Path config = weights.toAbsolutePath().resolveSibling("config.json");
      if (!Files.isRegularFile(config)) {
        throw new ParamError("--model", "missing: no config.json beside " + weights
            + " (it gives the heads and the norm epsilon); pass --model <preset|config.json>");
      }
      m = config.toString();
    }
    ModelShape shape = ModelResolver.resolve(m);
    return hw == null ? HwConfigReader.defaults(shape) : HwConfigReader.read(hw, shape);
  }

  /** --tokenizer, the tokenizer.json beside --weights, or null for the built-in one; checked to exist. */
  private Path tokenizerFile() {
    if (tokenizer != null) {
      if (!Files.isRegularFile(tokenizer)) {
        throw new ParamError("--tokenizer", "is " + tokenizer + ": no such file");
      }
      return tokenizer;
    }
    if (weights == null) {
      return null;
    }
    Path beside = weights.toAbsolutePath().resolveSibling("tokenizer.json");
    if (!Files.isRegularFile(beside)) {
      throw new ParamError("--tokenizer", "missing: no tokenizer.json beside " + weights
          + "; pass --tokenizer <tokenizer.json>");
    }
    return beside;
  }

  /** The float reference and the weight reader are BERT's block: post-LN, LayerNorm, erf GELU, bidirectional. */
  private static void checkEncoder(ModelShape m) {
    List<String> not = new ArrayList<>();
    if (m.family() != ModelShape.Family.ENCODER) {
      not.add("family " + m.family());
    }
    if (m.preNorm()) {
      not.add("pre-LN");
    }
    if (m.norm() != ModelShape.Norm.LAYERNORM) {
      not.add("norm " + m.norm());
    }
    if (m.activation() != ModelShape.Activation.GELU) {
      not.add("activation " + m.activation());
    }
    if (m.gatedFfn()) {
      not.add("gated FFN");
    }
    if (!not.isEmpty()) {
      throw new ParamError("--model", "is " + m.name() + ": accuracy runs BERT-family encoders (post-LN LayerNorm,"
          + " GELU), this model has " + String.join(", ", not));
    }
  }

  /** At least the default SFU activation format's integer bits and fraction bits. */
  private static boolean wideEnough(HwParams p) {
    SfuParams d = SfuParams.DEFAULT;
    return p.sfu().actFracBits() >= d.actFracBits()
        && p.sfu().actBits() - p.sfu().actFracBits() >= d.actBits() - d.actFracBits();
  }

  /** Lossless ADC over the evaluation sentences, for each weight/input precision. */
  private static void precisionTable(PrintWriter o, HwParams p, MiniLmWeights w, List<int[]> cal, List<int[]> ids) {
    o.printf("%nlossless ADC, %d sentences; SFU: the design's (widened to the inputs if narrower)%s%n"
        + "| weights | inputs | SFU | cosine mean | cosine min |%n| --- | --- | --- | --- | --- |%n", ids.size(),
        wideEnough(p) ? "" : ", then the default format");
    for (boolean wide : wideEnough(p) ? new boolean[] {false} : new boolean[] {false, true}) {
      for (int[] wi : PRECISIONS) {
        String row = "| " + wi[0] + " | " + wi[1] + " | ";
        try {
          HwParams v = variant(wide ? HwVariants.wideSfu(p) : p, wi[0], wi[1], 16, Precision.AdcMode.SCALE);
          AccuracyEvaluation.Result r = AccuracyEvaluation.evaluate(w, v, cal, ids);
          o.printf("%s%d.%d | %.4f | %.4f |%n", row, v.sfu().actBits(), v.sfu().actFracBits(), r.meanCosine(),
              r.minCosine());
        } catch (ParamError e) {
          o.printf("%s | n/a: %s | |%n", row, e.getMessage());
        }
        o.flush();
      }
    }
  }

  /** ADC bits x mode at the design's precision. */
  private static void adcTable(PrintWriter o, HwParams p, MiniLmWeights w, List<int[]> cal, List<int[]> ids) {
    int wb = p.precision().weightBits();
    int ib = p.precision().inputBits();
    o.printf("%nADC sweep at %d-bit weights, %d-bit inputs, SFU %d.%d, %d sentences, cosine mean / min"
        + " (lossless needs %d bits)%n", wb, ib, p.sfu().actBits(), p.sfu().actFracBits(), ids.size(),
        p.derived().adcLosslessBits());
    o.println("| ADC bits | SCALE | CLIP |");
    o.println("| --- | --- | --- |");
    AccuracyEvaluation.Result lossless = AccuracyEvaluation.evaluate(w, variant(p, wb, ib, 16,
        Precision.AdcMode.SCALE), cal, ids);
    String l = String.format("%.4f / %.4f", lossless.meanCosine(), lossless.minCosine());
    o.printf("| lossless | %s | %s |%n", l, l);
    o.flush();
    for (int bits : ADC_BITS) {
      List<String> cells = new ArrayList<>();
      for (Precision.AdcMode mode : List.of(Precision.AdcMode.SCALE, Precision.AdcMode.CLIP)) {
        AccuracyEvaluation.Result r = AccuracyEvaluation.evaluate(w, variant(p, wb, ib, bits, mode), cal, ids);
        cells.add(String.format("%.4f / %.4f", r.meanCosine(), r.minCosine()));
      }
      o.printf("| %d | %s |%n", bits, String.join(" | ", cells));
      o.flush();
    }
  }

  /**
   * The design with another bank precision; an SFU narrower than the inputs gets their width (same
   * integer bits), the softmax input the width of the scores.
   */
  private static HwParams variant(HwParams p, int weightBits, int inputBits, int adcBits, Precision.AdcMode mode) {
    HwParams v = p.sfu().actBits() < inputBits
        ? HwVariants.sfuFormat(p, inputBits, p.sfu().actFracBits() + inputBits - p.sfu().actBits()) : p;
    HwParams q = HwVariants.precision(v, weightBits, inputBits, adcBits, mode);
    return HwVariants.softmaxFor(q, q.model().headDim());
  }
}
