package pimforge.accuracy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import pimforge.TestSupport;

/** `pimforge accuracy` user errors (the full run takes minutes; see README for its output). */
class AccuracyCommandTest {
  @Test
  void modelWithoutRealWeightsIsAUserError() {
    TestSupport.Run r = TestSupport.cli("accuracy", "--model", "bert-base");
    assertEquals(2, r.code());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(r.err().contains("only all-minilm-l6-v2 has real weights"), r.err());
  }

  @Test
  void sentenceCountOutOfRangeIsAUserError() {
    TestSupport.Run r = TestSupport.cli("accuracy", "--model", "all-minilm-l6-v2", "--sentences", "9");
    assertEquals(2, r.code());
    assertTrue(r.err().startsWith("error: --sentences"), r.err());
  }
}
