package pimforge.params;

/**
 * Quantities of the CAM attention unit that follow from the parameters (design.json "camDerived",
 * present when {@code cam.enabled}); the Chisel generator, the golden model, the schedule and the
 * harness read them from here. {@link #of} also checks the cross-field rules, each failure one
 * {@link ParamError} naming the field and the allowed range.
 *
 * @param keys N, keys the CAM holds: attention.maxSeqLen (row indices 0..N-1)
 * @param headDim d, bits of a binary key/query: model.headDim (a row's first d cells; the match
 *     line reads those d cells)
 * @param tiles T = N / rowsPerTile, searched one per cycle
 * @param perTileKeep rows a tile passes to the final top-k with 2 stages:
 *     min(rowsPerTile, max(2, ceil(topK / tiles))) (CAMformer's top-2 per tile, more when 2 per
 *     tile could not fill topK); rowsPerTile with 1 stage (every row goes to the global sorter)
 * @param indexBits unsigned bits of a key index: ceil(log2 N), at least 1
 * @param countBits unsigned bits of a match count 0..d: ceil(log2(d + 1))
 * @param elementBeats beats of a d-element vector (key, value, query, context): d / lanes
 * @param topKBeats beats of a topK-element section of the answer: ceil(topK / lanes)
 * @param softmaxBeats beats of the survivors' row in the softmax: ceil(topK / softmax.lanes)
 * @param scoreBits signed bits of a survivor's score: matchAdcBits + 1 (an ADC code), or with
 *     re-scoring the bits of a full-precision dot product, d * 2^(2 keyBits - 2) in magnitude
 * @param accBits signed bits of a weighted-sum accumulator: valueBits + softmax.outputBits + ceil(log2 topK)
 * @param inBits signed bits of an input stream element: the widest of a key/query element, a V
 *     element, a row index and the softmax configuration values
 * @param outBits signed bits of an output stream element: the widest of an index (-1 = no survivor),
 *     a score, a probability (softmax.outputBits + 1) and a context element (valueBits)
 * @param configBeats beats of a configure packet: multiplier, shift, zero padded (ceil(2 / lanes))
 * @param writeBeats beats of a write packet: a header beat (row index in element 0), d / lanes key
 *     beats, d / lanes value beats
 * @param outBeats beats of a query's answer: indices, scores, probabilities (topKBeats each), context
 *     (elementBeats)
 */
public record CamDerived(
    int keys,
    int headDim,
    int tiles,
    int perTileKeep,
    int indexBits,
    int countBits,
    int elementBeats,
    int topKBeats,
    int softmaxBeats,
    int scoreBits,
    int accBits,
    int inBits,
    int outBits,
    int configBeats,
    int writeBeats,
    int outBeats) {

  /** Derives and checks; throws {@link ParamError} on the first rule broken. */
  public static CamDerived of(CamParams c, ModelShape m, AttentionParams a, SoftmaxParams s) {
    int n = a.maxSeqLen();
    int d = m.headDim();
    int r = c.rowsPerTile();
    Check.that(c.topK() <= n, "cam.topK", "is " + c.topK() + ", allowed 1.." + n
        + " (the keys the CAM holds: attention.maxSeqLen)");
    int largestTile = Math.min(1024, Integer.lowestOneBit(n));
    Check.that(n % r == 0, "cam.rowsPerTile", "is " + r + ", allowed a power of two dividing attention.maxSeqLen = "
        + n + (largestTile >= 4 ? " (4.." + largestTile + ")"
            : " (none in 4..1024: with cam.enabled attention.maxSeqLen must be a multiple of 4)"));
    Check.that(d <= 1024, "cam.cols", "is " + c.cols() + ", allowed none: model.headDim = " + d
        + " is wider than the widest CAM row (1024 cells), allowed model.headDim 1..1024 with cam.enabled");
    Check.that(d <= c.cols(), "cam.cols", "is " + c.cols() + ", allowed " + Integer.highestOneBit(2 * d - 1)
        + "..1024 (a CAM row must hold model.headDim = " + d + " key bits)");
    int countBits = Check.ceilLog2(d + 1L);
    Check.that(c.matchAdcBits() <= countBits, "cam.matchAdcBits", "is " + c.matchAdcBits() + ", allowed 1.."
        + countBits + " (ceil(log2(model.headDim + 1)): the match count of d = " + d + " cells has " + (d + 1)
        + " levels)");
    Check.that(d % c.lanes() == 0, "cam.lanes", "is " + c.lanes() + ", allowed a power of two dividing model.headDim = "
        + d + " (1.." + Math.min(64, Integer.lowestOneBit(d)) + ")");
    int tiles = n / r;
    int keep = c.stages() == 1 ? r : Math.min(r, Math.max(2, (c.topK() + tiles - 1) / tiles));
    int scoreBits = c.rescore() ? dotBits(d, c.keyBits()) : c.matchAdcBits() + 1;
    if (c.rescore()) {
      int kb = c.keyBits();
      while (kb > 2 && dotBits(d, kb) > s.inputBits()) {
        kb--;
      }
      Check.that(scoreBits <= s.inputBits(), "cam.keyBits", "is " + c.keyBits() + ", allowed 2.." + kb
          + " with cam.rescore (a re-scored dot product of " + scoreBits + " bits must fit softmax.inputBits = "
          + s.inputBits() + ")");
    } else {
      Check.that(scoreBits <= s.inputBits(), "cam.matchAdcBits", "is " + c.matchAdcBits() + ", allowed 1.."
          + (s.inputBits() - 1) + " (a code must fit softmax.inputBits = " + s.inputBits() + ")");
    }
    int indexBits = Math.max(1, Check.ceilLog2(n));
    int eb = d / c.lanes();
    int kBeats = (c.topK() + c.lanes() - 1) / c.lanes();
    int shiftBits = SoftmaxDerived.of(s, a).shiftBits();
    int inBits = Math.max(Math.max(c.keyBits(), c.valueBits()), Math.max(indexBits + 1,
        Math.max(s.scaleBits(), shiftBits) + 1));
    int outBits = Math.max(Math.max(indexBits + 1, scoreBits), Math.max(s.outputBits() + 1, c.valueBits()));
    return new CamDerived(n, d, tiles, keep, indexBits, countBits, eb, kBeats,
        (c.topK() + s.lanes() - 1) / s.lanes(), scoreBits,
        c.valueBits() + s.outputBits() + Check.ceilLog2(c.topK()), inBits, outBits,
        (2 + c.lanes() - 1) / c.lanes(), 1 + 2 * eb, 3 * kBeats + eb);
  }

  /** Signed bits of a dot product of d pairs of signed keyBits elements (largest magnitude d * 4^(keyBits-1)). */
  static int dotBits(int d, int keyBits) {
    long maxAbs = (long) d << (2 * keyBits - 2);
    return 64 - Long.numberOfLeadingZeros(maxAbs) + 1;
  }
}
