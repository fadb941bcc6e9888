package pimforge.layer;

import static pimforge.layer.Instructions.cam;
import static pimforge.layer.Instructions.gather;
import static pimforge.layer.Instructions.hostIn;
import static pimforge.layer.Instructions.hostOut;
import static pimforge.layer.Instructions.kv;
import static pimforge.layer.Instructions.multiply;
import static pimforge.layer.Instructions.mvm;
import static pimforge.layer.Instructions.residual;
import static pimforge.layer.Instructions.rotate;
import static pimforge.layer.Instructions.sfu;
import static pimforge.layer.Instructions.sfuPacket;
import static pimforge.layer.Instructions.softmaxConfigure;
import static pimforge.layer.Instructions.softmaxRows;

import java.util.List;
import pimforge.golden.cam.CamOp;
import pimforge.golden.sfu.SfuOp;
import pimforge.kvcache.KvCacheLayout;
import pimforge.kvcache.KvCacheOp;
import pimforge.layer.ScratchLayout.ChannelConfig;
import pimforge.layer.ScratchLayout.SfuConfig;
import pimforge.params.AttentionParams.Schedule;
import pimforge.params.HwParams;
import pimforge.params.ModelFeatures;
import pimforge.params.ModelShape;

/**
 * Generates the layer program for one sequence length (its fields depend on the parameters, the
 * scratch layout, seqLen and the layer's MVM input shifts only; the numbers travel in the
 * scratchpad's parameter block). See {@link LayerCompiler} for the dataflow.
 *
 * <p>Head pipeline: per head, "pre" (crossbar writes and score products; DECOMPOSED: Q_h W_K,h^T
 * and its requantization, then the score products), softmax, and "back" (context products and
 * requantization, split after its first matrix products). Program order pre(h+1), backFirst(h),
 * [DECOMPOSED scores(h+1)], softmax(h+1), backRest(h) lets head h+1's scores run on the MATRIX
 * engine while the softmax unit works on head h, the softmax of head h+1 run while the MATRIX
 * engine computes head h's context, and the SFU requantize while the MATRIX engine multiplies.
 * Each head slot (h mod headPipelineDepth) has its own banks and buffers; with one slot the heads
 * run one after another (the interleaved order needs two). The wait masks are
 * per engine, so an instruction waiting for an engine also waits for everything issued to it
 * before: the order above keeps such waits from blocking independent work.
 */
final class LayerProgram {
  /**
   * The probabilities' MVM input rounding shift and the ALiBi slopes (from the quantized layer;
   * any values give the same program length).
   */
  record Shifts(int prob, long[][] alibi) {
    static final Shifts ZERO = new Shifts(0, null);
  }

  /**
   * Whether FFN-down reads its input unsigned: without a gate the activation output is
   * act(x) + sfuDerived.activationOffset >= 0 (RELU: offset 0); a gated FFN's product is signed.
   */
  static boolean ffnDownInputUnsigned(ModelShape m) {
    return !m.gatedFfn();
  }

  /** Largest bankCount field (8 bits): wider matrices take one MVM per group of column blocks. */
  static final int MAX_BANK_COUNT = 255;

  private final HwParams p;
  private final LayerPlan plan;
  private final ScratchLayout sl;
  private final int seq;
  private final Shifts sh;
  private final ProgramBuilder b;
  private final ModelShape m;
  private final int lanes;
  private final int inBeats;
  private final int outBeats;
  private final int bankOut;
  private final int bankIn;
  private final int hW;
  private final int hd;
  private final int hS;
  /** Words of a Q / context row (heads x headDim wide; = hW unless the model has an explicit head_dim). */
  private final int qW;
  private final int qS;
  private final int pBeats;
  private final boolean decomposed;
  /** kvCache.enabled: keys and values go into the KV-cache controllers; positions follow POSITION. */
  private final boolean cached;
  /** One decode step (seq = 1) over the cache instead of attention within the block. */
  private final boolean decode;
  /** cam.enabled: every head's scores, softmax and context in its KV head's CAM unit. */
  private final boolean camOn;

