package pimforge.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.BitSet;
import java.util.Random;
import org.junit.jupiter.api.Test;
import pimforge.params.HwParams;

/**
 * WordRanges is a set of words whatever the order and adjacency of what is added (ranges that touch
 * or overlap the last one are kept as one), checked against a BitSet; GATHER_WEIGHTS' footprint is
 * exactly the words of its elements whichever loop order builds it.
 */
class WordRangesTest {
  private static final int SPAN = 600;

  @Test
  void overlapsAgreesWithAPlainSetOfWords() {
    Random r = new Random(11);
    for (int trial = 0; trial < 3000; trial++) {
      WordRanges a = new WordRanges();
      BitSet sa = new BitSet();
      int n = r.nextInt(40);
      long lo = r.nextInt(SPAN);
      for (int k = 0; k < n; k++) {
        // mostly ascending, touching or overlapping (the coalescing path), sometimes anywhere
        lo = r.nextInt(4) == 0 ? r.nextInt(SPAN) : Math.max(0, lo + r.nextInt(5) - 2);
        long hi = Math.min(SPAN, lo + r.nextInt(6));
        a.add(lo, hi);
        if (hi > lo) {
          sa.set((int) lo, (int) hi);
        }
      }
      for (int w = 0; w < SPAN; w += 1 + r.nextInt(3)) {
        int len = 1 + r.nextInt(4);
        BitSet probe = new BitSet();
        probe.set(w, w + len);
        assertEquals(probe.intersects(sa), a.overlaps(new WordRanges().add(w, w + len)), "trial " + trial + " word " + w);
        assertEquals(probe.intersects(sa), new WordRanges().add(w, w + len).overlaps(a), "trial " + trial + " word " + w);
      }
    }
  }

  @Test
  void gatherWeightsReadsExactlyItsElementsWords() {
    HwParams p = LayerConfigs.small();
    int lanes = p.crossbar().lanes();
    Random r = new Random(5);
    for (int trial = 0; trial < 200; trial++) {
      int rows = 1 + r.nextInt(p.derived().bankInputs());
      int cols = 1 + r.nextInt(p.derived().bankOutputs());
      int a = r.nextInt(3) == 0 ? 1 + r.nextInt(3) : r.nextInt(70);
      int b = r.nextInt(3) == 0 ? 1 + r.nextInt(3) : r.nextInt(70);
      int src = r.nextInt(50);
      Instruction g = new Instruction(Opcode.GATHER_WEIGHTS, LayerStage.XBAR_WRITE, 0, 0, 1, src, 0, cols, rows, 0, 0,
          0, 1, 0, a, b);
      WordRanges reads = Footprint.of(p, g).reads();
      BitSet words = new BitSet();
      for (int in = 0; in < rows; in++) {
        for (int out = 0; out < cols; out++) {
          words.set((int) (((long) src * lanes + (long) in * a + (long) out * b) / lanes));
        }
      }
      for (int w = 0; w <= words.length() + 2; w++) {
        assertEquals(words.get(w), reads.overlaps(new WordRanges().add(w, w + 1)),
            "trial " + trial + " (a " + a + ", b " + b + ") word " + w);
      }
    }
  }
}
