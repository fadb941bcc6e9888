package pimforge.minilm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import pimforge.layer.CompiledLayer;
import pimforge.layer.FloatLayer;
import pimforge.layer.LayerCompiler;
import pimforge.layer.LayerMachineModel;
import pimforge.layer.LayerQuantizer;
import pimforge.layer.QuantizedLayer;
import pimforge.params.HwParams;
import pimforge.params.ModelShape;
import pimforge.params.ParamError;

/**
 * A BERT-family encoder on the accelerator: every layer is quantized by {@link LayerQuantizer},
 * compiled by {@link LayerCompiler} and executed by {@link LayerMachineModel} (the layer top's
 * bit-exact golden model; LayerTop's RTL computes the same). One machine per layer, its setup
 * program (weights, parameter block) run once, then one layer program per sentence. A layer's
 * output integers are the next layer's input as they are (both 2^-actFracBits).
 *
 * <p>On the host, in float: the embedding lookup and its LayerNorm (before the accelerator), mean
 * pooling and L2 normalization of the dequantized last hidden state (after).
 *
 * <p>Calibration: one float pass per calibration sentence (distinct from any evaluation
 * sentence); every layer's traces are concatenated ({@link FloatLayer.Trace#concat}) and set the
 * static scales.
 */
public final class CompiledEncoder {
  /** What ran, for reports. */
  public static final String DATAPATH =
      "LayerCompiler programs on LayerMachineModel (bit-exact with LayerTop RTL)";

  private final MiniLmWeights weights;
  private final HwParams p;
  private final FloatEncoder embedder;
  private final List<QuantizedLayer> layers = new ArrayList<>();
  private final List<LayerMachineModel> machines = new ArrayList<>();

  public CompiledEncoder(MiniLmWeights weights, HwParams p, List<int[]> calibration) {
    checkShape(weights.shape(), p.model());
    this.weights = weights;
    this.p = p;
    this.embedder = new FloatEncoder(weights);
    List<FloatLayer> floats = new ArrayList<>();
    for (EncoderLayerWeights w : weights.layers()) {
      floats.add(floatLayer(p.model(), w));
    }
    List<double[][]> x = new ArrayList<>();
    for (int[] ids : calibration) {
      checkLength(ids.length);
      x.add(toDouble(embedder.embed(ids)));
    }
    for (FloatLayer f : floats) {
      List<FloatLayer.Trace> traces = new ArrayList<>();
      for (int s = 0; s < x.size(); s++) {
        FloatLayer.Trace t = f.trace(x.get(s));
        traces.add(t);
        x.set(s, t.out());
      }
      QuantizedLayer q = LayerQuantizer.quantize(p, f, FloatLayer.Trace.concat(traces));
      layers.add(q);
      LayerMachineModel machine = new LayerMachineModel(p);
      CompiledLayer setup = LayerCompiler.compile(p, q, new long[1][p.model().hiddenSize()]);
      machine.run(setup.setupProgram(), setup.setupBeats());
      machines.add(machine);
    }
  }

  public int layerCount() {
    return layers.size();
  }

  /** Hidden states dequantized (index 0: the embedding output as the accelerator receives it). */
  public EncoderOutput encode(int[] inputIds) {
    checkLength(inputIds.length);
    double[][] embedded = toDouble(embedder.embed(inputIds));
    long[][] h = layers.get(0).quantizeInput(embedded, p.sfu().actBits());
    List<float[][]> states = new ArrayList<>();
    states.add(toFloat(scalb(h, layers.get(0).inputExp())));
    for (int l = 0; l < layers.size(); l++) {
      QuantizedLayer q = layers.get(l);
      if (l > 0 && layers.get(l - 1).outputExp() != q.inputExp()) {
        throw new IllegalStateException("layer " + (l - 1) + " output scale 2^" + layers.get(l - 1).outputExp()
            + " is not layer " + l + "'s input scale 2^" + q.inputExp());
      }
      CompiledLayer c = LayerCompiler.compile(p, q, h);
      h = c.toMatrix(machines.get(l).run(c.program(), c.beats()));
      states.add(toFloat(q.dequantizeOutput(h)));
    }
    int[] mask = new int[inputIds.length];
    Arrays.fill(mask, 1);
    return new EncoderOutput(states, FloatEncoder.meanPoolAndNormalize(states.get(states.size() - 1), mask));
  }

