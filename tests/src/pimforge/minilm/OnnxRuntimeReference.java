package pimforge.minilm;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Runs the same ONNX file from the weights jar with ONNX Runtime: the independent reference for
 * {@link FloatEncoder}. Test-only (ONNX Runtime is a test dependency).
 */
final class OnnxRuntimeReference implements AutoCloseable {
  static final Set<String> EXPECTED_INPUTS = Set.of("input_ids", "attention_mask", "token_type_ids");

  private final OrtEnvironment env = OrtEnvironment.getEnvironment();
  private final OrtSession session;

  OnnxRuntimeReference() throws OrtException {
    byte[] model;
    try (InputStream in = OnnxRuntimeReference.class.getResourceAsStream(MiniLmWeights.ONNX_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing " + MiniLmWeights.ONNX_RESOURCE);
      }
      model = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(2); // CI has 2 cores
      session = env.createSession(model, options);
    }
  }

  Set<String> inputNames() {
    return session.getInputNames();
  }

  /** ONNX output "last_hidden_state" for a batch of equally long rows, [batch][tokens][hidden]. */
  float[][][] lastHiddenState(long[][] inputIds, long[][] attentionMask) throws OrtException {
    long[][] tokenTypes = new long[inputIds.length][inputIds[0].length]; // single sentences: type 0
    Map<String, long[][]> feeds = Map.of(
        "input_ids", inputIds, "attention_mask", attentionMask, "token_type_ids", tokenTypes);
    Map<String, OnnxTensor> tensors = new HashMap<>();
    try {
      for (String name : session.getInputNames()) {
        long[][] data = feeds.get(name);
        if (data == null) {
          throw new IllegalStateException("ONNX model wants an input named " + name);
        }
        tensors.put(name, OnnxTensor.createTensor(env, data));
      }
      try (OrtSession.Result result = session.run(tensors)) {
        return (float[][][]) result.get("last_hidden_state")
            .orElseThrow(() -> new IllegalStateException("no output last_hidden_state"))
            .getValue();
      }
    } finally {
      tensors.values().forEach(OnnxTensor::close);
    }
  }

  /** sentence-transformers pooling written out again here, so the test does not trust FloatEncoder's. */
  static float[] meanPoolNormalized(float[][] hidden, long[] mask) {
    double[] sum = new double[hidden[0].length];
    int count = 0;
    for (int t = 0; t < hidden.length; t++) {
      if (mask[t] == 1) {
        count++;
        for (int i = 0; i < sum.length; i++) {
          sum[i] += hidden[t][i];
        }
      }
    }
    double norm = 0;
    for (int i = 0; i < sum.length; i++) {
      sum[i] /= count;
      norm += sum[i] * sum[i];
    }
    float[] out = new float[sum.length];
    for (int i = 0; i < sum.length; i++) {
      out[i] = (float) (sum[i] / Math.sqrt(norm));
    }
    return out;
  }

  @Override
  public void close() throws OrtException {
    session.close();
  }
}
