package pimforge.kvcache;

import pimforge.params.Check;
import pimforge.params.HwParams;
import pimforge.params.KvCacheParams;
import pimforge.params.ParamError;

/**
 * Golden model of the cascade pruning-quantization of the KV cache (Titanus, REFERENCE.md sections 2
 * and 5) with KIVI's grouping (keys per channel over groupSize tokens, values per token over
 * groupSize channels). Integer in, integer out, bit-exact definitions a hardware unit can follow
 * (no RTL exists yet).
 *
 * <p><b>Input</b>: signed two's-complement integers of {@code inputBits} bits (the layer's K or V at
 * its known scratchpad scale). <b>Group</b>: groupSize integers x_0..x_{G-1}.
 *
 * <p><b>Scale</b>: a power of two 2^e per group, symmetric around zero (so a pruned entry is exactly
 * 0). With b = keyBits or valueBits and qmax = 2^(b-1), e is the smallest integer e >= 0 with
 * {@code max_i |x_i| <= qmax << e} (a leading-zero count and one compare in hardware; no division).
 * e is at most {@link #maxExponent(int)} and is stored in {@link #exponentBits(int)} bits.
 *
 * <p><b>Cascade</b>, per entry: pruned when {@code |x| <= pruneThreshold << e} (the threshold is in
 * quantization steps of the group, as kvCache.pruneThreshold says; 0 prunes exact zeros only);
 * otherwise code = sign(x) * ((|x| + 2^(e-1)) >> e) (round half away from zero; for e = 0 the code
 * is x), in -qmax..qmax. An entry whose code is 0 (|x| < 2^(e-1)) is not stored either. So
 * {@code |x - dequant| <= 2^(e-1)} for entries not pruned (0 when e = 0) and {@code |x| <=
 * pruneThreshold * 2^e} for pruned ones.
 *
 * <p><b>Zero-free codes</b> (pimforge's choice, not a source's): the bitmap already marks zeros, so a
 * stored b-bit field only needs the 2^b non-zero codes -2^(b-1)..-1, 1..2^(b-1): field = code - 1 for
 * a positive code, code for a negative one (b-bit two's complement); read back as field + 1 when the
 * field is non-negative. At 2 bits that gives 5 levels {-2, -1, 0, 1, 2} instead of 3.
 *
 * <p><b>Stored format</b> of one group, a bit string packed LSB first into bytes (bit k of the
 * group is bit k%8 of byte k/8), zero-padded to a whole byte: the exponent e (exponentBits bits),
 * then the non-zero bitmap (G bits, bit i = 1 when code_i != 0), then the fields of the non-zero
 * codes in element order, b bits each. Bytes = ceil((exponentBits + G + nnz * b) / 8); this is what
 * the controller's byte counters count ({@link Group#bytes()}).
 *
 * <p><b>Dequantization</b>: x' = code << e (an integer at the input scale; pruned entries read 0).
 * Since e <= inputBits - 1, x' lies in -2^(inputBits-1)..+2^(inputBits-1): one value more than the
 * input range (a positive entry rounding up to 2^(inputBits-1)), so the read path is inputBits + 1
 * bits wide.
 */
public final class KvQuantizer {

  /** Which tensor a group belongs to (selects keyBits or valueBits). */
  public enum Kind { KEY, VALUE }

  private final int inputBits;
  private final int keyBits;
  private final int valueBits;
  private final int groupSize;
  private final int pruneThreshold;
  private final int headDim;

  /**
   * @param kv keyBits, valueBits, groupSize, pruneThreshold
   * @param inputBits bits of a K/V input integer (signed), 2..24
   * @param headDim channels per head; groupSize must divide it (values are grouped over channels)
   */
  public KvQuantizer(KvCacheParams kv, int inputBits, int headDim) {
    this.inputBits = Check.range("kvCache.inputBits", inputBits, 2, 24);
    this.keyBits = kv.keyBits();
    this.valueBits = kv.valueBits();
    this.groupSize = kv.groupSize();
    this.pruneThreshold = kv.pruneThreshold();
    this.headDim = Check.range("model.headDim", headDim, 1, 1 << 16);
    Check.that(headDim % groupSize == 0, "kvCache.groupSize",
        "is " + groupSize + ", allowed a power of two dividing the head dimension " + headDim);
  }

  /** The quantizer for a design: K/V enter at precision.inputBits, head dimension of the model. */
  public static KvQuantizer of(HwParams hw) {
    return new KvQuantizer(hw.kvCache(), hw.precision().inputBits(), hw.model().headDim());
  }

