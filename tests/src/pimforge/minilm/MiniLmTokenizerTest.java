package pimforge.minilm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class MiniLmTokenizerTest {

  // Ids of the bert-base-uncased vocabulary that MiniLM uses ([CLS]=101, [SEP]=102, "the"=1996, ...).
  @Test
  void knownSentencesGiveKnownIds() {
    MiniLmTokenizer tok = SharedMiniLm.tokenizer();
    assertArrayEquals(new int[] {101, 7592, 1010, 2088, 999, 102}, tok.encode("Hello, world!"));
    assertArrayEquals(new int[] {101, 1996, 4937, 2938, 2006, 1996, 13523, 1012, 102},
        tok.encode("The cat sat on the mat."));
  }

  @Test
  void lowerCasesStripsAccentsAndSplitsWordPieces() {
    MiniLmTokenizer tok = SharedMiniLm.tokenizer();
    assertEquals(List.of("[CLS]", "una", "##ffa", "##ble", "cafe", "[SEP]"), tok.tokens("UNAFFABLE Café"));
  }

  @Test
  void longInputIsTruncatedTo128TokensEndingInSep() {
    int[] ids = SharedMiniLm.tokenizer().encode("word ".repeat(300));
    assertEquals(MiniLmTokenizer.MAX_TOKENS, ids.length);
    assertEquals(101, ids[0]);
    assertEquals(102, ids[ids.length - 1]);
  }
}