  private LayerProgram(HwParams p, LayerPlan plan, ScratchLayout sl, int seq, Shifts sh, ProgramBuilder b,
      boolean decode) {
    this.p = p;
    this.plan = plan;
    this.sl = sl;
    this.seq = seq;
    this.sh = sh;
    this.b = b;
    this.m = p.model();
    this.lanes = plan.lanes();
    this.bankIn = p.derived().bankInputs();
    this.bankOut = p.derived().bankOutputs();
    this.inBeats = bankIn / lanes;
    this.outBeats = bankOut / lanes;
    this.hW = m.hiddenSize() / lanes;
    this.hd = m.headDim();
    this.hS = sl.hiddenStride();
    this.qW = m.qDim() / lanes;
    this.qS = sl.qStride();
    this.pBeats = LayerPlan.ceilDiv(seq, lanes);
    this.decomposed = p.attention().schedule() == Schedule.DECOMPOSED;
    this.cached = p.kvCache().enabled();
    this.decode = decode;
    this.camOn = p.cam().enabled();
  }

  /** The layer program for {@code seq} tokens, END included. */
  static List<Instruction> layer(HwParams p, LayerPlan plan, ScratchLayout sl, int seq, Shifts sh, ProgramBuilder b) {
    new LayerProgram(p, plan, sl, seq, sh, b, false).emitLayer();
    return p.kvCache().enabled() ? b.add(Instruction.end(seq)).build() : b.end();
  }

  /**
   * One decode step (kvCache.enabled): the layer for the one token at the POSITION register, its
   * key and value appended to each KV head's cache, attention over the cache (KV SCORES, a SOFTMAX
   * row over the slots, KV CONTEXT); END advances POSITION by 1, so the same program serves every
   * step.
   */
  static List<Instruction> decode(HwParams p, LayerPlan plan, ScratchLayout sl, Shifts sh, ProgramBuilder b) {
    new LayerProgram(p, plan, sl, 1, sh, b, true).emitLayer();
    return b.add(Instruction.end(1)).build();
  }

  /** The setup program: every static bank's weights from s_axis, then the parameter block. */
  static List<Instruction> setup(LayerPlan plan, ScratchLayout sl, ProgramBuilder b) {
    List<LayerPlan.BankBlock> banks = plan.banks();
    int i = 0;
    while (i < banks.size()) {
      if (banks.get(i).runtime()) {
        i++;
        continue;
      }
      int j = i;
      while (j < banks.size() && !banks.get(j).runtime() && j - i < MAX_BANK_COUNT) {
        j++;
      }
      b.add(Instructions.hostWeights(LayerStage.WEIGHTS, i, j - i));
      i = j;
    }
    b.add(hostIn(LayerStage.WEIGHTS, 0, sl.paramWords(), 1, 0));
    return b.end();
  }

