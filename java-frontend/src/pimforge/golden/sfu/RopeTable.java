package pimforge.golden.sfu;

import pimforge.params.Rope;

/**
 * The rotary-embedding tables, shared by the Chisel generator (its ROMs) and the golden model.
 *
 * <p>Element d of a head (0 <= d < headDim) is rotated with frequency index {@link #frequencyIndex}
 * (-1: not rotated, the partial-rotary tail). Its angle at token position pos is pos * invFreq_i
 * radians, kept in hardware as a phase in turns: phase = (pos * {@link #frequencyWord}(i)) mod
 * 2^PHASE_BITS, exact integer arithmetic, with frequencyWord(i) = round(invFreq_i / (2 pi) *
 * 2^PHASE_BITS). sin and cos come from one table of 2^TABLE_BITS entries over a whole turn,
 * {@link #sine}(k) = round(sin(2 pi k / 2^TABLE_BITS) * 2^TRIG_FRAC_BITS), read at the nearest
 * entry k = round(phase / 2^(PHASE_BITS - TABLE_BITS)) mod 2^TABLE_BITS (cos at k + 2^TABLE_BITS / 4).
 *
 * <p>invFreq_i = theta^(-2i / rotaryDim) (Su et al. 2021, RoFormer), then the scaling of
 * transformers' {@code modeling_rope_utils}: LINEAR divides it by factor; LLAMA3 divides
 * wavelengths above originalMaxPositions / lowFreqFactor by factor, keeps those below
 * originalMaxPositions / highFreqFactor, and blends linearly between.
 */
public final class RopeTable {
  /** Fraction bits of a phase in turns. */
  public static final int PHASE_BITS = 32;
  /** log2 of the sine table's entries per turn. */
  public static final int TABLE_BITS = 10;
  /** Fraction bits of sin and cos (1.0 = 2^TRIG_FRAC_BITS). */
  public static final int TRIG_FRAC_BITS = 14;
  /** Signed bits of a sin/cos table entry (holds +-1.0). */
  public static final int TRIG_BITS = TRIG_FRAC_BITS + 2;
  /** Unsigned bits of a token position (the instruction field that carries the first position). */
  public static final int POSITION_BITS = 16;

  private final Rope rope;
  private final int headDim;
  private final long[] frequencyWords;

  public RopeTable(Rope rope, int headDim) {
    if (rope.rotaryDim() > headDim) {
      throw new IllegalArgumentException("rotaryDim " + rope.rotaryDim() + " exceeds headDim " + headDim);
    }
    this.rope = rope;
    this.headDim = headDim;
    int half = rope.rotaryDim() / 2;
    this.frequencyWords = new long[half];
    for (int i = 0; i < half; i++) {
      double turns = inverseFrequency(rope, i) / (2 * Math.PI);
      frequencyWords[i] = Math.round(turns * Math.pow(2, PHASE_BITS)) & ((1L << PHASE_BITS) - 1);
    }
  }

  /** The design's table, or null when the model has no rotary embedding. */
  public static RopeTable of(pimforge.params.HwParams p) {
    Rope r = p.model().features().rope();
    return r == null ? null : new RopeTable(r, p.model().headDim());
  }

  public Rope rope() {
    return rope;
  }

  public int headDim() {
    return headDim;
  }

  /** Radians per position of frequency index i (the definition above). */
  static double inverseFrequency(Rope r, int i) {
    double inv = Math.pow(r.theta(), -2.0 * i / r.rotaryDim());
    return switch (r.scaling()) {
      case NONE -> inv;
      case LINEAR -> inv / r.factor();
      case LLAMA3 -> {
        double wavelen = 2 * Math.PI / inv;
        double lowWavelen = r.originalMaxPositions() / r.lowFreqFactor();
        double highWavelen = r.originalMaxPositions() / r.highFreqFactor();
        if (wavelen < highWavelen) {
          yield inv;
        }
        if (wavelen > lowWavelen) {
          yield inv / r.factor();
        }
        double smooth = (r.originalMaxPositions() / wavelen - r.lowFreqFactor())
            / (r.highFreqFactor() - r.lowFreqFactor());
        yield (1 - smooth) * inv / r.factor() + smooth * inv;
      }
    };
  }

  /** Frequency index of head element d, or -1 when d is not rotated. */
  public int frequencyIndex(int d) {
    int r = rope.rotaryDim();
    if (d >= r) {
      return -1;
    }
    return rope.pairing() == Rope.Pairing.HALVES ? d % (r / 2) : d / 2;
  }

  /**
   * Head element whose value, with this sign, is element d's rotation partner in rotate_half /
   * rotate_every_two: x_rot[d] = sign * x[partner]; {d, 0} when d is not rotated (x_rot[d] = 0).
   */
  public int[] partner(int d) {
    int r = rope.rotaryDim();
    if (d >= r) {
      return new int[] {d, 0};
    }
    if (rope.pairing() == Rope.Pairing.HALVES) {
      return d < r / 2 ? new int[] {d + r / 2, -1} : new int[] {d - r / 2, 1};
    }
    return d % 2 == 0 ? new int[] {d + 1, -1} : new int[] {d - 1, 1};
  }

  /** Phase increment per position of frequency index i, in 2^-PHASE_BITS turns. */
  public long frequencyWord(int i) {
    return frequencyWords[i];
  }

  /** Sine table entry k (0 .. 2^TABLE_BITS - 1). */
  public static long sine(int k) {
    return Math.round(Math.sin(2 * Math.PI * k / (1 << TABLE_BITS)) * (1 << TRIG_FRAC_BITS));
  }

  /** The whole sine table, for the ROM. */
  public static long[] sineTable() {
    long[] t = new long[1 << TABLE_BITS];
    for (int k = 0; k < t.length; k++) {
      t[k] = sine(k);
    }
    return t;
  }

  /** Table index of a phase (round to nearest entry, modulo a turn). */
  public static int tableIndex(long phase) {
    long half = 1L << (PHASE_BITS - TABLE_BITS - 1);
    return (int) (((phase + half) >>> (PHASE_BITS - TABLE_BITS)) & ((1 << TABLE_BITS) - 1));
  }

  /** {cos, sin} of head element d at position pos, in 2^-TRIG_FRAC_BITS (cos 1.0, sin 0 when not rotated). */
  public long[] cosSin(long pos, int d) {
    int i = frequencyIndex(d);
    if (i < 0) {
      return new long[] {1L << TRIG_FRAC_BITS, 0};
    }
    long phase = (pos * frequencyWords[i]) & ((1L << PHASE_BITS) - 1);
    int k = tableIndex(phase);
    return new long[] {sine((k + (1 << (TABLE_BITS - 2))) & ((1 << TABLE_BITS) - 1)), sine(k)};
  }
}
