package pimforge.minilm;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The model's own BERT WordPiece tokenizer (lower case, [CLS] ... [SEP]), run by the Hugging Face
 * tokenizers library through DJL from the tokenizer.json shipped in the weights jar. Works offline:
 * DJL unpacks its native library from its own jar.
 */
public final class MiniLmTokenizer implements AutoCloseable {
  /** Classpath name of the tokenizer definition inside the weights jar. */
  public static final String TOKENIZER_RESOURCE = "/all-minilm-l6-v2-tokenizer.json";
  /** The sentence-transformers model truncates at 128 tokens (tokenizer.json says so too). */
  public static final int MAX_TOKENS = 128;

  private final HuggingFaceTokenizer tokenizer;

  /** all-MiniLM-L6-v2's own tokenizer (in the weights jar), truncating at {@link #MAX_TOKENS}. */
  public MiniLmTokenizer() {
    this(MAX_TOKENS);
  }

  /** all-MiniLM-L6-v2's own tokenizer, truncating at {@code maxTokens}. */
  public MiniLmTokenizer(int maxTokens) {
    Map<String, String> options = options(maxTokens);
    try (InputStream in = MiniLmTokenizer.class.getResourceAsStream(TOKENIZER_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("tokenizer " + TOKENIZER_RESOURCE + " is not on the classpath");
      }
      tokenizer = HuggingFaceTokenizer.newInstance(in, options);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read tokenizer " + TOKENIZER_RESOURCE, e);
    }
  }

  /**
   * A Hugging Face tokenizer.json from a file, truncating at {@code maxTokens}; a file the library
   * cannot read is a user error of --tokenizer.
   */
  public MiniLmTokenizer(java.nio.file.Path file, int maxTokens) {
    if (!java.nio.file.Files.isRegularFile(file)) {
      throw new pimforge.params.ParamError("--tokenizer", "is " + file + ": no such file");
    }
    try {
      tokenizer = HuggingFaceTokenizer.newInstance(file, options(maxTokens));
    } catch (IOException | RuntimeException e) {
      throw new pimforge.params.ParamError("--tokenizer", "is " + file + ": not a Hugging Face tokenizer.json ("
          + String.valueOf(e.getMessage()).lines().findFirst().orElse("") + ")");
    }
  }

  /** Unpadded ids (a tokenizer.json may pad every input), truncated at maxTokens. */
  private static Map<String, String> options(int maxTokens) {
    return Map.of("padding", "false", "truncation", "true", "maxLength", Integer.toString(maxTokens));
  }

  /** Token ids of one sentence, [CLS] first and [SEP] last, at most {@link #MAX_TOKENS}. */
  public int[] encode(String sentence) {
    return Arrays.stream(tokenizer.encode(sentence).getIds()).mapToInt(Math::toIntExact).toArray();
  }

  /** The word pieces of one sentence (for messages and tests). */
  public List<String> tokens(String sentence) {
    Encoding e = tokenizer.encode(sentence);
    return List.of(e.getTokens());
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}
