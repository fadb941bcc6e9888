package pimforge.accuracy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pimforge.TestSupport;

/** `pimforge accuracy` user errors: exit 2, one line naming the option (a full run takes minutes). */
class AccuracyCommandTest {
  @TempDir
  Path dir;

  private static void assertUserError(TestSupport.Run r, String... parts) {
    assertEquals(2, r.code(), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    for (String part : parts) {
      assertTrue(r.err().contains(part), "wanted '" + part + "' in: " + r.err());
    }
  }

  @Test
  void modelWithoutBuiltInWeightsIsAUserError() {
    assertUserError(TestSupport.cli("accuracy", "--model", "bert-base"),
        "error: --model", "only all-minilm-l6-v2 has built-in weights", "--weights");
  }

  @Test
  void sentenceCountOutOfRangeIsAUserError() {
    TestSupport.Run r = TestSupport.cli("accuracy", "--model", "all-minilm-l6-v2", "--sentences", "17");
    assertUserError(r, "error: --sentences");
  }

  @Test
  void missingWeightsFileIsAUserError() {
    assertUserError(TestSupport.cli("accuracy", "--model", "all-minilm-l6-v2", "--weights",
        dir.resolve("nope.onnx").toString()), "error: --weights", "no such file");
  }

  @Test
  void weightsWithoutConfigBesideThemNeedModel() throws IOException {
    Path onnx = Files.write(dir.resolve("model.onnx"), new byte[] {1, 2, 3});
    assertUserError(TestSupport.cli("accuracy", "--weights", onnx.toString()),
        "error: --model", "no config.json beside");
  }

  @Test
  void aFileThatIsNotOnnxIsAUserError() throws IOException {
    Path onnx = Files.writeString(dir.resolve("model.onnx"), "this is not protobuf \u00ff\u00fe garbage");
    Files.writeString(dir.resolve("tokenizer.json"), "{}");
    assertUserError(TestSupport.cli("accuracy", "--model", "all-minilm-l6-v2", "--weights", onnx.toString()),
        "error: --weights", "model.onnx");
  }

  /** A valid ONNX model that is not an encoder (one Gemm layer) names the initializer it lacks. */
  @Test
  void anOnnxModelThatIsNotAnEncoderNamesWhatIsMissing() throws IOException {
    TensorProto w = TensorProto.newBuilder().setName("fc.weight").addDims(2).addDims(2)
        .setDataType(TensorProto.DataType.FLOAT_VALUE).addFloatData(1).addFloatData(0).addFloatData(0)
        .addFloatData(1).build();
    NodeProto gemm = NodeProto.newBuilder().setName("/fc/Gemm").setOpType("Gemm").addInput("x")
        .addInput("fc.weight").addOutput("y").build();
    ModelProto m = ModelProto.newBuilder().setIrVersion(7)
        .setGraph(GraphProto.newBuilder().setName("classifier").addInitializer(w).addNode(gemm)).build();
    Path onnx = dir.resolve("classifier.onnx");
    Files.write(onnx, m.toByteArray());
    Files.writeString(dir.resolve("tokenizer.json"), "{}");
    assertUserError(TestSupport.cli("accuracy", "--model", "all-minilm-l6-v2", "--weights", onnx.toString()),
        "error: --weights", "not a BERT-family encoder", "embeddings.word_embeddings.weight");
  }

  @Test
  void weightsWithoutTokenizerBesideThemNeedTokenizer() throws IOException {
    Path onnx = Files.write(dir.resolve("model.onnx"), new byte[] {1});
    assertUserError(TestSupport.cli("accuracy", "--model", "all-minilm-l6-v2", "--weights", onnx.toString()),
        "error: --tokenizer", "no tokenizer.json beside");
  }

  @Test
  void missingTokenizerFileIsAUserError() {
    assertUserError(TestSupport.cli("accuracy", "--tokenizer", dir.resolve("t.json").toString()),
        "error: --tokenizer", "no such file");
  }

  @Test
  void aDecoderIsNotAnEncoder() throws IOException {
    Path onnx = Files.write(dir.resolve("model.onnx"), new byte[] {1});
    assertUserError(TestSupport.cli("accuracy", "--model", "gpt2", "--weights", onnx.toString()),
        "error: --model", "BERT-family encoders", "family DECODER");
  }
}
