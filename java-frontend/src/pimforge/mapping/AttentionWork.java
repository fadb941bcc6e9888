package pimforge.mapping;

import pimforge.params.AttentionParams.Schedule;
import pimforge.params.HwParams;
import pimforge.params.ModelShape;

/**
 * Crossbar writes and multiply-accumulates of one layer's attention over a sequence of L tokens,
 * for both schedules (exact algebra; see REFERENCE.md "Matrix decomposition"):
 *
 * <ul>
 *   <li>STRAIGHTFORWARD: K = X W_K and V = X W_V are computed, then written into crossbars
 *       (K^T as d_head x L per head, V as L x d_head), and only then can S = Q K^T and A V run.
 *   <li>DECOMPOSED: S_h = (Q_h W_K,h^T) X^T and A_h V_h = (A_h X) W_V,h. W_K^T and W_V stay
 *       stationary; only the layer input X is written, in both orientations (X^T for the scores,
 *       X for A X), at the start of the layer while Q is still being computed.
 * </ul>
 *
 * @param schedule which schedule
 * @param tokens sequence length L
 * @param writtenWeights matrix entries written into crossbars at run time
 * @param writtenCells physical cells those writes program (slices x column groups per entry)
 * @param writesWaitForProjections true when the writes can only start after the K/V projections
 * @param macs multiply-accumulates of the projections Q, K, V (as the schedule needs them),
 *     scores, A V and the output projection
 */
public record AttentionWork(
    Schedule schedule, long tokens, long writtenWeights, long writtenCells,
    boolean writesWaitForProjections, long macs) {

  public static AttentionWork of(HwParams p, Schedule schedule, long tokens) {
    ModelShape m = p.model();
    long hidden = m.hiddenSize();
    long kvDim = m.kvDim();
    long headDim = m.headDim();
    long heads = m.numHeads();
    long cellsPerEntry = (long) p.precision().slices() * p.precision().columnGroups();
    long qAndOut = 2 * tokens * hidden * m.qDim(); // Q projection and output projection (heads x headDim wide)
    if (schedule == Schedule.STRAIGHTFORWARD) {
      long written = 2 * tokens * kvDim; // K^T and V of every KV head
      long macs = qAndOut
          + 2 * tokens * hidden * kvDim // K and V projections
          + 2 * heads * tokens * tokens * headDim; // Q_h K_h^T and A_h V_h
      return new AttentionWork(schedule, tokens, written, written * cellsPerEntry, true, macs);
    }
    long written = 2 * tokens * hidden; // X and X^T
    long macs = qAndOut
        + heads * tokens * headDim * hidden // Q_h W_K,h^T
        + heads * tokens * hidden * tokens // (.) X^T
        + heads * tokens * tokens * hidden // A_h X
        + heads * tokens * hidden * headDim; // (.) W_V,h
    return new AttentionWork(schedule, tokens, written, written * cellsPerEntry, false, macs);
  }
}
