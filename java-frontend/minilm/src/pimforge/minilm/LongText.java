package pimforge.minilm;

import java.util.ArrayList;
import java.util.List;

/**
 * A long token sequence from the fixed sentences: the evaluation sentences, then the calibration
 * sentences, joined by spaces into one text (repeated as often as needed) and tokenized by the
 * model's tokenizer; the first {@code tokens} ids, starting with [CLS] (no [SEP] inside).
 */
public final class LongText {
  private LongText() {}

  /** The text before tokenization: every fixed sentence once, evaluation set first. */
  public static String text() {
    List<String> all = new ArrayList<>(AccuracySentences.EVALUATION);
    all.addAll(AccuracySentences.CALIBRATION);
    return String.join(" ", all);
  }

  /**
   * The first {@code tokens} ids of {@link #text()} (repeated until long enough).
   *
   * @param tokens 1..512
   */
  public static int[] ids(int tokens) {
    if (tokens < 1 || tokens > 512) {
      throw new IllegalArgumentException("tokens " + tokens + " outside 1..512");
    }
    String t = text();
    StringBuilder b = new StringBuilder(t);
    try (MiniLmTokenizer tok = new MiniLmTokenizer(tokens + 1)) {
      while (true) {
        int[] ids = tok.encode(b.toString());
        if (ids.length > tokens) {
          return java.util.Arrays.copyOf(ids, tokens);
        }
        b.append(' ').append(t);
      }
    }
  }
}
