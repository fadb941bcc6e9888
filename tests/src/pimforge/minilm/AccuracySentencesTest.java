package pimforge.minilm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The evaluation set the README's accuracy figures are measured on. */
class AccuracySentencesTest {
  @Test
  void sixteenSentencesFromFourTo128TokensNeverCalibratedOn() {
    List<int[]> ids = AccuracyEvaluation.tokenize(SharedMiniLm.tokenizer(), AccuracySentences.EVALUATION);
    assertEquals(16, ids.size());
    int min = ids.stream().mapToInt(a -> a.length).min().orElseThrow();
    int max = ids.stream().mapToInt(a -> a.length).max().orElseThrow();
    assertEquals(4, min);
    assertEquals(128, max);
    assertTrue(ids.stream().mapToInt(a -> a.length).distinct().count() >= 12, "varied lengths");
    var overlap = new HashSet<>(AccuracySentences.EVALUATION);
    overlap.retainAll(AccuracySentences.CALIBRATION);
    assertTrue(overlap.isEmpty(), "calibrated on " + overlap);
  }
}
