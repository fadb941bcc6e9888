package pimforge.layer;

import java.util.LinkedHashMap;
import java.util.Map;
import pimforge.params.AttentionParams.Schedule;
import pimforge.params.HwParams;
import pimforge.params.ModelFeatures;
import pimforge.params.ModelShape;

/**
 * The compiler's exact scratchpad allocation for one layer at attention.maxSeqLen (addresses do not
 * depend on the run's seqLen), in words of lanes elements. First the parameter block the setup
 * program loads (biases, unit configurations, gamma/beta), then the activations, one row of
 * {@code stride} words per token. A bank writes whole bank outputs (bankOutputs / lanes words per
 * bank), so a tensor produced by an MVM has a row stride of its matrix's column blocks times that.
 * SFU element-wise operations run in place (dst = src). Regions whose tensors are never live at
 * the same time share words (the attention buffers and the post-attention tensors; y = attnOut;
 * pre-LN ffnDown = n2); the wait masks order the reuse.
 *
 * @param words total words (the scratchpad size)
 * @param paramWords words of the parameter block at address 0
 * @param regions start word of every named region
 */
public record ScratchLayout(int words, int paramWords, Map<String, Integer> regions,
    int hiddenStride, int kvStride, int ffnStride, int scoreStride, int probStride, int ctxStride, int configWords,
    int qStride) {

  /** SFU configure packets stored in the parameter block: per-tensor requantizations and residual points. */
  public enum SfuConfig {
    /** DECOMPOSED: P X into the v bank's input range. */
    PX,
    /** STRAIGHTFORWARD: the context P V into Q's format for the output projection. */
    CTX,
    RES1, RES2,
    /** Gated FFN only: the gate * up product's shift. */
    GATE_MUL;

    /** Whether a layer of this model uses the configuration. */
    public boolean usedBy(ModelShape m) {
      return m.gatedFfn() || this != GATE_MUL;
    }
  }

  /**
   * Per-channel requantization tables (SFU LOAD_CHANNELS packets) stored in the parameter block:
   * every product with per-output-channel weight scales, and the per-channel bank-input copies of
   * the attention input (TW), the FFN input (FFN_IN) and the activation output (ACT).
   */
  public enum ChannelConfig {
    TW, Q, K, V, QK, CTX, ATTN_OUT, FFN_IN, FFN_UP, FFN_GATE, ACT, FFN_DOWN;

    /** Whether a layer of this design uses the table (K, V: STRAIGHTFORWARD; QK, CTX: DECOMPOSED). */
    public boolean usedBy(HwParams p) {
      boolean decomposed = p.attention().schedule() == Schedule.DECOMPOSED;
      return switch (this) {
        case K, V -> !decomposed;
        case QK, CTX -> decomposed;
        case FFN_GATE -> p.model().gatedFfn();
        default -> true;
      };
    }

    /** Table entries: the width of the requantized rows (CTX: the v bank's kvDim columns, sliced per head). */
    public int entries(ModelShape m) {
      return switch (this) {
        case Q -> m.qDim();
        case K, V, CTX -> m.kvDim();
        case FFN_UP, FFN_GATE, ACT -> m.ffnSize();
        default -> m.hiddenSize();
      };
    }

    /** Words of the LOAD_CHANNELS packet: an M-beat and an S-beat per lanes entries. */
    public int words(ModelShape m, int lanes) {
      return 2 * LayerPlan.ceilDiv(entries(m), lanes);
    }
  }

  public int at(String region) {
    Integer a = regions.get(region);
    if (a == null) {
      throw new IllegalArgumentException("no scratch region " + region);
    }
    return a;
  }

  public int config(SfuConfig c) {
    return at("cfg." + c);
  }

  public int channels(ChannelConfig c) {
    return at("chan." + c);
  }

  /** Slot-indexed region (head pipeline slot). */
  public int at(String region, int slot) {
    return at(region + slot);
  }

  public boolean has(String region) {
    return regions.containsKey(region);
  }

  /** The compiler's layout for {@code plan} (the one LayerPlan.of sized the scratchpad with). */
  public static ScratchLayout of(HwParams p, LayerPlan plan) {
    return of(p, plan.lanes());
  }

  /**
   * Words of the score and probability rows of the heads in flight (attention.headPipelineDepth
   * slots of maxSeqLen rows of scoreStride + probStride words each): the part of the scratchpad that
   * grows with the square of the tokens; the rest holds per-token activations (linear in the tokens)
   * and the parameter block.
   */
  public long scoreBufferWords(HwParams p) {
    return (long) p.attention().headPipelineDepth() * p.attention().maxSeqLen() * (scoreStride + probStride);
  }

  static ScratchLayout of(HwParams p, int lanes) {
    ModelShape m = p.model();
    int seq = p.attention().maxSeqLen();
    int bankIn = p.derived().bankInputs();
    int bankOut = p.derived().bankOutputs();
    int outBeats = bankOut / lanes;
    boolean decomposed = p.attention().schedule() == Schedule.DECOMPOSED;
    int depth = p.attention().headPipelineDepth();
    int hS = LayerPlan.ceilDiv(m.hiddenSize(), bankOut) * outBeats;
    int kS = LayerPlan.ceilDiv(m.kvDim(), bankOut) * outBeats;
    int qS = LayerPlan.ceilDiv(m.qDim(), bankOut) * outBeats; // Q and context rows: heads x headDim
    int fS = LayerPlan.ceilDiv(m.ffnSize(), bankOut) * outBeats;
    int sS = LayerPlan.ceilDiv(seq, bankOut) * outBeats;
    int pS = LayerPlan.ceilDiv(seq, lanes);
    int cS = (decomposed ? maxHeadColumnBlocks(m, bankOut) : LayerPlan.ceilDiv(m.headDim(), bankOut)) * outBeats;
    int cfgW = LayerPlan.ceilDiv(p.sfuDerived().configWords(), lanes);
    int hW = m.hiddenSize() / lanes;
    Map<String, Integer> r = new LinkedHashMap<>();
    int[] next = {0};
    java.util.function.BiConsumer<String, Integer> put = (name, size) -> {
      r.put(name, next[0]);
      next[0] += size;
    };
    // Parameter block.
    boolean rotary = m.features().rope() != null;
    put.accept("bias.q", qS);
    if (!decomposed) {
      put.accept("bias.k", kS);
    }
    if (rotary) {
      put.accept("bias.qRot", qS);
      put.accept("bias.kRot", kS);
    }
    put.accept("bias.v", kS);
    put.accept("bias.o", hS);
    put.accept("bias.ffnUp", fS);
    if (m.gatedFfn()) {
      put.accept("bias.ffnGate", fS);
    }
    put.accept("bias.ffnDown", hS);
    put.accept("softmaxConfig", p.softmaxDerived().configBeats());
    if (p.cam().enabled()) {
      put.accept("camConfig", m.numHeads() * p.camDerived().configBeats()); // one CONFIGURE packet per head
    }
    for (SfuConfig c : SfuConfig.values()) {
      if (c.usedBy(m)) {
        put.accept("cfg." + c, cfgW);
      }
    }
    for (ChannelConfig c : ChannelConfig.values()) {
      if (c.usedBy(p)) {
        put.accept("chan." + c, c.words(m, lanes));
      }
    }
    put.accept("norm1", 2 * hW);
    put.accept("norm2", 2 * hW);
    int params = next[0];
    // Activations. x and ctx live across the whole layer; the attention tensors (phase A) and the
    // tensors after the output projection (phase B) share the space after them.
    put.accept("x", seq * hS);
    put.accept("ctx", seq * qS);
    boolean sharedNorm = m.features().block() == ModelFeatures.Block.PARALLEL_SHARED_NORM;
    if (sharedNorm) {
      put.accept("n1", seq * hS); // read again by the FFN of a parallel block: lives across the layer
    }
    int shared = next[0];
    if (m.preNorm() && !sharedNorm) {
      put.accept("n1", seq * hS);
    }
    put.accept("q", seq * qS);
    put.accept("tw", seq * hS); // the attention input at its per-channel bank-input scales
    if (!decomposed) {
      put.accept("k", seq * kS);
      put.accept("v", seq * kS);
      if (rotary) {
        put.accept("qRot", seq * qS);
        put.accept("kRot", seq * kS);
      }
    }
    boolean cam = p.cam().enabled(); // scores and probabilities stay inside the CAM units
    for (int s = 0; s < depth; s++) {
      if (!cam) {
        put.accept("scores" + s, seq * sS);
        put.accept("probs" + s, seq * pS);
      }
      put.accept("ctxAcc" + s, seq * cS);
      if (decomposed) {
        put.accept("qk" + s, seq * hS);
        put.accept("px" + s, seq * hS);
      }
    }
    if (p.kvCache().enabled()) {
      put.accept("kvResult", LayerPlan.ceilDiv(pimforge.kvcache.KvCacheLayout.APPEND_RESULT_WORDS, lanes));
    }
    int endA = next[0];
    next[0] = shared;
    put.accept("attnOut", seq * hS);
    r.put("y", r.get("attnOut")); // attnOut is dead after the first residual add
    put.accept("h1", seq * hS);
    put.accept("fq", seq * hS); // the FFN input at its per-channel bank-input scales
    if (m.preNorm()) {
      put.accept("n2", seq * hS);
      r.put("ffnDown", r.get("n2")); // n2 is dead once copied into fq
    }
    put.accept("ffnUp", seq * fS);
    if (m.gatedFfn()) {
      put.accept("ffnGate", seq * fS);
    }
    if (!m.preNorm()) {
      put.accept("ffnDown", seq * hS);
    }
    next[0] = Math.max(next[0], endA);
    return new ScratchLayout(next[0], params, r, hS, kS, fS, sS, pS, cS, cfgW, qS);
  }

  /** Most bank column blocks one head's value columns span in the v bank (DECOMPOSED). */
  static int maxHeadColumnBlocks(ModelShape m, int bankOut) {
    int most = 1;
    for (int h = 0; h < m.numKvHeads(); h++) {
      int first = h * m.headDim() / bankOut;
      int last = ((h + 1) * m.headDim() - 1) / bankOut;
      most = Math.max(most, last - first + 1);
    }
    return most;
  }
}
