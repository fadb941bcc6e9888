package pimforge.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import pimforge.minilm.AccuracyEvaluation;
import pimforge.minilm.AccuracySentences;
import pimforge.minilm.HwVariants;
import pimforge.minilm.MiniLmTokenizer;
import pimforge.minilm.MiniLmWeights;
import pimforge.params.Check;
import pimforge.params.HwParams;
import pimforge.params.ParamError;
import pimforge.params.Precision;
import pimforge.params.SfuParams;

/**
 * {@code pimforge accuracy}: the integer PIM datapath (bit-exact unit golden models) on the real
 * all-MiniLM-L6-v2 weights against the float reference, for the given design, then the cost of
 * cheaper bank precision and ADCs.
 */
@Command(
    name = "accuracy",
    mixinStandardHelpOptions = true,
    versionProvider = PimforgeCli.Version.class,
    description = "Sentence-embedding cosine of the quantized PIM datapath vs float on all-MiniLM-L6-v2 "
        + "(the only model with real weights), per-layer errors, and a precision/ADC sweep.")
final class AccuracyCommand implements Callable<Integer> {
  private static final int[][] PRECISIONS = {{8, 8}, {6, 8}, {4, 8}, {8, 6}, {8, 12}}; // weight bits, input bits
  private static final int[] ADC_BITS = {8, 6, 4};

  @Spec
  CommandSpec spec;

  @Mixin
  DesignOptions design;

  @Option(names = "--sentences", defaultValue = "4",
      description = "Evaluation sentences (1..8, default: ${DEFAULT-VALUE}); lossy-ADC rows use one short sentence.")
  int sentences;

  @Override
  public Integer call() {
    Check.range("--sentences", sentences, 1, AccuracySentences.EVALUATION.size());
    HwParams p;
    try {
      p = design.params();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    if (!p.model().name().equals(MiniLmWeights.PRESET)) {
      throw new ParamError("--model", "is " + p.model().name() + ": only " + MiniLmWeights.PRESET
          + " has real weights to measure accuracy on");
    }
    PrintWriter o = spec.commandLine().getOut();
    MiniLmWeights w = MiniLmWeights.load();
    List<int[]> ids;
    List<int[]> shortIds;
    List<int[]> cal;
    try (MiniLmTokenizer tok = new MiniLmTokenizer()) {
      cal = AccuracyEvaluation.tokenize(tok, AccuracySentences.CALIBRATION);
      ids = AccuracyEvaluation.tokenize(tok, AccuracySentences.EVALUATION.subList(0, sentences));
      shortIds = AccuracyEvaluation.tokenize(tok, List.of(AccuracySentences.SHORT));
    }
    o.printf("all-minilm-l6-v2, %d sentences (calibrated on %d others), cosine of sentence embeddings vs float%n",
        ids.size(), AccuracySentences.CALIBRATION.size());
    o.printf("design: weights %d b, inputs %d b, ADC %d b %s (%s), SFU %d.%d%n", p.precision().weightBits(),
        p.precision().inputBits(), p.precision().adcBits(), p.precision().adcMode(),
        p.derived().adcLossless() ? "lossless" : "lossy, lossless at " + p.derived().adcLosslessBits(),
        p.sfu().actBits(), p.sfu().actFracBits());
    AccuracyEvaluation.Result r = AccuracyEvaluation.evaluate(w, p, cal,
        p.derived().adcLossless() ? ids : shortIds);
    o.printf("cosine mean %.4f, min %.4f%s%n", r.meanCosine(), r.minCosine(),
        p.derived().adcLossless() ? "" : " (lossy ADC: on \"" + AccuracySentences.SHORT + "\" only)");
    o.print("max |error| per hidden state (0 = embeddings):");
    for (int l = 0; l < r.layerMaxAbsError().length; l++) {
      o.printf(" %d:%.3f", l, r.layerMaxAbsError()[l]);
    }
    o.println();
    o.flush();
    precisionTable(o, p, w, cal, ids);
    // A narrow SFU cannot hold MiniLM's FFN outlier channels at the LayerNorm input: sweep ADCs with a wide one.
    adcTable(o, wideEnough(p) ? p : HwVariants.wideSfu(p), w, cal, shortIds);
    return 0;
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
        precisionRow(o, p, wi, wide, w, cal, ids);
      }
    }
  }

  private static void precisionRow(PrintWriter o, HwParams p, int[] wi, boolean wideSfu, MiniLmWeights w,
      List<int[]> cal, List<int[]> ids) {
    String row = "| " + wi[0] + " | " + wi[1] + " | ";
    try {
      HwParams v = variant(wideSfu ? HwVariants.wideSfu(p) : p, wi[0], wi[1], 16, Precision.AdcMode.SCALE);
      AccuracyEvaluation.Result r = AccuracyEvaluation.evaluate(w, v, cal, ids);
      o.printf("%s%d.%d | %.4f | %.4f |%n", row, v.sfu().actBits(), v.sfu().actFracBits(), r.meanCosine(),
          r.minCosine());
    } catch (ParamError e) {
      o.printf("%s | n/a: %s | |%n", row, e.getMessage());
    }
    o.flush();
  }

  /** ADC bits x mode at the design's precision, on one short sentence (lossy banks run bit by bit). */
  private static void adcTable(PrintWriter o, HwParams p, MiniLmWeights w, List<int[]> cal, List<int[]> ids) {
    int wb = p.precision().weightBits();
    int ib = p.precision().inputBits();
    o.printf("%nADC sweep at %d-bit weights, %d-bit inputs, SFU %d.%d, on \"%s\" (lossless needs %d bits)%n",
        wb, ib, p.sfu().actBits(), p.sfu().actFracBits(), AccuracySentences.SHORT, p.derived().adcLosslessBits());
    o.println("| ADC bits | SCALE | CLIP |");
    o.println("| --- | --- | --- |");
    double lossless = AccuracyEvaluation.evaluate(w, variant(p, wb, ib, 16, Precision.AdcMode.SCALE), cal, ids)
        .minCosine();
    o.printf("| lossless | %.4f | %.4f |%n", lossless, lossless);
    o.flush();
    for (int bits : ADC_BITS) {
      List<String> cells = new ArrayList<>();
      for (Precision.AdcMode mode : List.of(Precision.AdcMode.SCALE, Precision.AdcMode.CLIP)) {
        cells.add(String.format("%.4f",
            AccuracyEvaluation.evaluate(w, variant(p, wb, ib, bits, mode), cal, ids).minCosine()));
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
    return HwVariants.softmaxFor(q, q.model().hiddenSize() / q.model().numHeads());
  }
}