  private void emitLayer() {
    int x = sl.at("x");
    b.add(hostIn(LayerStage.INPUT, x, hW, seq, hS));
    b.add(softmaxConfigure(LayerStage.SOFTMAX, sl.at("softmaxConfig"), p.softmaxDerived().configBeats()));
    int t = x;
    if (m.preNorm()) {
      t = sl.at("n1");
      loadNorm(LayerStage.NORM1, "norm1");
      b.add(sfu(LayerStage.NORM1, SfuOp.NORM, x, hW, t, seq, hS, hS));
    }
    if (decomposed) {
      projectionsDecomposed(t);
    } else {
      int tw = sl.at("tw");
      requantChannels(LayerStage.QKV, ChannelConfig.TW, t, hW, tw, hS, hS);
      projectionsStraightforward(tw);
    }
    int heads = m.numHeads();
    if (cached) {
      appendToCache();
    }
    if (camOn) {
      camAttention();
    } else if (decode) {
      for (int h = 0; h < heads; h++) {
        decodeHead(h);
      }
    } else if (p.attention().headPipelineDepth() == 1) {
      // One head slot: head h+1's crossbar writes and scores would overwrite the slot head h still
      // reads, so the heads run one after another.
      for (int h = 0; h < heads; h++) {
        pre(h);
        scoresDecomposed(h);
        softmax(h);
        backFirst(h);
        backRest(h);
      }
    } else {
      pre(0);
      scoresDecomposed(0);
      softmax(0);
      for (int h = 1; h < heads; h++) {
        pre(h);
        backFirst(h - 1);
        scoresDecomposed(h);
        softmax(h);
        backRest(h - 1);
      }
      backFirst(heads - 1);
      backRest(heads - 1);
    }

    int attnOut = sl.at("attnOut");
    matmul(LayerStage.OUT_PROJ, "o", 0, sl.at("ctx"), qS, qW, 0, attnOut, hS, sl.at("bias.o"), 0, cols("o"));
    requantChannels(LayerStage.OUT_PROJ, ChannelConfig.ATTN_OUT, attnOut, hW, attnOut, hS, hS);
    int h1 = sl.at("h1");
    LayerStage res1Stage = m.preNorm() ? LayerStage.NORM2 : LayerStage.NORM1;
    b.add(sfuPacket(res1Stage, SfuOp.CONFIGURE, sl.config(SfuConfig.RES1), sl.configWords()));
    b.add(residual(res1Stage, attnOut, x, hW, h1, seq, hS, hS));
    int ffnIn = h1;
    ModelFeatures.Block block = m.features().block();
    if (block == ModelFeatures.Block.PARALLEL_SHARED_NORM) {
      ffnIn = sl.at("n1"); // the FFN reads the attention's input norm1(x), kept alive for it
    } else if (block == ModelFeatures.Block.PARALLEL_TWO_NORMS) {
      ffnIn = sl.at("n2");
      loadNorm(LayerStage.NORM2, "norm2");
      b.add(sfu(LayerStage.NORM2, SfuOp.NORM, x, hW, ffnIn, seq, hS, hS));
    } else if (m.preNorm()) {
      ffnIn = sl.at("n2");
      loadNorm(LayerStage.NORM2, "norm2");
      b.add(sfu(LayerStage.NORM2, SfuOp.NORM, h1, hW, ffnIn, seq, hS, hS));
    } else {
      loadNorm(LayerStage.NORM1, "norm1");
      b.add(sfu(LayerStage.NORM1, SfuOp.NORM, h1, hW, h1, seq, hS, hS));
    }
    // The norm output in the activation format -> per-channel bank-input scales.
    int fq = sl.at("fq");
    requantChannels(LayerStage.FFN_UP, ChannelConfig.FFN_IN, ffnIn, hW, fq, hS, hS);
    int up = sl.at("ffnUp");
    int fS = sl.ffnStride();
    int fW = m.ffnSize() / lanes;
    if (m.gatedFfn()) {
      // act(x W_gate) * (x W_up): the gate's activation runs on the SFU while the up products run
      // on the banks; the product overwrites up in place.
      int gate = sl.at("ffnGate");
      matmul(LayerStage.FFN_UP, "ffnGate", 0, fq, hS, hW, 0, gate, fS, sl.at("bias.ffnGate"), 0,
          cols("ffnGate"));
      requantChannels(LayerStage.FFN_UP, ChannelConfig.FFN_GATE, gate, fW, gate, fS, fS);
      b.add(sfu(LayerStage.ACTIVATION, SfuOp.ACTIVATE, gate, fW, gate, seq, fS, fS));
      matmul(LayerStage.FFN_UP, "ffnUp", 0, fq, hS, hW, 0, up, fS, sl.at("bias.ffnUp"), 0,
          cols("ffnUp"));
      requantChannels(LayerStage.FFN_UP, ChannelConfig.FFN_UP, up, fW, up, fS, fS);
      b.add(sfuPacket(LayerStage.ACTIVATION, SfuOp.CONFIGURE, sl.config(SfuConfig.GATE_MUL), sl.configWords()));
      b.add(multiply(LayerStage.ACTIVATION, gate, up, fW, up, seq, fS, fS));
    } else {
      matmul(LayerStage.FFN_UP, "ffnUp", 0, fq, hS, hW, 0, up, fS, sl.at("bias.ffnUp"), 0,
          cols("ffnUp"));
      requantChannels(LayerStage.FFN_UP, ChannelConfig.FFN_UP, up, fW, up, fS, fS);
      b.add(sfu(LayerStage.ACTIVATION, SfuOp.ACTIVATE, up, fW, up, seq, fS, fS));
    }
    // The activation output -> FFN-down's per-channel input scales, in place.
    requantChannels(LayerStage.ACTIVATION, ChannelConfig.ACT, up, fW, up, fS, fS);
    int down = sl.at("ffnDown");
    matmul(LayerStage.FFN_DOWN, "ffnDown", 0, up, fS, fW, 0, down, hS, sl.at("bias.ffnDown"), 0,
        cols("ffnDown"), ffnDownInputUnsigned(m) ? Instruction.UNSIGNED_INPUT : 0);
    requantChannels(LayerStage.FFN_DOWN, ChannelConfig.FFN_DOWN, down, hW, down, hS, hS);
    int y = sl.at("y");
    LayerStage res2Stage = m.preNorm() ? LayerStage.OUTPUT : LayerStage.NORM2;
    b.add(sfuPacket(res2Stage, SfuOp.CONFIGURE, sl.config(SfuConfig.RES2), sl.configWords()));
    b.add(residual(res2Stage, down, h1, hW, y, seq, hS, hS));
    if (!m.preNorm()) {
      loadNorm(LayerStage.NORM2, "norm2");
      b.add(sfu(LayerStage.NORM2, SfuOp.NORM, y, hW, y, seq, hS, hS));
    }
    b.add(hostOut(LayerStage.OUTPUT, y, hW, seq, hS));
  }

