package pimforge.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import pimforge.config.HwConfigReader;
import pimforge.layer.Similarity;
import pimforge.layer.CompiledLayer;
import pimforge.layer.LayerCompiler;
import pimforge.layer.LayerMachineModel;
import pimforge.layer.RandomLayers;
import pimforge.model.ModelPresets;
import pimforge.params.AttentionParams;
import pimforge.params.AttentionParams.Schedule;
import pimforge.params.HwParams;
import pimforge.params.ModelShape;
import pimforge.params.Precision;

/**
 * The compiled layer on the layer golden model against the float layer, on configurations larger
 * than CI's (longer sequences, real model widths): cosine and max |error| of the layer output,
 * program length, crossbar writes and golden-model run time. Usage: scripts/layer-accuracy [seed].
 */
public final class LayerAccuracyBenchmark {
  private LayerAccuracyBenchmark() {}

  public static void main(String[] args) {
    long seed = args.length > 0 ? Long.parseLong(args[0]) : 1;
    ModelShape tiny = ModelPresets.get("tiny").orElseThrow();
    ModelShape minilm = ModelPresets.get("all-minilm-l6-v2").orElseThrow();
    ModelShape gpt2 = ModelPresets.get("gpt2").orElseThrow();
    Precision lossless9 = new Precision(8, 8, 2, 9, Precision.AdcMode.SCALE, Precision.SignedScheme.OFFSET);
    record Case(String name, HwParams p) {}
    List<Case> cases = List.of(
        new Case("tiny 128 tok STRAIGHTFORWARD", params(tiny, Precision.DEFAULT, 32, 2, 128, Schedule.STRAIGHTFORWARD)),
        new Case("tiny 128 tok DECOMPOSED", params(tiny, Precision.DEFAULT, 32, 2, 128, Schedule.DECOMPOSED)),
        new Case("MiniLM shape 32 tok STRAIGHTFORWARD", params(minilm, lossless9, 128, 3, 32, Schedule.STRAIGHTFORWARD)),
        new Case("MiniLM shape 32 tok DECOMPOSED", params(minilm, lossless9, 128, 3, 32, Schedule.DECOMPOSED)),
        new Case("gpt2 shape (pre-LN) 32 tok STRAIGHTFORWARD", params(gpt2, lossless9, 128, 2, 32, Schedule.STRAIGHTFORWARD)));
    System.out.printf("%-45s %6s %9s %9s %8s %12s %9s%n", "configuration", "seed", "cosine", "max_err",
        "instrs", "xbar_writes", "golden_s");
    for (Case c : cases) {
      HwParams p = c.p();
      RandomLayers.RandomLayer layer = RandomLayers.of(p, seed);
      int seq = p.attention().maxSeqLen();
      CompiledLayer compiled = LayerCompiler.compile(p, layer, seq);
      long t0 = System.nanoTime();
      LayerMachineModel m = new LayerMachineModel(p);
      m.run(compiled.setupProgram(), compiled.setupBeats());
      long[][] y = compiled.toMatrix(m.run(compiled.program(), compiled.beats()));
      double seconds = (System.nanoTime() - t0) / 1e9;
      double[][] got = layer.quantized().dequantizeOutput(y);
      double[][] want = layer.floatLayer().forward(layer.input(seq));
      System.out.printf("%-45s %6d %9.5f %9.4f %8d %12d %9.2f%n", c.name(), seed, Similarity.cosine(got, want),
          Similarity.maxAbsError(got, want), compiled.program().size(), m.crossbarWrites(), seconds);
    }
  }

  private static HwParams params(ModelShape m, Precision prec, int rows, int gridRows, int seq, Schedule s) {
    // Through the reader, so softmax.lanes and sfu.lanes follow crossbar.lanes.
    String json = String.format("{\"crossbar\": {\"rows\": %d, \"cols\": %d, \"lanes\": 4},"
        + " \"bank\": {\"tileGridRows\": %d, \"tileGridCols\": 1},"
        + " \"attention\": {\"maxSeqLen\": %d, \"schedule\": \"%s\", \"headPipelineDepth\": 2}}",
        rows, rows, gridRows, seq, s);
    try {
      return HwConfigReader.fromTree(new ObjectMapper().readTree(json), m).withPrecision(prec);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
