package pimforge.minilm;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Sanity check that the float encoder's embeddings mean something: paraphrases sit close. */
class SentenceSimilarityTest {

  @Test
  void paraphrasesAreCloseAndUnrelatedSentencesAreNot() {
    FloatEncoder encoder = new FloatEncoder(SharedMiniLm.weights());
    float[] a = embed(encoder, "How do I reset my password?");
    float[] b = embed(encoder, "How can I change my password?");
    float[] c = embed(encoder, "The stock market fell sharply this afternoon.");
    double paraphrase = EncoderOutput.cosine(a, b);
    double unrelatedA = EncoderOutput.cosine(a, c);
    double unrelatedB = EncoderOutput.cosine(b, c);
    String values = String.format("paraphrase %.3f, unrelated %.3f / %.3f", paraphrase, unrelatedA, unrelatedB);
    System.out.println("MiniLM cosine: " + values);
    assertTrue(paraphrase > 0.7, values);
    assertTrue(unrelatedA < 0.3 && unrelatedB < 0.3, values);
  }

  private static float[] embed(FloatEncoder encoder, String sentence) {
    return encoder.encode(SharedMiniLm.tokenizer().encode(sentence)).sentenceEmbedding();
  }
}
