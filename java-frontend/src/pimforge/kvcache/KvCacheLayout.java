package pimforge.kvcache;

import pimforge.params.Check;
import pimforge.params.HwParams;
import pimforge.params.KvCacheParams;

/**
 * Every width, size and address of the KV-cache controller, derived once from the parameter record
 * (RTL, golden model, harness and C header read it from here).
 *
 * <p><b>Storage.</b> The newest tokens (at most fullPrecisionTokens R) sit unquantized in the
 * on-chip <i>full-precision buffer</i>. When it holds R tokens, its oldest groupSize G tokens are
 * sealed: keys quantized per channel over those G tokens (one exponent per channel, kept on chip in
 * the <i>exponent table</i>, an entry per sealed group, freed when its last token is evicted),
 * values per token in groups of G channels ({@link KvQuantizer}), and each token's two records are
 * written to external memory through the AXI4 master:
 * <ul>
 *   <li>key record of slot s at {@code s * keyStrideBytes}: the non-zero bitmap (headDim bits, bit c
 *       = channel c) then the zero-free fields of the non-zero codes in channel order, keyBits each;
 *   <li>value record of slot s at {@code valueBase + s * valueStrideBytes}: for each group of G
 *       channels its exponent (valueExponentBits), bitmap (G bits) and non-zero fields (valueBits).
 * </ul>
 * Bits are packed LSB first into {@link #BUS_BITS}-bit beats; a record occupies ceil(bits / 64)
 * beats (the controller keeps each slot's beat counts, so reads move exactly the written beats).
 * Bytes moved = beats * 8.
 *
 * <p><b>Widths.</b> K, V and q elements are signed inputBits; dequantized entries inputBits + 1;
 * probabilities unsigned probabilityBits; a score needs {@link #scoreBits()}, a context word {@link
 * #contextBits()}.
 *
 * @param kv the kvCache section
 * @param capacity slots (tokens kept at most, {@link KvEvictionModel#capacityOf})
 * @param headDim channels per head d
 * @param inputBits bits of a K/V/q element
 * @param probabilityBits bits of a probability (softmax.outputBits)
 * @param maxContext positions 0..maxContext-1 (model.maxPositions)
 * @param lanes elements per stream beat
 */
