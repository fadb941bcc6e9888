package pimforge.params;

/**
 * Attention scheduling on the PIM banks (generator arrives with the encoder-layer issue).
 *
 * @param maxSeqLen longest sequence one pass handles (1..65536, at most the model's maxPositions)
 * @param schedule DECOMPOSED keeps W_K, W_V stationary and writes only the layer input X
 *     (Q K^T = (Q W_K^T) X^T, A V = (A X) W_V); STRAIGHTFORWARD writes K and V into crossbars first
 * @param headPipelineDepth heads in flight in the sub-matrix pipeline (1..64)
 */
public record AttentionParams(int maxSeqLen, Schedule schedule, int headPipelineDepth) {
  public enum Schedule { DECOMPOSED, STRAIGHTFORWARD }

  public static final AttentionParams DEFAULT = new AttentionParams(128, Schedule.DECOMPOSED, 2);

  public AttentionParams {
    Check.range("attention.maxSeqLen", maxSeqLen, 1, 65536);
    Check.present("attention.schedule", schedule);
    Check.range("attention.headPipelineDepth", headPipelineDepth, 1, 64);
  }
}
