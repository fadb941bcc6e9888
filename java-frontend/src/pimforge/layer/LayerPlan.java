package pimforge.layer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import pimforge.params.AttentionParams.Schedule;
import pimforge.params.Check;
import pimforge.params.HwParams;
import pimforge.params.ModelShape;
import pimforge.params.ParamError;

/**
 * How one encoder/decoder layer maps onto the layer top, derived from the parameter record only:
 * the common beat width, the scratchpad element width, which bank holds which block of which
 * matrix, and the memory sizes. The Chisel top, the golden model, the compiler and the reports
 * all take these numbers from here.
 *
 * <p>Bank roles. Static (loaded once, weights stationary): q, k, v, o, ffnUp, ffnGate, ffnDown;
 * with rotary embedding also qRot and kRot (W_Q and W_K with each head's columns permuted and
 * negated as rotate_half / rotate_every_two, so the banks give the rotation partner directly)
 * (DECOMPOSED holds kT = W_K^T instead of k: Q K^T = (Q W_K^T) X^T). Runtime, written during the
 * layer (crossbar writes): STRAIGHTFORWARD keeps per head slot (attention.headPipelineDepth slots)
 * kT (K_h^T, headDim x maxSeqLen) and vh (V_h, maxSeqLen x headDim); DECOMPOSED keeps xT (X^T,
 * hidden x maxSeqLen) and x (X, maxSeqLen x hidden), written once from the layer input.
 */