  /**
   * One quantized group.
   *
   * @param kind KEY or VALUE (sets the code width)
   * @param exponent e, scale = 2^e
   * @param codes G signed codes in -2^(bits-1)..2^(bits-1), 0 where not stored
   * @param pruned G flags: entry pruned by the threshold
   * @param bits code width b
   * @param exponentBits width of the exponent field
   */
  public record Group(Kind kind, int exponent, int[] codes, boolean[] pruned, int bits, int exponentBits) {
    /** Stored (non-zero) codes. */
    public int nonZero() {
      int n = 0;
      for (int c : codes) {
        n += c != 0 ? 1 : 0;
      }
      return n;
    }

    /** Entries pruned by the threshold. */
    public int prunedCount() {
      int n = 0;
      for (boolean p : pruned) {
        n += p ? 1 : 0;
      }
      return n;
    }

    /** Entries above the threshold whose code rounded to 0 (not stored either). */
    public int zeroAfterQuantization() {
      return codes.length - nonZero() - prunedCount();
    }

    /** Stored bits before byte padding: exponentBits + G + nonZero * b. */
    public long storedBits() {
      return exponentBits + codes.length + (long) nonZero() * bits;
    }

    /** Stored bytes: ceil(storedBits / 8). */
    public int bytes() {
      return (int) ((storedBits() + 7) / 8);
    }

    /** x'_i = code_i << e, at the input scale. */
    public int[] dequantize() {
      int[] r = new int[codes.length];
      for (int i = 0; i < r.length; i++) {
        r[i] = codes[i] << exponent;
      }
      return r;
    }

    /** The stored bytes (format in the class comment). */
    public byte[] pack() {
      byte[] out = new byte[bytes()];
      long at = put(out, 0, exponent, exponentBits);
      for (int c : codes) {
        at = put(out, at, c != 0 ? 1 : 0, 1);
      }
      for (int c : codes) {
        if (c != 0) {
          at = put(out, at, fieldOf(c, bits), bits);
        }
      }
      return out;
    }

    private static long put(byte[] out, long at, int value, int width) {
      for (int k = 0; k < width; k++, at++) {
        if (((value >>> k) & 1) != 0) {
          out[(int) (at >>> 3)] |= (byte) (1 << (at & 7));
        }
      }
      return at;
    }
  }

  /**
   * Reads a packed group back (inverse of {@link Group#pack()}): the dequantized integers x'_i.
   *
   * @param kind KEY or VALUE
   * @param bytes the stored bytes of one group
   */
  public int[] unpackAndDequantize(Kind kind, byte[] bytes) {
    int b = bitsOf(kind);
    int eb = exponentBits(b);
    long[] at = {0};
    int e = (int) get(bytes, at, eb);
    boolean[] nz = new boolean[groupSize];
    for (int i = 0; i < groupSize; i++) {
      nz[i] = get(bytes, at, 1) != 0;
    }
    int[] r = new int[groupSize];
    for (int i = 0; i < groupSize; i++) {
      if (nz[i]) {
        r[i] = codeOfField(get(bytes, at, b), b) << e;
      }
    }
    return r;
  }

  private static long get(byte[] in, long[] at, int width) {
    long v = 0;
    for (int k = 0; k < width; k++, at[0]++) {
      if (((in[(int) (at[0] >>> 3)] >>> (at[0] & 7)) & 1) != 0) {
        v |= 1L << k;
      }
    }
    return v;
  }

  /**
   * Quantizes one group of groupSize input integers.
   *
   * @param kind KEY (keyBits) or VALUE (valueBits)
   * @param x groupSize signed integers of inputBits bits
   */
  public Group quantizeGroup(Kind kind, int[] x) {
    if (x.length != groupSize) {
      throw new ParamError("kvCache.groupSize", "group has " + x.length + " entries, expected " + groupSize);
    }
    int lo = -(1 << (inputBits - 1));
    int hi = (1 << (inputBits - 1)) - 1;
    int maxMag = 0;
    for (int i = 0; i < x.length; i++) {
      Check.range("kvCache.input[" + i + "]", x[i], lo, hi);
      maxMag = Math.max(maxMag, Math.abs(x[i]));
    }
    return quantizeWithExponent(kind, x, exponentFor(kind, maxMag));
  }

  /**
   * The group exponent for a largest magnitude: the smallest e >= 0 with {@code maxMag <= 2^(b-1) << e},
   * i.e. {@code max(0, bitLength(maxMag - 1) - (b - 1))} (a leading-zero count in hardware).
   */
  public int exponentFor(Kind kind, int maxMag) {
    int qmax = 1 << (bitsOf(kind) - 1);
    int e = 0;
    while ((long) maxMag > ((long) qmax << e)) {
      e++;
    }
    return e;
  }

  /**
   * Prunes and quantizes entries with a given exponent (the cascade of the class comment). The
   * caller guarantees {@code max|x| <= 2^(b-1) << e} (so every code lies in -qmax..qmax).
   */
  public Group quantizeWithExponent(Kind kind, int[] x, int e) {
    int[] codes = new int[x.length];
    boolean[] pruned = new boolean[x.length];
    for (int i = 0; i < x.length; i++) {
      pruned[i] = isPruned(x[i], e);
      codes[i] = codeOf(x[i], e);
    }
    int b = bitsOf(kind);
    return new Group(kind, e, codes, pruned, b, exponentBits(b));
  }

