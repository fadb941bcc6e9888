package pimforge.layer;

/**
 * One instruction of the layer top (semantics per {@link Opcode}). Encoded as
 * {@link #WORDS} 32-bit words, the way the host writes it into the instruction window of the
 * register map; the layout is {@link InstructionField}'s table (words past
 * {@link InstructionField#USED_WORDS} are reserved and read as zero).
 *
 * @param opcode what to do
 * @param stage performance-counter tag
 * @param waitMask engines (bit = {@link Engine#bit()}) that must be idle before this issues
 * @param cmd unit command (SoftmaxOp / SfuOp) for SOFTMAX and SFU
 * @param repeat iterations, 1..65535
 * @param src first source word
 * @param dst first destination word
 * @param src2 second source word (residual b operand, MVM bias) or GATHER_WEIGHTS valid columns
 * @param len beats per iteration (GATHER_WEIGHTS: valid rows)
 * @param srcStep words added to src and src2 per iteration
 * @param dstStep words added to dst per iteration
 * @param bank first bank
 * @param bankCount banks (MVM, HOST_WEIGHTS)
 * @param shift MVM input rounding shift
 * @param a MVM input offset in beats; SOFTMAX valid keys of iteration 0; GATHER_WEIGHTS row stride (elements)
 * @param b MVM flags ({@link #BIAS}, {@link #ACCUMULATE}, {@link #UNSIGNED_INPUT}); SOFTMAX valid keys added per iteration
 *     (0: every row the same, 1: causal rows); GATHER_WEIGHTS column stride (elements)
 */
public record Instruction(
    Opcode opcode, LayerStage stage, int waitMask, int cmd, int repeat, int src, int dst, int src2,
    int len, int srcStep, int dstStep, int bank, int bankCount, int shift, int a, int b) {

  /** 32-bit words per instruction slot in the register map. */
  public static final int WORDS = InstructionField.SLOT_WORDS;
  /** Words that carry fields (the rest of a slot is reserved). */
  public static final int USED_WORDS = InstructionField.USED_WORDS;
  /** MVM flag: add sp[src2 + ...] (a bias vector). */
  public static final int BIAS = 1;
  /** MVM flag: add the old destination value (partial sums of input blocks). */
  public static final int ACCUMULATE = 2;
  /**
   * MVM flag: the inputs are unsigned, x = min(max(x, 0), 2^inputBits - 1), and the banks run
   * MULTIPLY_UNSIGNED (non-negative operands, e.g. softmax probabilities, keep all inputBits).
   */
  public static final int UNSIGNED_INPUT = 4;
  /** ROTATE flag (field b): positions relative to the POSITION register (LayerRegisters.POSITION). */
  public static final int POSITION_RELATIVE = 1;

  public Instruction {
    java.util.Objects.requireNonNull(opcode, "opcode");
    java.util.Objects.requireNonNull(stage, "stage");
    if (waitMask < 0 || waitMask >= 1 << Engine.COUNT) {
      throw new IllegalArgumentException("waitMask: " + waitMask + ", allowed 0.." + ((1 << Engine.COUNT) - 1));
    }
    if (repeat < 1) {
      throw new IllegalArgumentException("repeat: " + repeat + ", allowed 1.." + InstructionField.REPEAT.max());
    }
    for (InstructionField f : InstructionField.values()) {
      f.check(get(f, opcode, stage, waitMask, cmd, repeat, src, dst, src2, len, srcStep, dstStep, bank,
          bankCount, shift, a, b));
    }
  }

  /** The value of field {@code f}. */
  public int get(InstructionField f) {
    return get(f, opcode, stage, waitMask, cmd, repeat, src, dst, src2, len, srcStep, dstStep, bank, bankCount,
        shift, a, b);
  }

  private static int get(InstructionField f, Opcode opcode, LayerStage stage, int waitMask, int cmd, int repeat,
      int src, int dst, int src2, int len, int srcStep, int dstStep, int bank, int bankCount, int shift, int a,
      int b) {
    return switch (f) {
      case OPCODE -> opcode.code();
      case CMD -> cmd;
      case STAGE -> stage.id();
      case WAIT_MASK -> waitMask;
      case REPEAT -> repeat;
      case LEN -> len;
      case SRC -> src;
      case DST -> dst;
      case SRC2 -> src2;
      case BANK -> bank;
      case SRC_STEP -> srcStep;
      case DST_STEP -> dstStep;
      case A -> a;
      case B -> b;
      case BANK_COUNT -> bankCount;
      case SHIFT -> shift;
    };
  }

  /** The engine that runs it (null for END). */
  public Engine engine() {
    return opcode.engine();
  }

  /** The {@link #WORDS} words of the instruction slot, laid out by {@link InstructionField}. */
  public int[] encode() {
    int[] w = new int[WORDS];
    for (InstructionField f : InstructionField.values()) {
      f.put(w, get(f));
    }
    return w;
  }

  /** The instruction held in slot words {@code w} (at least {@link InstructionField#USED_WORDS}). */
  public static Instruction decode(int[] w) {
    int stage = InstructionField.STAGE.get(w);
    if (stage >= LayerStage.values().length) {
      throw new IllegalArgumentException("stage: " + stage + ", allowed 0.." + (LayerStage.values().length - 1));
    }
    return new Instruction(Opcode.of(InstructionField.OPCODE.get(w)), LayerStage.values()[stage],
        InstructionField.WAIT_MASK.get(w), InstructionField.CMD.get(w), InstructionField.REPEAT.get(w),
        InstructionField.SRC.get(w), InstructionField.DST.get(w), InstructionField.SRC2.get(w),
        InstructionField.LEN.get(w), InstructionField.SRC_STEP.get(w), InstructionField.DST_STEP.get(w),
        InstructionField.BANK.get(w), InstructionField.BANK_COUNT.get(w), InstructionField.SHIFT.get(w),
        InstructionField.A.get(w), InstructionField.B.get(w));
  }

  /** END, waiting for everything. */
  public static Instruction end() {
    return end(0);
  }

  /** END that advances the POSITION register by {@code tokens} (the tokens this run consumed). */
  public static Instruction end(int tokens) {
    return new Instruction(Opcode.END, LayerStage.OUTPUT, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, tokens, 0);
  }
}