public record LayerPlan(
    int lanes, int elementBits, List<BankBlock> banks, int scratchWords, int programDepth) {

  /**
   * One bank: block (blockRow, blockCol) of matrix {@code role} (slot = head pipeline slot of
   * runtime matrices, 0 otherwise), {@code runtime} when written during the layer.
   */
  public record BankBlock(String role, int slot, int blockRow, int blockCol, boolean runtime) {}

  /**
   * Scratchpad words the ISA addresses (InstructionField.ADDRESS_BITS = 28). Each address field
   * (src, dst, src2) has a 32-bit instruction word of its own, so 28 bits keep the 8-word instruction
   * (Llama-2-7B at 4096 tokens needs 27.5 M words); the RTL is as wide as a plan needs
   * (ScratchAddr.bits(plan)).
   */
  public static final int MAX_SCRATCH_WORDS = 1 << 28;

  public LayerPlan {
    banks = Collections.unmodifiableList(new ArrayList<>(banks));
  }

  public static LayerPlan of(HwParams p) {
    ModelShape m = p.model();
    int lanes = p.crossbar().lanes();
    Check.that(p.softmax().lanes() == lanes, "softmax.lanes",
        "is " + p.softmax().lanes() + ", must equal crossbar.lanes (" + lanes + ") in the layer top");
    Check.that(p.sfu().lanes() == lanes, "sfu.lanes",
        "is " + p.sfu().lanes() + ", must equal crossbar.lanes (" + lanes + ") in the layer top");
    Check.that(m.headDim() % lanes == 0, "model.headDim",
        "is " + m.headDim() + ", must be a multiple of crossbar.lanes (" + lanes + ") in the layer top");
    Check.that(m.ffnSize() % lanes == 0, "model.ffnSize",
        "is " + m.ffnSize() + ", must be a multiple of crossbar.lanes (" + lanes + ") in the layer top");
    int bankIn = p.derived().bankInputs();
    Check.that(m.headDim() <= bankIn && bankIn % m.headDim() == 0, "model.headDim",
        "is " + m.headDim() + ": a head must fit one bank's inputs (" + bankIn
            + " = bank.tileGridRows * crossbar.rows) and divide them");
    List<BankBlock> banks = new ArrayList<>();
    int h = m.hiddenSize();
    int kv = m.kvDim();
    int seq = p.attention().maxSeqLen();
    boolean decomposed = p.attention().schedule() == Schedule.DECOMPOSED;
    boolean rotary = m.features().rope() != null;
    if (rotary && decomposed) {
      throw new ParamError("attention.schedule", "is DECOMPOSED, but " + m.name() + " rotates Q and K (RoPE): "
          + "Q K^T = (Q W_K^T) X^T holds only for unrotated keys; allowed STRAIGHTFORWARD (the default for rotary "
          + "models)");
    }
    boolean cam = p.cam().enabled();
    if (cam) {
      Check.that(!decomposed, "attention.schedule", "is DECOMPOSED, but cam.enabled needs the keys (allowed "
          + "STRAIGHTFORWARD with cam.enabled)");
      Check.that(p.cam().lanes() == lanes, "cam.lanes",
          "is " + p.cam().lanes() + ", must equal crossbar.lanes (" + lanes + ") in the layer top");
      Check.that(m.features().positions() != pimforge.params.ModelFeatures.Positions.ALIBI, "cam.enabled",
          "is true, but " + m.name() + " uses ALiBi position biases, which CAM attention does not implement");
      Check.that(p.camDerived().keys() <= (1 << InstructionField.LEN.width()) - 1, "attention.maxSeqLen",
          "is " + p.camDerived().keys() + ", allowed at most " + ((1 << InstructionField.LEN.width()) - 1)
              + " with cam.enabled (a CAM instruction's row fields)");
      if (p.kvCache().enabled()) {
        Check.that(p.kvCache().policy() != pimforge.params.KvCacheParams.Policy.HEAVY_HITTER, "kvCache.policy",
            "is HEAVY_HITTER, but with cam.enabled a decode step's probabilities stay in the CAM unit and the "
                + "heavy-hitter scores would never grow; allowed FULL, SLIDING_WINDOW, SINKS_WINDOW with cam.enabled");
        Check.that(lanes >= 2, "crossbar.lanes", "is " + lanes + ", allowed at least 2 with cam.enabled and "
            + "kvCache.enabled (the decode step's CAM write reads the slot from word element 1 of the APPEND result)");
      }
    }
    int qd = m.qDim(); // heads x headDim: hidden, unless the model has an explicit head_dim
    add(banks, p, "q", 0, h, qd, false);
    if (rotary) {
      add(banks, p, "qRot", 0, h, qd, false);
    }
    if (decomposed) {
      add(banks, p, "kT", 0, kv, h, false);
    } else {
      add(banks, p, "k", 0, h, kv, false);
      if (rotary) {
        add(banks, p, "kRot", 0, h, kv, false);
      }
    }
    add(banks, p, "v", 0, h, kv, false);
    add(banks, p, "o", 0, qd, h, false);
    add(banks, p, "ffnUp", 0, h, m.ffnSize(), false);
    if (m.gatedFfn()) {
      add(banks, p, "ffnGate", 0, h, m.ffnSize(), false);
    }
    add(banks, p, "ffnDown", 0, m.ffnSize(), h, false);
    if (decomposed) {
      add(banks, p, "xT", 0, h, seq, true);
      add(banks, p, "x", 0, seq, h, true);
    } else if (!cam) { // the CAM unit holds K and V itself: no runtime crossbars
      for (int slot = 0; slot < p.attention().headPipelineDepth(); slot++) {
        add(banks, p, "kT", slot, m.headDim(), seq, true);
        add(banks, p, "vh", slot, seq, m.headDim(), true);
      }
    }
    ScratchLayout layout = ScratchLayout.of(p, lanes);
    int scratch = layout.words();
    if (scratch > MAX_SCRATCH_WORDS) {
      throw new ParamError("attention.maxSeqLen", "is " + seq + ": the layer's scratchpad would need " + scratch
          + " words, allowed at most " + MAX_SCRATCH_WORDS + " (lower attention.maxSeqLen)");
    }
    LayerPlan sized = new LayerPlan(lanes, elementBits(p), banks, scratch, 0);
    return new LayerPlan(lanes, elementBits(p), banks, scratch, LayerCompiler.programDepth(p, sized, layout));
  }

  /** Banks of {@code role} in block order (row-major), with their index in {@link #banks()}. */
  public int firstBank(String role, int slot) {
    for (int i = 0; i < banks.size(); i++) {
      if (banks.get(i).role().equals(role) && banks.get(i).slot() == slot) {
        return i;
      }
    }
    throw new IllegalArgumentException("no bank for " + role + " slot " + slot);
  }

  /** Block rows and columns of a role: {rows, cols}. */
  public int[] blocks(String role, int slot) {
    int rows = 0;
    int cols = 0;
    for (BankBlock b : banks) {
      if (b.role().equals(role) && b.slot() == slot) {
        rows = Math.max(rows, b.blockRow() + 1);
        cols = Math.max(cols, b.blockCol() + 1);
      }
    }
    return new int[] {rows, cols};
  }

  /**
   * Signed bits of a scratchpad element (and of an AXI-Stream element): wide enough for every
   * value a unit produces or consumes, rounded up to whole bytes so TDATA is byte aligned.
   */
  static int elementBits(HwParams p) {
    int bits = Math.max(p.derived().accumulatorBits(), p.sfu().accBits());
    bits = Math.max(bits, p.softmax().inputBits());
    bits = Math.max(bits, p.softmaxDerived().outputElementBits());
    bits = Math.max(bits, p.derived().streamElementBits());
    bits = Math.max(bits, p.sfu().multiplierBits() + 1);
    bits = Math.max(bits, p.sfu().gammaBits());
    return (bits + 7) / 8 * 8;
  }

  private static void add(List<BankBlock> banks, HwParams p, String role, int slot, int in, int out, boolean runtime) {
    int rows = ceilDiv(in, p.derived().bankInputs());
    int cols = ceilDiv(out, p.derived().bankOutputs());
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        banks.add(new BankBlock(role, slot, r, c, runtime));
      }
    }
  }

  static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }
}
