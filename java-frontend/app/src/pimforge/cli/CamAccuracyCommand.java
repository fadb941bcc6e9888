package pimforge.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import pimforge.minilm.AccuracyEvaluation;
import pimforge.minilm.AccuracySentences;
import pimforge.minilm.CamCalibration;
import pimforge.minilm.CamFloatAttention;
import pimforge.minilm.EncoderOutput;
import pimforge.minilm.FloatEncoder;
import pimforge.minilm.MiniLmTokenizer;
import pimforge.minilm.MiniLmWeights;
import pimforge.params.Check;
import pimforge.params.HwParams;

/**
 * {@code pimforge cam-accuracy}: all-MiniLM-L6-v2 with CAM attention in every layer
 * ({@link CamFloatAttention}) vs float, sentence-embedding cosine for several topK, with and
 * without re-scoring, with and without centering Q/K before the sign.
 */
@Command(
    name = "cam-accuracy",
    mixinStandardHelpOptions = true,
    versionProvider = PimforgeCli.Version.class,
    description = "Sentence-embedding cosine vs float of all-MiniLM-L6-v2 with CAM attention (sign-binarized Q/K, "
        + "16-row tiles, 2-stage top-k, lossless match ADC) in every layer.")
final class CamAccuracyCommand implements Callable<Integer> {
  private static final int[] TOP_K = {8, 16, 32, 64, CamFloatAttention.KEYS};

  @Spec
  CommandSpec spec;

  @Option(names = "--sentences", defaultValue = "16",
      description = "Evaluation sentences, 4 to 128 tokens (1..16, default: ${DEFAULT-VALUE}).")
  int sentences;

  @Override
  public Integer call() {
    Check.range("--sentences", sentences, 1, AccuracySentences.EVALUATION.size());
    MiniLmWeights w = MiniLmWeights.load();
    List<int[]> cal;
    List<int[]> ids;
    try (MiniLmTokenizer tok = new MiniLmTokenizer()) {
      cal = AccuracyEvaluation.tokenize(tok, AccuracySentences.CALIBRATION);
      ids = AccuracyEvaluation.tokenize(tok, AccuracySentences.EVALUATION.subList(0, sentences));
    }
    PrintWriter o = spec.commandLine().getOut();
    FloatEncoder reference = new FloatEncoder(w);
    float[][] want = ids.stream().map(s -> reference.encode(s).sentenceEmbedding()).toArray(float[][]::new);
    HwParams any = CamFloatAttention.params(w.shape(), 8, false);
    o.println(String.format("all-MiniLM-L6-v2, %d sentences of %d..%d tokens (mean %.1f), CAM attention in all %d layers: "
        + "d = %d, tiles of %d, %d-bit match ADC, 2 stages; cosine of sentence embeddings vs float, mean / min",
        ids.size(), ids.stream().mapToInt(a -> a.length).min().orElse(0), ids.stream().mapToInt(a -> a.length).max().orElse(0),
        ids.stream().mapToInt(a -> a.length).average().orElse(0), w.layers().size(), w.shape().headDim(),
        any.cam().rowsPerTile(), any.cam().matchAdcBits()));
    CamCalibration plain = CamCalibration.fit(w, cal, CamCalibration.Centering.NONE, any.cam().matchAdcBits());
    CamCalibration keys = CamCalibration.fit(w, cal, CamCalibration.Centering.KEYS, any.cam().matchAdcBits());
    CamCalibration both = CamCalibration.fit(w, cal, CamCalibration.Centering.QUERIES_AND_KEYS, any.cam().matchAdcBits());
    record Variant(String name, CamCalibration cal, boolean interleave, boolean rescore, int stages) {}
    List<Variant> variants = List.of(
        new Variant("binary, rows in order", plain, false, false, 2),
        new Variant("binary", plain, true, false, 2),
        new Variant("re-scored", plain, true, true, 2),
        new Variant("re-scored, 1 stage", plain, true, true, 1),
        new Variant("K centered, binary", keys, true, false, 2),
        new Variant("K centered, re-scored", keys, true, true, 2),
        new Variant("Q+K centered, binary", both, true, false, 2));
    o.println("columns (keys interleaved over the tiles unless 'rows in order'; 2 top-k stages unless '1 stage'):");
    StringBuilder head = new StringBuilder(String.format("%-6s", "topK"));
    for (Variant v : variants) {
      head.append(String.format(" | %-21s", v.name()));
    }
    o.println(head);
    o.flush();
    for (int k : TOP_K) {
      StringBuilder row = new StringBuilder(String.format("%-6s", k == CamFloatAttention.KEYS ? "all" : Integer.toString(k)));
      for (Variant v : variants) {
        FloatEncoder cam = new FloatEncoder(w, new CamFloatAttention(CamFloatAttention.params(w.shape(), k, v.rescore(), v.stages()),
            v.cal(), v.interleave()));
        double sum = 0;
        double min = 1;
        for (int s = 0; s < ids.size(); s++) {
          double cos = EncoderOutput.cosine(want[s], cam.encode(ids.get(s)).sentenceEmbedding());
          sum += cos;
          min = Math.min(min, cos);
        }
        row.append(String.format(" | %-21s", String.format("%.4f / %.4f", sum / ids.size(), min)));
      }
      o.println(row);
      o.flush();
    }
    return 0;
  }
}