  private void projectionsStraightforward(int t) {
    int q = sl.at("q");
    int k = sl.at("k");
    int v = sl.at("v");
    int kS = sl.kvStride();
    int kW = m.kvDim() / lanes;
    matmul(LayerStage.QKV, "q", 0, t, hS, hW, 0, q, qS, sl.at("bias.q"), 0, cols("q"));
    requantChannels(LayerStage.QKV, ChannelConfig.Q, q, qW, q, qS, qS);
    if (m.features().rope() != null) {
      // RoPE: the rotation partners come from the qRot/kRot banks in the same format as Q/K, then
      // the SFU rotates each token at its position (token t at position t in a prefill).
      int qRot = sl.at("qRot");
      matmul(LayerStage.QKV, "qRot", 0, t, hS, hW, 0, qRot, qS, sl.at("bias.qRot"), 0, cols("qRot"));
      requantChannels(LayerStage.QKV, ChannelConfig.Q, qRot, qW, qRot, qS, qS);
      b.add(rotate(LayerStage.QKV, q, qRot, qW, q, seq, qS, qS, 0, cached));
      int kRot = sl.at("kRot");
      matmul(LayerStage.QKV, "k", 0, t, hS, hW, 0, k, kS, sl.at("bias.k"), 0, cols("k"));
      requantChannels(LayerStage.QKV, ChannelConfig.K, k, kW, k, kS, kS);
      matmul(LayerStage.QKV, "kRot", 0, t, hS, hW, 0, kRot, kS, sl.at("bias.kRot"), 0, cols("kRot"));
      requantChannels(LayerStage.QKV, ChannelConfig.K, kRot, kW, kRot, kS, kS);
      b.add(rotate(LayerStage.QKV, k, kRot, kW, k, seq, kS, kS, 0, cached));
    } else {
      matmul(LayerStage.QKV, "k", 0, t, hS, hW, 0, k, kS, sl.at("bias.k"), 0, cols("k"));
      requantChannels(LayerStage.QKV, ChannelConfig.K, k, kW, k, kS, kS);
    }
    matmul(LayerStage.QKV, "v", 0, t, hS, hW, 0, v, kS, sl.at("bias.v"), 0, cols("v"));
    requantChannels(LayerStage.QKV, ChannelConfig.V, v, kW, v, kS, kS);
  }

