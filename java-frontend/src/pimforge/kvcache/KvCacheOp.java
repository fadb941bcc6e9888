package pimforge.kvcache;

/**
 * KV-cache controller commands (the value on {@code io.cmd}; RTL pimforge.hw.kvcache.KvCacheController,
 * golden {@link KvCacheModel}), defined once for the RTL, the golden model, the harness and the C
 * header. Beats carry {@code lanes} elements; a vector of n elements takes ceil(n / lanes) beats,
 * zero padded.
 * <ul>
 *   <li>APPEND: in, the new token's key (headDim elements) then its value (headDim elements), each
 *       starting on a new beat; out, one packet of {@link KvCacheLayout#APPEND_RESULT_WORDS} words:
 *       outcome (0 stored, 1 stored after evicting, 2 refused), slot (-1 if refused), the evicted
 *       token's position (-1 if none), the token's position (the position register, then +1).
 *   <li>SCORES: in, the query (headDim elements); out, one score per slot in slot order
 *       ({@code sum_c q_c * k'_c}, k' the dequantized key), {@link KvCacheLayout#maskScore()} for an
 *       empty slot (the softmax unit's mask value).
 *   <li>CONTEXT: in, one probability per slot in slot order (unsigned, probabilityBits; 0 for
 *       empty slots); out, {@code sum_s p_s * v'_s} per channel (headDim words). HEAVY_HITTER adds
 *       the row to its scores. Slots with p = 0 are not read.
 *   <li>COUNTERS: no input; out {@link KvCacheModel.Counters#WORDS} words (see there).
 * </ul>
 */
public final class KvCacheOp {
  public static final int APPEND = 0;
  public static final int SCORES = 1;
  public static final int CONTEXT = 2;
  public static final int COUNTERS = 3;
  /** Width of the command port. */
  public static final int BITS = 2;

  /** APPEND outcome codes (first word of the result). */
  public static final int OUTCOME_STORED = 0;
  public static final int OUTCOME_EVICTED = 1;
  public static final int OUTCOME_REFUSED = 2;

  /** The words of an APPEND result, in order (the C header's PIMFORGE_KV_APPEND_WORD_*). */
  public static final java.util.List<String> APPEND_RESULT_FIELDS = java.util.List.of("OUTCOME", "SLOT",
      "EVICTED_POSITION", "POSITION");

  private KvCacheOp() {}
}
