package pimforge.minilm;

/** Loads the real weights and tokenizer once per test JVM (about 2 s) for all MiniLM tests. */
final class SharedMiniLm {
  private SharedMiniLm() {}

  private static MiniLmWeights weights;
  private static MiniLmTokenizer tokenizer;

  static synchronized MiniLmWeights weights() {
    if (weights == null) {
      weights = MiniLmWeights.load();
    }
    return weights;
  }

  /** Kept open for the JVM's life: tests share it and the native handle is small. */
  static synchronized MiniLmTokenizer tokenizer() {
    if (tokenizer == null) {
      tokenizer = new MiniLmTokenizer();
    }
    return tokenizer;
  }
}