  /**
   * T (the attention input) is copied to its per-channel bank-input scales (within the weight
   * range too), read by the Q banks and written into the xT and x banks.
   */
  private void projectionsDecomposed(int t) {
    int tw = sl.at("tw");
    int q = sl.at("q");
    requantChannels(LayerStage.XBAR_WRITE, ChannelConfig.TW, t, hW, tw, hS, hS);
    matmul(LayerStage.QKV, "q", 0, tw, hS, hW, 0, q, qS, sl.at("bias.q"), 0, cols("q"));
    int[] xt = plan.blocks("xT", 0);
    int xtFirst = plan.firstBank("xT", 0);
    for (int r = 0; r < xt[0]; r++) {
      for (int c = 0; c < xt[1] && c * bankOut < seq; c++) {
        b.add(gather(LayerStage.XBAR_WRITE, xtFirst + r * xt[1] + c, tw + c * bankOut * hS + r * inBeats,
            Math.min(bankIn, m.hiddenSize() - r * bankIn), Math.min(bankOut, seq - c * bankOut), 1, hS * lanes));
      }
    }
    int[] xb = plan.blocks("x", 0);
    int xFirst = plan.firstBank("x", 0);
    for (int r = 0; r < xb[0] && r * bankIn < seq; r++) {
      for (int c = 0; c < xb[1]; c++) {
        b.add(gather(LayerStage.XBAR_WRITE, xFirst + r * xb[1] + c, tw + r * bankIn * hS + c * outBeats,
            Math.min(bankIn, seq - r * bankIn), Math.min(bankOut, m.hiddenSize() - c * bankOut), hS * lanes, 1));
      }
    }
    requantChannels(LayerStage.QKV, ChannelConfig.Q, q, qW, q, qS, qS);
  }

  /**
   * Every token's key (rotated) and value into its KV head's cache: K and V enter the controller
   * as they enter the crossbars in a prefill (satSym to inputBits, shift 0). The results go to one
   * scratch region (overwritten; the host may read the last).
   */
  private void appendToCache() {
    int kS = sl.kvStride();
    for (int g = 0; g < m.numKvHeads(); g++) {
      b.add(kv(LayerStage.XBAR_WRITE, KvCacheOp.APPEND, g, sl.at("k") + g * hd / lanes, sl.at("v") + g * hd / lanes,
          sl.at("kvResult"), seq, kS, 0, 0, 0));
      if (camOn && decode) {
        // The cache chose the slot (the victim's, when it evicted): the CAM row of that slot takes
        // the new key, so an evicted token leaves the CAM as it leaves the cache.
        CamShifts cs = CamShifts.of(p);
        b.add(cam(LayerStage.XBAR_WRITE, CamOp.WRITE, g, sl.at("k") + g * hd / lanes, sl.at("v") + g * hd / lanes,
            sl.at("kvResult"), 1, 0, 0, 0, cs.key(), cs.value(), CamSpec.ROW_FROM_APPEND));
      }
    }
  }