public record KvCacheLayout(KvCacheParams kv, int capacity, int headDim, int inputBits, int probabilityBits,
    int maxContext, int lanes) {
  /** AXI4 data width of the memory port. */
  public static final int BUS_BITS = 64;
  /** Words of an APPEND result. */
  public static final int APPEND_RESULT_WORDS = 4;
  /** Width of the controller's event counters (they saturate). */
  public static final int COUNTER_BITS = 48;
  /** Longest AXI4 INCR burst. */
  public static final int MAX_BURST_BEATS = 256;

  public KvCacheLayout {
    Check.range("precision.inputBits", inputBits, 2, 16);
    Check.that(headDim % kv.groupSize() == 0, "kvCache.groupSize",
        "is " + kv.groupSize() + ", allowed a power of two dividing the head dimension " + headDim);
    Check.range("crossbar.lanes", lanes, 1, 64);
    Check.that(beats(headDim + (long) headDim * kv.keyBits()) <= MAX_BURST_BEATS, "model.headDim",
        "is " + headDim + ", allowed up to " + (MAX_BURST_BEATS * BUS_BITS / (1 + kv.keyBits()))
            + " at keyBits " + kv.keyBits() + " (a key record must fit one AXI4 burst of 256 beats)");
    long valueBits = (long) headDim / kv.groupSize()
        * (bitLength(maxExponentOf(inputBits, kv.valueBits())) + kv.groupSize() + (long) kv.groupSize() * kv.valueBits());
    Check.that(beats(valueBits) <= MAX_BURST_BEATS, "kvCache.groupSize",
        "is " + kv.groupSize() + " with valueBits " + kv.valueBits() + " and head dimension " + headDim
            + ": a value record of " + beats(valueBits) + " beats, allowed 1..256 (one AXI4 burst)");
    long memory = (long) capacity * (nextPowerOfTwo(beats(headDim + (long) headDim * kv.keyBits()) * 8L)
        + nextPowerOfTwo(beats(valueBits) * 8L));
    Check.that(memory <= MAX_MEMORY_BYTES, "kvCache.budgetTokens",
        "needs " + memory + " bytes of external memory per KV head, allowed up to " + MAX_MEMORY_BYTES
            + " (1 GiB; fewer tokens, bits or channels)");
  }

  /** Largest external memory of one controller. */
  public static final long MAX_MEMORY_BYTES = 1L << 30;

  private static int maxExponentOf(int inputBits, int bits) {
    long qmax = 1L << (bits - 1);
    int e = 0;
    while ((1L << (inputBits - 1)) > (qmax << e)) {
      e++;
    }
    return e;
  }

  private static int bitLength(int x) {
    return Math.max(1, 32 - Integer.numberOfLeadingZeros(x));
  }

  /** Smallest power of two >= n (n >= 1). */
  static long nextPowerOfTwo(long n) {
    return Long.highestOneBit(Math.max(1, n - 1)) << (n > 1 ? 1 : 0);
  }

  /** The layout of a design: K/V at precision.inputBits, probabilities of softmax.outputBits. */
  public static KvCacheLayout of(HwParams p) {
    return new KvCacheLayout(p.kvCache(), KvEvictionModel.capacityOf(p.kvCache()), p.model().headDim(),
        p.precision().inputBits(), p.softmax().outputBits(), p.model().maxPositions(), p.crossbar().lanes());
  }

  public int groupSize() {
    return kv.groupSize();
  }

  public int fullPrecisionTokens() {
    return kv.fullPrecisionTokens();
  }

  /** Exponent table entries: one per slot, the worst case (every sealed group down to one token). */
  public int exponentTableEntries() {
    return capacity;
  }

  public KvQuantizer quantizer() {
    return new KvQuantizer(kv, inputBits, headDim);
  }

  public int keyExponentBits() {
    return quantizer().exponentBits(kv.keyBits());
  }

  public int valueExponentBits() {
    return quantizer().exponentBits(kv.valueBits());
  }

  /** Largest key record: d + d * keyBits bits. */
  public int keyRecordMaxBits() {
    return headDim + headDim * kv.keyBits();
  }

  /** Largest value record: (d / G) * (valueExponentBits + G + G * valueBits) bits. */
  public int valueRecordMaxBits() {
    return headDim / groupSize() * (valueExponentBits() + groupSize() + groupSize() * kv.valueBits());
  }

  public int keyMaxBeats() {
    return beats(keyRecordMaxBits());
  }

  public int valueMaxBeats() {
    return beats(valueRecordMaxBits());
  }

  public static int beats(long bits) {
    return (int) ((bits + BUS_BITS - 1) / BUS_BITS);
  }

  /** Bytes of the largest key record (whole beats): what one token's key stores and moves at most. */
  public long keyRecordMaxBytes() {
    return keyMaxBeats() * (BUS_BITS / 8L);
  }

  /** Bytes of the largest value record (whole beats). */
  public long valueRecordMaxBytes() {
    return valueMaxBeats() * (BUS_BITS / 8L);
  }

  /**
   * Bytes between two slots' key records: the largest record rounded up to a power of two (at most
   * 2 KiB), so no burst crosses a 4 KiB boundary (AXI4 A3.4.1).
   */
  public long keyStrideBytes() {
    return nextPowerOfTwo(keyMaxBeats() * (BUS_BITS / 8L));
  }

  /** As {@link #keyStrideBytes()} for the value records. */
  public long valueStrideBytes() {
    return nextPowerOfTwo(valueMaxBeats() * (BUS_BITS / 8L));
  }

  /** Byte address of the value region (after every slot's key record). */
  public long valueBase() {
    long keys = capacity * keyStrideBytes();
    long align = valueStrideBytes(); // a power of two: value records stay inside aligned blocks
    return (keys + align - 1) / align * align;
  }

  /** Bytes of external memory the cache can occupy. */
  public long memoryBytes() {
    return valueBase() + capacity * valueStrideBytes();
  }

  /** AXI4 address width: bitLength(memoryBytes - 1), at least 1. */
  public int addressBits() {
    return Math.max(1, 64 - Long.numberOfLeadingZeros(memoryBytes() - 1));
  }

  /**
   * Address width of the layer top's KV-cache memory port m_axi_* (0 when kvCache.enabled is off):
   * KV head h's region (addressBits wide) at h << addressBits.
   */
  public static int layerTopAddressBits(HwParams p) {
    if (!p.kvCache().enabled()) {
      return 0;
    }
    return of(p).addressBits() + log2Ceil(p.model().numKvHeads());
  }

  /** Beats of a vector of n elements. */
  public int vectorBeats(int n) {
    return (n + lanes - 1) / lanes;
  }

  /** Score width: q (inputBits) times k' (inputBits + 1) summed over d: 2 * inputBits + 1 + ceil(log2 d). */
  public int scoreBits() {
    return 2 * inputBits + 1 + log2Ceil(headDim);
  }

  /** Context width: p (probabilityBits, unsigned) times v' (inputBits + 1), summed over the slots. */
  public int contextBits() {
    return probabilityBits + inputBits + 2 + log2Ceil(capacity);
  }

  /** The score of an empty slot: the most negative output value (the softmax unit masks it). */
  public long maskScore() {
    return -(1L << (outBits() - 1));
  }

  /** Signed width of an input element: K/V/q inputBits or an unsigned probability. */
  public int inBits() {
    return Math.max(inputBits, probabilityBits + 1);
  }

  /** Signed width of an output element: scores, context words and counters. */
  public int outBits() {
    return Math.max(Math.max(scoreBits(), contextBits()), COUNTER_BITS + 1);
  }

  public int slotBits() {
    return Math.max(1, log2Ceil(capacity));
  }

  // ---- on-chip storage of the controller (the RTL declares its registers and memories with these)

  private KvEvictionModel evictionWidths() {
    return new KvEvictionModel(kv, probabilityBits, maxContext, KvEvictionModel.RopeConvention.ORIGINAL);
  }

  /** A slot's position register: the eviction model's position bits + 1 (the position register counts to maxContext). */
  public int slotPositionBits() {
    return evictionWidths().positionBits() + 1;
  }

  /** A slot's insertion-order register: the eviction model's order bits + 1. */
  public int slotOrderBits() {
    return evictionWidths().orderBits() + 1;
  }

  /** A slot's H2O score register (0 for the other policies, which have none). */
  public int slotScoreBits() {
    return kv.policy() == KvCacheParams.Policy.HEAVY_HITTER ? evictionWidths().scoreBits() : 0;
  }

  /** A record's length in beats: bitLength(largest record beats). */
  public int recordBeatBits() {
    return log2Ceil(Math.max(keyMaxBeats(), valueMaxBeats()) + 1);
  }

  /** Index of a full-precision buffer entry. */
  public int ringBits() {
    return Math.max(1, log2Ceil(fullPrecisionTokens()));
  }

  /** Reference count of an exponent-table entry (0..G tokens). */
  public int exponentRefBits() {
    return log2Ceil(groupSize() + 1);
  }

  /**
   * Bits of one slot-table entry: valid, sealed, position, insertion order, H2O score, exponent-table
   * entry, key and value record beats, full-precision buffer entry.
   */
  public int slotEntryBits() {
    return 2 + slotPositionBits() + slotOrderBits() + slotScoreBits() + slotBits() + 2 * recordBeatBits() + ringBits();
  }

  public long slotTableBits() {
    return (long) capacity * slotEntryBits();
  }

  /** The full-precision buffer: R entries of a key and a value, whole beats of inputBits elements, plus each entry's slot. */
  public long fullPrecisionBufferBits() {
    int r = fullPrecisionTokens();
    return (long) r * 2 * vectorBeats(headDim) * lanes * inputBits + (long) r * slotBits();
  }

  /** The exponent table: per entry headDim key exponents and a reference count. */
  public long exponentTableBits() {
    return (long) exponentTableEntries() * (headDim * keyExponentBits() + exponentRefBits());
  }

  /**
   * The derived values software and reports need (design.json {@code kvCacheDerived} and the C
   * header's PIMFORGE_KV_CACHE_DERIVED_*), in a fixed order.
   */
  public java.util.Map<String, Long> derivedValues() {
    java.util.Map<String, Long> m = new java.util.LinkedHashMap<>();
    m.put("capacity", (long) capacity);
    m.put("headDim", (long) headDim);
    m.put("lanes", (long) lanes);
    m.put("busBits", (long) BUS_BITS);
    m.put("addressBits", (long) addressBits());
    m.put("memoryBytes", memoryBytes());
    m.put("keyStrideBytes", keyStrideBytes());
    m.put("valueStrideBytes", valueStrideBytes());
    m.put("valueBase", valueBase());
    m.put("keyRecordMaxBits", (long) keyRecordMaxBits());
    m.put("valueRecordMaxBits", (long) valueRecordMaxBits());
    m.put("keyExponentBits", (long) keyExponentBits());
    m.put("valueExponentBits", (long) valueExponentBits());
    m.put("exponentTableEntries", (long) exponentTableEntries());
    m.put("inBits", (long) inBits());
    m.put("outBits", (long) outBits());
    m.put("scoreBits", (long) scoreBits());
    m.put("contextBits", (long) contextBits());
    m.put("probabilityBits", (long) probabilityBits);
    m.put("maskScore", maskScore());
    m.put("counterBits", (long) COUNTER_BITS);
    m.put("appendResultWords", (long) APPEND_RESULT_WORDS);
    m.put("counterWords", (long) KvCacheModel.Counters.WORDS);
    m.put("slotEntryBits", (long) slotEntryBits());
    m.put("slotTableBits", slotTableBits());
    m.put("fullPrecisionBufferBits", fullPrecisionBufferBits());
    m.put("exponentTableBits", exponentTableBits());
    return m;
  }

  static int log2Ceil(int n) {
    return 32 - Integer.numberOfLeadingZeros(Math.max(1, n) - 1);
  }
}
