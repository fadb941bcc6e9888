package pimforge.layer;

/**
 * The instruction layout of the layer top, defined once: every field of an {@link Instruction}
 * with its width. Word and bit offset follow from the declaration order (fields are packed into
 * 32-bit words in this order, a field never straddles two words), see {@link #word()} and
 * {@link #offset()}. Java encode/decode ({@link Instruction#encode()}), the Chisel bundle
 * ({@code pimforge.hw.layer.InstrFields}), the C encoder macros of the header and the README's
 * table all read this table.
 *
 * <p>Widths leave headroom for the ISA to grow (opcodes, engines, stage counters); the scratchpad
 * address fields are {@link #ADDRESS_BITS} wide, the scratchpad's address width.
 */
public enum InstructionField {
  /** {@link Opcode#code()}. */
  OPCODE("opcode", 5),
  /** Unit command: SoftmaxOp for SOFTMAX, SfuOp for SFU. */
  CMD("cmd", 4),
  /** {@link LayerStage#id()}: the performance-counter tag. */
  STAGE("stage", 6),
  /** Engines (bit {@link Engine#bit()}) that must be idle before the instruction issues. */
  WAIT_MASK("waitMask", 8),
  /** Iterations, 1..2^16-1. */
  REPEAT("repeat", 16),
  /** Beats per iteration (GATHER_WEIGHTS: valid rows). */
  LEN("len", 16),
  /** First source word. */
  SRC("src", addressBits()),
  /** First destination word. */
  DST("dst", addressBits()),
  /** Second source word (residual b operand, MVM bias) or GATHER_WEIGHTS valid columns. */
  SRC2("src2", addressBits()),
  /** First bank. */
  BANK("bank", 16),
  /** Words added to src and src2 per iteration. */
  SRC_STEP("srcStep", 16),
  /** Words added to dst per iteration. */
  DST_STEP("dstStep", 16),
  /** MVM input offset in beats; SOFTMAX valid keys of iteration 0; GATHER_WEIGHTS row stride. */
  A("a", 16),
  /** MVM flags; SOFTMAX valid keys added per iteration (1: causal); GATHER_WEIGHTS column stride. */
  B("b", 16),
  /** Banks (MVM, HOST_WEIGHTS). */
  BANK_COUNT("bankCount", 8),
  /** MVM input rounding shift. */
  SHIFT("shift", 8);

  /** Width of the scratchpad address fields: word indices below {@link LayerPlan#MAX_SCRATCH_WORDS}. */
  public static final int ADDRESS_BITS = addressBits();
  /** 32-bit words an instruction occupies (the fields packed in order). */
  public static final int USED_WORDS;
  /** Words of an instruction slot in the register map: USED_WORDS rounded up to a power of two. */
  public static final int SLOT_WORDS;

  private final String key;
  private final int width;
  private int word;
  private int offset;

  static {
    int w = 0;
    int bit = 0;
    for (InstructionField f : values()) {
      if (f.width > 32) {
        throw new IllegalStateException(f + " wider than a word");
      }
      if (bit + f.width > 32) {
        w++;
        bit = 0;
      }
      f.word = w;
      f.offset = bit;
      bit += f.width;
    }
    USED_WORDS = w + 1;
    SLOT_WORDS = Integer.highestOneBit(USED_WORDS) == USED_WORDS ? USED_WORDS : 2 * Integer.highestOneBit(USED_WORDS);
    if ((1 << OPCODE.width) < Opcode.values().length || WAIT_MASK.width < Engine.COUNT
        || (1 << STAGE.width) < LayerStage.COUNTERS) {
      throw new IllegalStateException("instruction fields too narrow for the opcodes, engines or stages");
    }
  }

  InstructionField(String key, int width) {
    this.key = key;
    this.width = width;
  }

  private static int addressBits() {
    return Integer.numberOfTrailingZeros(LayerPlan.MAX_SCRATCH_WORDS);
  }

  /** The field's name in {@link Instruction} and in the Chisel bundle (camelCase). */
  public String key() {
    return key;
  }

  public int width() {
    return width;
  }

  /** Largest value the field holds. */
  public long max() {
    return (1L << width) - 1;
  }

  /** Word of the instruction slot that holds the field. */
  public int word() {
    return word;
  }

  /** Bit offset of the field's least significant bit in its word. */
  public int offset() {
    return offset;
  }

  /** Throws IllegalArgumentException naming the field when {@code v} does not fit. */
  public void check(long v) {
    if (v < 0 || v > max()) {
      throw new IllegalArgumentException(key + ": " + v + ", allowed 0.." + max());
    }
  }

  /** Inserts {@code v} (which must fit) into the instruction words {@code w}. */
  void put(int[] w, long v) {
    check(v);
    w[word] |= (int) (v << offset);
  }

  /** The field's value in the instruction words {@code w}. */
  int get(int[] w) {
    return (int) ((Integer.toUnsignedLong(w[word]) >>> offset) & max());
  }
}