  /**
   * CAM attention (cam.enabled). Prefill: each KV head's unit is cleared and takes token t's key
   * and value into row t; query t of a decoder sees rows 0..t (row limit t + 1), of an encoder all
   * seq rows. Decode: the rows are the cache's slots (written after each APPEND) and the query sees
   * them all. Per query head: CONFIGURE (its softmax scale), QUERY, and the context requantized
   * into the head's columns of ctx as in the dense path.
   */
  private void camAttention() {
    CamShifts cs = CamShifts.of(p);
    int kS = sl.kvStride();
    if (!decode) {
      for (int g = 0; g < m.numKvHeads(); g++) {
        b.add(cam(LayerStage.XBAR_WRITE, CamOp.CLEAR, g, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0));
        b.add(cam(LayerStage.XBAR_WRITE, CamOp.WRITE, g, sl.at("k") + g * hd / lanes, sl.at("v") + g * hd / lanes,
            0, seq, kS, 0, 0, cs.key(), cs.value(), 0));
      }
    }
    boolean causal = m.family() == ModelShape.Family.DECODER && !decode;
    int limit = causal ? 1 : decode ? p.camDerived().keys() : seq;
    int cfgBeats = p.camDerived().configBeats();
    for (int h = 0; h < m.numHeads(); h++) {
      int g = h / (m.numHeads() / m.numKvHeads());
      int ctxAcc = sl.at("ctxAcc", h % p.attention().headPipelineDepth());
      b.add(cam(LayerStage.SOFTMAX, CamOp.CONFIGURE, g, sl.at("camConfig") + h * cfgBeats, 0, 0, 1, 0, 0, 0, 0, 0, 0));
      b.add(cam(LayerStage.SCORES, CamOp.QUERY, g, sl.at("q") + h * hd / lanes, 0, ctxAcc, seq, qS, sl.ctxStride(),
          limit, cs.query(), cs.context(p, sh.prob()), causal ? 1 : 0));
      requant(LayerStage.CONTEXT, SfuConfig.CTX, ctxAcc, hd / lanes, sl.at("ctx") + h * hd / lanes, sl.ctxStride(),
          qS);
    }
  }

  /**
   * Decode attention of query head h over its KV head's cache: scores q_h k'_s per slot (an empty
   * slot carries the softmax mask value), a SOFTMAX row over all slots, context sum_s p_s v'_s
   * brought to the prefill's scale (>> the probabilities' MVM shift), requantized into ctx.
   */
  private void decodeHead(int h) {
    int slot = h % p.attention().headPipelineDepth();
    int g = h / (m.numHeads() / m.numKvHeads());
    int slots = KvCacheLayout.of(p).vectorBeats(KvCacheLayout.of(p).capacity());
    int scores = sl.at("scores", slot);
    int probs = sl.at("probs", slot);
    int ctxAcc = sl.at("ctxAcc", slot);
    b.add(kv(LayerStage.SCORES, KvCacheOp.SCORES, g, sl.at("q") + h * hd / lanes, 0, scores, 1, 0, 0, 0, 0));
    b.add(softmaxRows(LayerStage.SOFTMAX, scores, slots, KvCacheLayout.of(p).capacity(), 0, probs, 1, 0, 0, 0, 0));
    b.add(kv(LayerStage.CONTEXT, KvCacheOp.CONTEXT, g, probs, 0, ctxAcc, 1, 0, 0, 0, sh.prob()));
    requant(LayerStage.CONTEXT, SfuConfig.CTX, ctxAcc, hd / lanes, sl.at("ctx") + h * hd / lanes, sl.ctxStride(), qS);
  }