  /** Pruned by the threshold: {@code |x| <= pruneThreshold << e}. */
  public boolean isPruned(int x, int e) {
    return Math.abs(x) <= ((long) pruneThreshold << e);
  }

  /**
   * The code of one entry at exponent e: 0 when pruned, else sign(x) * ((|x| + 2^(e-1)) >> e) (round
   * half away from zero; x itself for e = 0), which is 0 when |x| < 2^(e-1).
   */
  public int codeOf(int x, int e) {
    if (isPruned(x, e)) {
      return 0;
    }
    int mag = Math.abs(x);
    int q = e == 0 ? mag : (mag + (1 << (e - 1))) >> e;
    return x < 0 ? -q : q;
  }

  /** The b-bit stored field of a non-zero code (zero-free: code - 1 for positive codes). */
  public static int fieldOf(int code, int bits) {
    return (code > 0 ? code - 1 : code) & ((1 << bits) - 1);
  }

  /** The code of a b-bit stored field (inverse of {@link #fieldOf}). */
  public static int codeOfField(long raw, int bits) {
    int field = (int) (raw << (64 - bits) >> (64 - bits));
    return field >= 0 ? field + 1 : field;
  }

  /**
   * Quantizes a block of keys per channel: {@code keys[t][c]}, t = 0..groupSize-1 tokens, c =
   * 0..headDim-1 channels. Returns headDim groups, group c = channel c over the groupSize tokens.
   */
  public Group[] quantizeKeyBlock(int[][] keys) {
    if (keys.length != groupSize) {
      throw new ParamError("kvCache.groupSize", "key block has " + keys.length + " tokens, expected " + groupSize);
    }
    Group[] g = new Group[headDim];
    for (int c = 0; c < headDim; c++) {
      int[] col = new int[groupSize];
      for (int t = 0; t < groupSize; t++) {
        checkLength(keys[t]);
        col[t] = keys[t][c];
      }
      g[c] = quantizeGroup(Kind.KEY, col);
    }
    return g;
  }

  /**
   * Quantizes one token's value vector per token: {@code value[c]}, c = 0..headDim-1. Returns
   * headDim / groupSize groups, group j = channels j*G .. j*G+G-1.
   */
  public Group[] quantizeValueToken(int[] value) {
    checkLength(value);
    Group[] g = new Group[headDim / groupSize];
    for (int j = 0; j < g.length; j++) {
      int[] part = new int[groupSize];
      System.arraycopy(value, j * groupSize, part, 0, groupSize);
      g[j] = quantizeGroup(Kind.VALUE, part);
    }
    return g;
  }

  /** Dequantized key block {@code [groupSize tokens][headDim]} from its per-channel groups. */
  public int[][] dequantizeKeyBlock(Group[] channels) {
    int[][] r = new int[groupSize][headDim];
    for (int c = 0; c < headDim; c++) {
      int[] d = channels[c].dequantize();
      for (int t = 0; t < groupSize; t++) {
        r[t][c] = d[t];
      }
    }
    return r;
  }

  /** Dequantized value vector {@code [headDim]} from its per-token groups. */
  public int[] dequantizeValueToken(Group[] groups) {
    int[] r = new int[headDim];
    for (int j = 0; j < groups.length; j++) {
      System.arraycopy(groups[j].dequantize(), 0, r, j * groupSize, groupSize);
    }
    return r;
  }

  private void checkLength(int[] v) {
    if (v.length != headDim) {
      throw new ParamError("model.headDim", "vector has " + v.length + " channels, expected " + headDim);
    }
  }

  /** Code width of a kind: keyBits or valueBits. */
  public int bitsOf(Kind kind) {
    return kind == Kind.KEY ? keyBits : valueBits;
  }

  /** Largest exponent: the e chosen for |x| = 2^(inputBits-1), the largest input magnitude. */
  public int maxExponent(int bits) {
    long qmax = 1L << (bits - 1);
    int e = 0;
    while ((1L << (inputBits - 1)) > (qmax << e)) {
      e++;
    }
    return e;
  }

  /** Width of the exponent field: bitLength(maxExponent), at least 1. */
  public int exponentBits(int bits) {
    return Math.max(1, 32 - Integer.numberOfLeadingZeros(maxExponent(bits)));
  }

  /** Uncompressed bytes of one group at the input width (ceil(G * inputBits / 8)), for ratios. */
  public int rawBytes() {
    return (groupSize * inputBits + 7) / 8;
  }

  public int inputBits() {
    return inputBits;
  }

  public int groupSize() {
    return groupSize;
  }

  public int headDim() {
    return headDim;
  }

  public int pruneThreshold() {
    return pruneThreshold;
  }
}