  /**
   * The first {@code n} layers compiled for one sentence, for the model top: layer 0's beats are
   * the quantized embedding; layer l's input is layer l-1's output integers as they are (its beats
   * here hold exactly those, from the golden model). {@code output} is layer n-1's output
   * [tokens][hidden] from the golden model, {@code outputExp} its scale exponent (value = int * 2^exp).
   */
  public record LayerPrograms(List<CompiledLayer> layers, long[][] output, int outputExp) {}

  public LayerPrograms compileLayers(int[] inputIds, int n) {
    checkLength(inputIds.length);
    if (n < 1 || n > layers.size()) {
      throw new ParamError("--layers", "is " + n + ", allowed 1.." + layers.size());
    }
    long[][] h = layers.get(0).quantizeInput(toDouble(embedder.embed(inputIds)), p.sfu().actBits());
    List<CompiledLayer> out = new ArrayList<>();
    for (int l = 0; l < n; l++) {
      CompiledLayer c = LayerCompiler.compile(p, layers.get(l), h);
      out.add(c);
      h = c.toMatrix(machines.get(l).run(c.program(), c.beats()));
    }
    return new LayerPrograms(out, h, layers.get(n - 1).outputExp());
  }

  /** The float reference's hidden state after layer n-1 (index 0 of FloatEncoder is the embedding). */
  public float[][] floatHiddenState(int[] inputIds, int n) {
    return embedder.encode(inputIds).hiddenStates().get(n);
  }

  /** Integers at scale 2^exp as floats. */
  public static double[][] dequantize(long[][] x, int exp) {
    return scalb(x, exp);
  }

  /** The weights' shape must be the design's: the hardware is built for one model. */
  static void checkShape(ModelShape weights, ModelShape design) {
    List<String> diffs = new ArrayList<>();
    diff(diffs, "hiddenSize", weights.hiddenSize(), design.hiddenSize());
    diff(diffs, "numHeads", weights.numHeads(), design.numHeads());
    diff(diffs, "ffnSize", weights.ffnSize(), design.ffnSize());
    if (!diffs.isEmpty()) {
      throw new ParamError("--model", "is " + design.name() + ", built for other shapes than the weights: "
          + String.join(", ", diffs));
    }
  }

  private static void diff(List<String> diffs, String field, int weights, int design) {
    if (weights != design) {
      diffs.add(field + " " + weights + " in the weights, " + design + " in the design");
    }
  }

  private void checkLength(int tokens) {
    if (tokens > p.attention().maxSeqLen()) {
      throw new ParamError("attention.maxSeqLen", "is " + p.attention().maxSeqLen() + ", a sentence has "
          + tokens + " tokens");
    }
  }

  /** The layer in double precision, as {@link FloatLayer} (post-LN BERT block) reads it. */
  static FloatLayer floatLayer(ModelShape m, EncoderLayerWeights w) {
    return new FloatLayer(m, toDouble(w.query().weight()), toDouble(w.query().bias()),
        toDouble(w.key().weight()), toDouble(w.key().bias()), toDouble(w.value().weight()), toDouble(w.value().bias()),
        toDouble(w.attentionOutput().weight()), toDouble(w.attentionOutput().bias()),
        toDouble(w.intermediate().weight()), toDouble(w.intermediate().bias()),
        toDouble(w.output().weight()), toDouble(w.output().bias()),
        toDouble(w.attentionNorm().gamma()), toDouble(w.attentionNorm().beta()),
        toDouble(w.outputNorm().gamma()), toDouble(w.outputNorm().beta()));
  }

  private static double[][] scalb(long[][] x, int exp) {
    double[][] y = new double[x.length][];
    for (int t = 0; t < x.length; t++) {
      y[t] = new double[x[t].length];
      for (int i = 0; i < x[t].length; i++) {
        y[t][i] = StrictMath.scalb((double) x[t][i], exp);
      }
    }
    return y;
  }

  static double[][] toDouble(float[][] x) {
    double[][] y = new double[x.length][];
    for (int i = 0; i < x.length; i++) {
      y[i] = toDouble(x[i]);
    }
    return y;
  }

  static double[] toDouble(float[] x) {
    double[] y = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i] = x[i];
    }
    return y;
  }

  private static float[][] toFloat(double[][] x) {
    float[][] y = new float[x.length][];
    for (int t = 0; t < x.length; t++) {
      y[t] = new float[x[t].length];
      for (int i = 0; i < x[t].length; i++) {
        y[t][i] = (float) x[t][i];
      }
    }
    return y;
  }
}