  /** STRAIGHTFORWARD: crossbar writes and score products of head h; DECOMPOSED: Q_h W_K,h^T, requantized. */
  private void pre(int h) {
    int slot = h % p.attention().headPipelineDepth();
    int g = h / (m.numHeads() / m.numKvHeads());
    int scores = sl.at("scores", slot);
    int sS = sl.scoreStride();
    int seqCols = LayerPlan.ceilDiv(seq, bankOut);
    if (decomposed) {
      int qk = sl.at("qk", slot);
      int[] kt = plan.blocks("kT", 0);
      int rb = g * hd / bankIn;
      int offset = (g * hd % bankIn) / lanes;
      for (int c = 0; c < kt[1]; c += MAX_BANK_COUNT) {
        b.add(mvm(LayerStage.SCORES, plan.firstBank("kT", 0) + rb * kt[1] + c, Math.min(MAX_BANK_COUNT, kt[1] - c),
            sl.at("q") + h * hd / lanes, hd / lanes, offset, 0, qk + c * outBeats, seq, qS, hS, 0, 0));
      }
      requantChannels(LayerStage.SCORES, ChannelConfig.QK, qk, hW, qk, hS, hS);
      return;
    }
    int k = sl.at("k");
    int v = sl.at("v");
    int kS = sl.kvStride();
    int[] kt = plan.blocks("kT", slot);
    int ktFirst = plan.firstBank("kT", slot);
    for (int c = 0; c < kt[1] && c * bankOut < seq; c++) {
      b.add(gather(LayerStage.XBAR_WRITE, ktFirst + c, k + c * bankOut * kS + g * hd / lanes, hd,
          Math.min(bankOut, seq - c * bankOut), 1, kS * lanes));
    }
    int[] vb = plan.blocks("vh", slot);
    int vFirst = plan.firstBank("vh", slot);
    for (int r = 0; r < vb[0] && r * bankIn < seq; r++) {
      for (int c = 0; c < vb[1]; c++) {
        b.add(gather(LayerStage.XBAR_WRITE, vFirst + r * vb[1] + c, v + r * bankIn * kS + (g * hd + c * bankOut) / lanes,
            Math.min(bankIn, seq - r * bankIn), Math.min(bankOut, hd - c * bankOut), kS * lanes, 1));
      }
    }
    matmul(LayerStage.SCORES, "kT", slot, sl.at("q") + h * hd / lanes, qS, hd / lanes, 0, scores, sS, -1, 0, seqCols);
  }

  /**
   * DECOMPOSED: scores = (Q_h W_K,h^T) X^T. Emitted after the previous head's first context
   * product, so that product runs on the MATRIX engine while the SFU requantizes Q_h W_K,h^T.
   */
  private void scoresDecomposed(int h) {
    if (decomposed) {
      int slot = h % p.attention().headPipelineDepth();
      matmul(LayerStage.SCORES, "xT", 0, sl.at("qk", slot), hS, hW, 0, sl.at("scores", slot), sl.scoreStride(), -1,
          0, LayerPlan.ceilDiv(seq, bankOut));
    }
  }

  private void softmax(int h) {
    int slot = h % p.attention().headPipelineDepth();
    // Decoders attend causally: row i (token i) sees keys 0..i, so row 0 has 1 valid key and each
    // row one more. Encoders see all seq keys in every row.
    boolean causal = m.family() == ModelShape.Family.DECODER;
    long[] alibi = sh.alibi() == null ? new long[] {0, 0} : sh.alibi()[h];
    b.add(softmaxRows(LayerStage.SOFTMAX, sl.at("scores", slot), pBeats, causal ? 1 : seq, causal ? 1 : 0,
        sl.at("probs", slot), seq, sl.scoreStride(), sl.probStride(), (int) alibi[0], (int) alibi[1]));
  }

  /** The products that read head h's probabilities. */
  private void backFirst(int h) {
    int slot = h % p.attention().headPipelineDepth();
    int probs = sl.at("probs", slot);
    if (decomposed) {
      // Probabilities are unsigned: the banks take them with all inputBits (UNSIGNED_INPUT).
      matmul(LayerStage.CONTEXT, "x", 0, probs, sl.probStride(), pBeats, sh.prob(), sl.at("px", slot), hS, -1, 0,
          cols("x"), Instruction.UNSIGNED_INPUT);
    } else {
      matmul(LayerStage.CONTEXT, "vh", slot, probs, sl.probStride(), pBeats, sh.prob(), sl.at("ctxAcc", slot),
          sl.ctxStride(), -1, 0, plan.blocks("vh", slot)[1], Instruction.UNSIGNED_INPUT);
    }
  }

