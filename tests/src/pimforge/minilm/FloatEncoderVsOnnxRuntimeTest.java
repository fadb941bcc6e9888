package pimforge.minilm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The float reference encoder against ONNX Runtime on the same weights. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FloatEncoderVsOnnxRuntimeTest {
  static final double TOLERANCE = 1e-4;

  static final List<String> SENTENCES = List.of(
      "Hi.",
      "The cat sat on the mat.",
      "Processing-in-memory accelerators compute matrix-vector products inside the memory arrays.",
      "What's the weather like in Zürich tomorrow, and should I bring an umbrella?",
      "A quick brown fox jumps over the lazy dog; pack my box with five dozen liquor jugs!",
      "Transformers encode each token by attending to all others, then pass the result through a"
          + " feed-forward network, and a sentence embedding is the mean of the token vectors after"
          + " six such layers, normalized to unit length so that cosine similarity is a dot product.");

  private OnnxRuntimeReference ort;
  private FloatEncoder encoder;
  private MiniLmTokenizer tokenizer;

  @BeforeAll
  void setUp() throws Exception {
    ort = new OnnxRuntimeReference();
    encoder = new FloatEncoder(SharedMiniLm.weights());
    tokenizer = SharedMiniLm.tokenizer();
  }

  @AfterAll
  void tearDown() throws Exception {
    ort.close();
  }

  @Test
  void modelTakesTheThreeBertInputs() {
    assertEquals(OnnxRuntimeReference.EXPECTED_INPUTS, ort.inputNames());
  }

  @Test
  void lastHiddenStateAndEmbeddingMatchOnnxRuntime() throws Exception {
    for (String sentence : SENTENCES) {
      int[] ids = tokenizer.encode(sentence);
      long[] mask = ones(ids.length);
      float[][] expected = ort.lastHiddenState(new long[][] {toLong(ids)}, new long[][] {mask})[0];
      EncoderOutput actual = encoder.encode(ids);

      assertEquals(7, actual.hiddenStates().size(), "embedding output + 6 layers");
      double hiddenErr = maxAbsDiff(expected, actual.lastHiddenState());
      assertTrue(hiddenErr < TOLERANCE,
          "last hidden state off by " + hiddenErr + " (" + ids.length + " tokens): " + sentence);
      double embErr = maxAbsDiff(OnnxRuntimeReference.meanPoolNormalized(expected, mask),
          actual.sentenceEmbedding());
      assertTrue(embErr < TOLERANCE, "embedding off by " + embErr + ": " + sentence);
      System.out.println(String.format("MiniLM vs ONNX Runtime, %d tokens: hidden max |err| %.2e, embedding %.2e",
          ids.length, hiddenErr, embErr));
    }
  }

  @Test
  void paddingIsMaskedOutLikeOnnxRuntime() throws Exception {
    int[] shortIds = tokenizer.encode(SENTENCES.get(1));
    int[] longIds = tokenizer.encode(SENTENCES.get(2));
    int len = longIds.length;
    long[][] ids = {toLong(padded(shortIds, len)), toLong(longIds)};
    long[][] mask = {padded(ones(shortIds.length), len), ones(len)};
    float[][][] expected = ort.lastHiddenState(ids, mask);

    int[] intMask = new int[len];
    for (int t = 0; t < shortIds.length; t++) {
      intMask[t] = 1;
    }
    EncoderOutput paddedRun = encoder.encode(padded(shortIds, len), intMask);
    float[] expectedEmb = OnnxRuntimeReference.meanPoolNormalized(expected[0], mask[0]);
    assertTrue(maxAbsDiff(expectedEmb, paddedRun.sentenceEmbedding()) < TOLERANCE);
    for (int t = 0; t < shortIds.length; t++) {
      assertTrue(maxAbsDiff(expected[0][t], paddedRun.lastHiddenState()[t]) < TOLERANCE, "token " + t);
    }
    // Padding must not change what the real tokens see.
    EncoderOutput unpadded = encoder.encode(shortIds);
    assertTrue(maxAbsDiff(unpadded.sentenceEmbedding(), paddedRun.sentenceEmbedding()) < 1e-6);
  }

  private static long[] ones(int n) {
    long[] a = new long[n];
    java.util.Arrays.fill(a, 1L);
    return a;
  }

  private static long[] toLong(int[] a) {
    long[] out = new long[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = a[i];
    }
    return out;
  }

  private static int[] padded(int[] ids, int len) {
    return java.util.Arrays.copyOf(ids, len); // [PAD] is id 0
  }

  private static long[] padded(long[] mask, int len) {
    return java.util.Arrays.copyOf(mask, len);
  }

  static double maxAbsDiff(float[][] a, float[][] b) {
    assertEquals(a.length, b.length, "token count");
    double max = 0;
    for (int t = 0; t < a.length; t++) {
      max = Math.max(max, maxAbsDiff(a[t], b[t]));
    }
    return max;
  }

  static double maxAbsDiff(float[] a, float[] b) {
    assertEquals(a.length, b.length, "vector length");
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs((double) a[i] - b[i]));
    }
    return max;
  }
}
