package pimforge.layer;

/**
 * One instruction of the layer top (semantics per {@link Opcode}). Encoded as {@link #WORDS}
 * 32-bit words, the way the host writes it into the instruction window of the register map:
 * <pre>
 * w0: opcode[3:0] stage[7:4] waitMask[12:8] cmd[15:13] repeat[31:16]
 * w1: src[15:0]    dst[31:16]
 * w2: src2[15:0]   len[31:16]
 * w3: srcStep[15:0] dstStep[31:16]
 * w4: bank[15:0]   bankCount[23:16] shift[31:24]
 * w5: a[15:0]      b[31:16]
 * </pre>
 * Words 6 and 7 of an instruction slot are reserved (read as zero).
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
 * @param a MVM input offset in beats; SOFTMAX valid keys; GATHER_WEIGHTS row stride (elements)
 * @param b MVM flags ({@link #BIAS}, {@link #ACCUMULATE}); GATHER_WEIGHTS column stride (elements)
 */
public record Instruction(
    Opcode opcode, LayerStage stage, int waitMask, int cmd, int repeat, int src, int dst, int src2,
    int len, int srcStep, int dstStep, int bank, int bankCount, int shift, int a, int b) {

  /** 32-bit words per instruction slot in the register map. */
  public static final int WORDS = 8;
  /** Words that carry fields (the rest of a slot is reserved). */
  public static final int USED_WORDS = 6;
  /** MVM flag: add sp[src2 + ...] (a bias vector). */
  public static final int BIAS = 1;
  /** MVM flag: add the old destination value (partial sums of input blocks). */
  public static final int ACCUMULATE = 2;

  public Instruction {
    java.util.Objects.requireNonNull(opcode, "opcode");
    java.util.Objects.requireNonNull(stage, "stage");
    field("waitMask", waitMask, (1 << Engine.COUNT) - 1);
    field("cmd", cmd, 7);
    if (repeat < 1 || repeat > 0xFFFF) {
      throw new IllegalArgumentException("repeat: " + repeat + ", allowed 1..65535");
    }
    for (int[] f : new int[][] {{src}, {dst}, {src2}, {len}, {srcStep}, {dstStep}, {bank}, {a}, {b}}) {
      field("16-bit field", f[0], 0xFFFF);
    }
    field("bankCount", bankCount, 0xFF);
    field("shift", shift, 0xFF);
  }

  private static void field(String name, int v, int max) {
    if (v < 0 || v > max) {
      throw new IllegalArgumentException(name + ": " + v + ", allowed 0.." + max);
    }
  }

  /** The engine that runs it (null for END). */
  public Engine engine() {
    return opcode.engine();
  }

  public int[] encode() {
    int[] w = new int[WORDS];
    w[0] = opcode.code() | stage.id() << 4 | waitMask << 8 | cmd << 13 | repeat << 16;
    w[1] = src | dst << 16;
    w[2] = src2 | len << 16;
    w[3] = srcStep | dstStep << 16;
    w[4] = bank | bankCount << 16 | shift << 24;
    w[5] = a | b << 16;
    return w;
  }

  public static Instruction decode(int[] w) {
    return new Instruction(Opcode.of(w[0] & 0xF), LayerStage.values()[(w[0] >>> 4) & 0xF], (w[0] >>> 8) & 0x1F,
        (w[0] >>> 13) & 0x7, w[0] >>> 16, w[1] & 0xFFFF, w[1] >>> 16, w[2] & 0xFFFF, w[2] >>> 16,
        w[3] & 0xFFFF, w[3] >>> 16, w[4] & 0xFFFF, (w[4] >>> 16) & 0xFF, w[4] >>> 24, w[5] & 0xFFFF, w[5] >>> 16);
  }

  /** END, waiting for everything. */
  public static Instruction end() {
    return new Instruction(Opcode.END, LayerStage.OUTPUT, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
  }
}