  /** The rest of head h's context, ending in its columns of ctx. */
  private void backRest(int h) {
    int slot = h % p.attention().headPipelineDepth();
    int g = h / (m.numHeads() / m.numKvHeads());
    int ctxAcc = sl.at("ctxAcc", slot);
    int ctx = sl.at("ctx") + h * hd / lanes;
    if (decomposed) {
      int px = sl.at("px", slot);
      requant(LayerStage.CONTEXT, SfuConfig.PX, px, hW, px, hS, hS);
      int cb0 = g * hd / bankOut;
      int cb1 = (g * hd + hd - 1) / bankOut;
      matmul(LayerStage.CONTEXT, "v", 0, px, hS, hW, 0, ctxAcc, sl.ctxStride(), sl.at("bias.v"), cb0, cb1 - cb0 + 1);
      // The head's columns of the v bank: its slice of the CTX table (entries g*hd ..).
      b.add(sfuPacket(LayerStage.CONTEXT, SfuOp.LOAD_CHANNELS, sl.channels(ChannelConfig.CTX) + 2 * g * hd / lanes,
          2 * hd / lanes));
      b.add(sfu(LayerStage.CONTEXT, SfuOp.REQUANT_CHANNELS, ctxAcc + (g * hd - cb0 * bankOut) / lanes, hd / lanes,
          ctx, seq, sl.ctxStride(), qS));
    } else {
      requant(LayerStage.CONTEXT, SfuConfig.CTX, ctxAcc, hd / lanes, ctx, sl.ctxStride(), qS);
    }
  }

  /**
   * y = x W for every token, W = matrix {@code role}, column blocks cb0..cb0+cbCount-1: one MVM per
   * bank row block that has inputs (the first adds the bias if bias >= 0, the others accumulate).
   */
  private void matmul(LayerStage s, String role, int slot, int src, int srcStride, int inWords, int shift, int dst,
      int dstStride, int bias, int cb0, int cbCount) {
    matmul(s, role, slot, src, srcStride, inWords, shift, dst, dstStride, bias, cb0, cbCount, 0);
  }

  /** As above with extra MVM flags ({@link Instruction#UNSIGNED_INPUT}) on every MVM. */
  private void matmul(LayerStage s, String role, int slot, int src, int srcStride, int inWords, int shift, int dst,
      int dstStride, int bias, int cb0, int cbCount, int inputFlags) {
    int[] blocks = plan.blocks(role, slot);
    int first = plan.firstBank(role, slot);
    for (int c = cb0; c < cb0 + cbCount; c += MAX_BANK_COUNT) {
      int count = Math.min(MAX_BANK_COUNT, cb0 + cbCount - c);
      int out = (c - cb0) * outBeats;
      for (int r = 0; r < blocks[0] && r * inBeats < inWords; r++) {
        int len = Math.min(inBeats, inWords - r * inBeats);
        int flags = (r == 0 ? (bias >= 0 ? Instruction.BIAS : 0) : Instruction.ACCUMULATE) | inputFlags;
        b.add(mvm(s, first + r * blocks[1] + c, count, src + r * inBeats, len, 0, shift, dst + out, seq, srcStride,
            dstStride, flags, bias >= 0 ? bias + c * outBeats : 0));
      }
    }
  }

  private int cols(String role) {
    return plan.blocks(role, 0)[1];
  }

  private void requant(LayerStage s, SfuConfig c, int src, int len, int dst, int srcStride, int dstStride) {
    b.add(sfuPacket(s, SfuOp.CONFIGURE, sl.config(c), sl.configWords()));
    b.add(sfu(s, SfuOp.REQUANT, src, len, dst, seq, srcStride, dstStride));
  }

  /** Per-channel requantization: the table's LOAD_CHANNELS packet, then REQUANT_CHANNELS of every row. */
  private void requantChannels(LayerStage s, ChannelConfig c, int src, int len, int dst, int srcStride,
      int dstStride) {
    b.add(sfuPacket(s, SfuOp.LOAD_CHANNELS, sl.channels(c), c.words(m, lanes)));
    b.add(sfu(s, SfuOp.REQUANT_CHANNELS, src, len, dst, seq, srcStride, dstStride));
  }

  private void loadNorm(LayerStage s, String region) {
    b.add(sfuPacket(s, SfuOp.LOAD_NORM, sl.at(region), 2 * hW));
  }
}
