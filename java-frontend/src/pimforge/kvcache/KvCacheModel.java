package pimforge.kvcache;

import java.util.ArrayDeque;
import java.util.Arrays;
import pimforge.kvcache.KvEvictionModel.AppendResult;
import pimforge.kvcache.KvEvictionModel.Outcome;
import pimforge.kvcache.KvEvictionModel.RopeConvention;
import pimforge.kvcache.KvQuantizer.Group;
import pimforge.kvcache.KvQuantizer.Kind;
import pimforge.params.Check;

/**
 * Golden model of the KV-cache controller (RTL pimforge.hw.kvcache.KvCacheController) for one layer
 * and KV head: what the hardware computes, bit for bit, per command of {@link KvCacheOp}. Storage
 * format, widths and addresses: {@link KvCacheLayout}; eviction: {@link KvEvictionModel}; pruning and
 * quantization: {@link KvQuantizer}.
 *
 * <p>Order inside an APPEND: the eviction decision ({@link KvEvictionModel#append}); the victim's
 * exponent-table entry loses a reference (freed at zero); the token enters the full-precision
 * buffer; if the buffer now holds R tokens its oldest G are sealed (the lowest free exponent-table
 * entry; per channel the exponent of the G keys; then per token, oldest first, the key record and
 * the value record written to memory).
 *
 * <p>External memory is modelled as a byte array; reads decode the records from it, so the packing
 * is checked on every read.
 */
public final class KvCacheModel {

  /**
   * Event counters, in {@link #WORDS} output words in this order: tokens appended (stored or
   * refused), tokens evicted, tokens refused (FULL at its budget), entries pruned by the threshold,
   * entries quantized to a zero code (above the threshold), non-zero codes stored, bytes written to
   * and read from external memory (whole 8-byte beats), occupancy, overflow (1 once a token was
   * refused: the status bit).
   */
  public record Counters(long appended, long evicted, long refused, long pruned, long zeroCodes, long storedCodes,
      long bytesWritten, long bytesRead, long occupancy, long overflow) {
    public static final int WORDS = 10;

    public long[] words() {
      return new long[] {appended, evicted, refused, pruned, zeroCodes, storedCodes, bytesWritten, bytesRead,
          occupancy, overflow};
    }

    /** The counters of a COUNTERS packet (its first {@link #WORDS} words, in {@link #words()} order). */
    public static Counters of(long[] w) {
      if (w.length < WORDS) {
        throw new IllegalArgumentException(w.length + " counter words, expected " + WORDS);
      }
      return new Counters(w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7], w[8], w[9]);
    }
  }

  private record Staged(int slot, int[] key, int[] value) {}

  /**
   * What the seal of the last APPEND did (what its duration depends on, {@link KvCacheSchedule}): the
   * exponent-table entry taken (the lowest free one) and, per sealed token oldest first, the beats of
   * its key and value records.
   */
  public record Seal(int entry, int[] keyBeats, int[] valueBeats) {}

  private final KvCacheLayout layout;
  private final KvQuantizer quant;
  private final KvEvictionModel eviction;
  private final int d;
  private final int g;

  private final byte[] memory;
  private final ArrayDeque<Staged> fullPrecision = new ArrayDeque<>();
  private final boolean[] sealed;
  private final int[] groupOf;
  private final int[] keyBeats;
  private final int[] valueBeats;
  private final int[][] exponents;
  private final int[] references;

  private int position;
  private long refusedPastContext;
  private Seal lastSeal;
  private long pruned;
  private long zeroCodes;
  private long storedCodes;
  private long bytesWritten;
  private long bytesRead;

  /**
   * @param layout sizes and widths
   * @param rope RoPE convention of the eviction state (the controller stores keys as given)
   */
  public KvCacheModel(KvCacheLayout layout, RopeConvention rope) {
    this.layout = layout;
    this.quant = layout.quantizer();
    this.eviction = new KvEvictionModel(layout.kv(), layout.probabilityBits(), layout.maxContext(), rope);
    this.d = layout.headDim();
    this.g = layout.groupSize();
    int c = layout.capacity();
    memory = new byte[Math.toIntExact(layout.memoryBytes())];
    sealed = new boolean[c];
    groupOf = new int[c];
    keyBeats = new int[c];
    valueBeats = new int[c];
    exponents = new int[layout.exponentTableEntries()][];
    references = new int[layout.exponentTableEntries()];
  }

  /** APPEND: the result words of {@link KvCacheOp} (outcome, slot, evicted position, position). */
  public long[] append(int[] key, int[] value) {
    checkVector("key", key);
    checkVector("value", value);
    int pos = position;
    lastSeal = null;
    if (pos >= layout.maxContext()) {
      // Past the model's positions: refused and flagged like a full FULL cache (the register saturates).
      refusedPastContext++;
      return new long[] {KvCacheOp.OUTCOME_REFUSED, -1, -1, pos};
    }
    position++;
    AppendResult r = eviction.append(pos);
    if (r.outcome() == Outcome.REFUSED) {
      return new long[] {KvCacheOp.OUTCOME_REFUSED, -1, -1, pos};
    }
    if (r.outcome() == Outcome.STORED_EVICTED) {
      for (Staged s : fullPrecision) {
        if (s.slot() == r.slot()) {
          throw new IllegalStateException("victim slot " + r.slot() + " is in the full-precision buffer");
        }
      }
      release(r.slot());
    }
    fullPrecision.addLast(new Staged(r.slot(), key.clone(), value.clone()));
    if (fullPrecision.size() == layout.fullPrecisionTokens()) {
      seal();
    }
    int outcome = r.outcome() == Outcome.STORED ? KvCacheOp.OUTCOME_STORED : KvCacheOp.OUTCOME_EVICTED;
    return new long[] {outcome, r.slot(), r.evictedPosition(), pos};
  }

  private void release(int slot) {
    if (sealed[slot]) {
      references[groupOf[slot]]--;
      sealed[slot] = false;
    }
  }

  private void seal() {
    Staged[] tokens = new Staged[g];
    for (int i = 0; i < g; i++) {
      tokens[i] = fullPrecision.removeFirst();
    }
    int entry = 0;
    while (references[entry] != 0) {
      entry++;
    }
    int[] e = new int[d];
    for (int c = 0; c < d; c++) {
      int maxMag = 0;
      for (Staged t : tokens) {
        maxMag = Math.max(maxMag, Math.abs(t.key()[c]));
      }
      e[c] = quant.exponentFor(Kind.KEY, maxMag);
    }
    exponents[entry] = e;
    references[entry] = g;
    int[] kBeats = new int[g];
    int[] vBeats = new int[g];
    int n = 0;
    for (Staged t : tokens) {
      int s = t.slot();
      BitWriter k = new BitWriter();
      int[] codes = new int[d];
      for (int c = 0; c < d; c++) {
        codes[c] = quant.codeOf(t.key()[c], e[c]);
        count(quant.isPruned(t.key()[c], e[c]), codes[c]);
        k.put(codes[c] != 0 ? 1 : 0, 1);
      }
      int kb = layout.kv().keyBits();
      for (int code : codes) {
        if (code != 0) {
          k.put(KvQuantizer.fieldOf(code, kb), kb);
        }
      }
      BitWriter v = new BitWriter();
      int vb = layout.kv().valueBits();
      for (Group grp : quant.quantizeValueToken(t.value())) {
        for (int i = 0; i < g; i++) {
          count(grp.pruned()[i], grp.codes()[i]);
        }
        v.put(grp.exponent(), layout.valueExponentBits());
        for (int code : grp.codes()) {
          v.put(code != 0 ? 1 : 0, 1);
        }
        for (int code : grp.codes()) {
          if (code != 0) {
            v.put(KvQuantizer.fieldOf(code, vb), vb);
          }
        }
      }
      keyBeats[s] = write(s * layout.keyStrideBytes(), k);
      valueBeats[s] = write(layout.valueBase() + s * layout.valueStrideBytes(), v);
      sealed[s] = true;
      groupOf[s] = entry;
      kBeats[n] = keyBeats[s];
      vBeats[n++] = valueBeats[s];
    }
    lastSeal = new Seal(entry, kBeats, vBeats);
  }

  private void count(boolean wasPruned, int code) {
    if (wasPruned) {
      pruned++;
    } else if (code == 0) {
      zeroCodes++;
    } else {
      storedCodes++;
    }
  }

  private int write(long address, BitWriter bits) {
    int beats = KvCacheLayout.beats(bits.length());
    int bytes = beats * KvCacheLayout.BUS_BITS / 8;
    Arrays.fill(memory, (int) address, (int) address + bytes, (byte) 0);
    byte[] b = bits.bytes();
    System.arraycopy(b, 0, memory, (int) address, b.length);
    bytesWritten += bytes;
    return beats;
  }

  /** SCORES: per slot {@code sum_c q_c * k'_c}, {@link KvCacheLayout#maskScore()} for empty slots. */
  public long[] scores(int[] query) {
    checkVector("query", query);
    long[] out = new long[layout.capacity()];
    boolean[] valid = eviction.validSlots();
    for (int s = 0; s < out.length; s++) {
      if (!valid[s]) {
        out[s] = layout.maskScore();
        continue;
      }
      int[] k = key(s);
      long sum = 0;
      for (int c = 0; c < d; c++) {
        sum += (long) query[c] * k[c];
      }
      out[s] = sum;
    }
    return out;
  }

  /**
   * CONTEXT: per channel {@code sum_s p_s * v'_s}; HEAVY_HITTER accumulates the row.
   *
   * @param probabilities one per slot of the layout (its capacity, as {@link #scores} gives), unsigned
   *     probabilityBits; an empty slot's entry is ignored (the controller neither reads nor scores
   *     it), as a softmax row leaves a masked slot at ~0
   */
  public long[] context(long[] probabilities) {
    if (probabilities.length != layout.capacity()) {
      throw new pimforge.params.ParamError("kvCache.probabilities", "has " + probabilities.length
          + " entries, allowed exactly " + layout.capacity() + " (one per slot)");
    }
    // The eviction state has budgetTokens slots; those at or above the capacity are never valid.
    boolean[] valid = eviction.validSlots();
    probabilities = Arrays.copyOf(probabilities, valid.length);
    for (int s = 0; s < probabilities.length; s++) {
      probabilities[s] = valid[s] ? probabilities[s] : 0;
    }
    eviction.accumulate(probabilities); // validates the ranges
    long[] out = new long[d];
    for (int s = 0; s < probabilities.length; s++) {
      if (probabilities[s] == 0) {
        continue;
      }
      int[] v = value(s);
      for (int c = 0; c < d; c++) {
        out[c] += probabilities[s] * v[c];
      }
    }
    return out;
  }

  /** The dequantized key of a valid slot (read from memory if sealed; counts the bytes). */
  public int[] key(int slot) {
    Staged st = staged(slot);
    if (st != null) {
      return st.key().clone();
    }
    BitReader r = read(slot * layout.keyStrideBytes(), keyBeats[slot]);
    int[] e = exponents[groupOf[slot]];
    boolean[] nz = new boolean[d];
    for (int c = 0; c < d; c++) {
      nz[c] = r.get(1) != 0;
    }
    int kb = layout.kv().keyBits();
    int[] k = new int[d];
    for (int c = 0; c < d; c++) {
      k[c] = nz[c] ? KvQuantizer.codeOfField(r.get(kb), kb) << e[c] : 0;
    }
    return k;
  }

  /** The dequantized value of a valid slot (read from memory if sealed; counts the bytes). */
  public int[] value(int slot) {
    Staged st = staged(slot);
    if (st != null) {
      return st.value().clone();
    }
    BitReader r = read(layout.valueBase() + slot * layout.valueStrideBytes(), valueBeats[slot]);
    int vb = layout.kv().valueBits();
    int[] v = new int[d];
    for (int j = 0; j < d / g; j++) {
      int e = (int) r.get(layout.valueExponentBits());
      boolean[] nz = new boolean[g];
      for (int i = 0; i < g; i++) {
        nz[i] = r.get(1) != 0;
      }
      for (int i = 0; i < g; i++) {
        v[j * g + i] = nz[i] ? KvQuantizer.codeOfField(r.get(vb), vb) << e : 0;
      }
    }
    return v;
  }

  private Staged staged(int slot) {
    if (!eviction.isValid(slot)) {
      throw new IllegalArgumentException("slot " + slot + " is empty");
    }
    for (Staged s : fullPrecision) {
      if (s.slot() == slot) {
        return s;
      }
    }
    return null;
  }

  private BitReader read(long address, int beats) {
    bytesRead += beats * (KvCacheLayout.BUS_BITS / 8L);
    return new BitReader(memory, (int) address);
  }

  /** COUNTERS: the event counters. */
  public Counters counters() {
    long refused = eviction.tokensRefused() + refusedPastContext;
    return new Counters(eviction.tokensAppended() + refusedPastContext, eviction.tokensEvicted(), refused, pruned,
        zeroCodes, storedCodes, bytesWritten, bytesRead, eviction.occupancy(), refused > 0 ? 1 : 0);
  }

  /** The external memory image (a copy). */
  public byte[] memory() {
    return memory.clone();
  }

  /** The eviction state (read-only use: slots, positions, scores). */
  public KvEvictionModel eviction() {
    return eviction;
  }

  public KvCacheLayout layout() {
    return layout;
  }

  /** The position register: the position the next appended token gets. */
  public int position() {
    return position;
  }

  /** The seal done by the last APPEND, or null if it sealed nothing (or was refused). */
  public Seal lastSeal() {
    return lastSeal;
  }

  /** Per slot: its token's records are in external memory (sealed), not in the full-precision buffer. */
  public boolean[] sealedSlots() {
    return sealed.clone();
  }

  /** Tokens now in the full-precision buffer. */
  public int fullPrecisionCount() {
    return fullPrecision.size();
  }

  private void checkVector(String what, int[] x) {
    if (x.length != d) {
      throw new IllegalArgumentException(what + " has " + x.length + " elements, expected headDim " + d);
    }
    int lo = -(1 << (layout.inputBits() - 1));
    int hi = (1 << (layout.inputBits() - 1)) - 1;
    for (int c = 0; c < d; c++) {
      Check.range("kvCache." + what + "[" + c + "]", x[c], lo, hi);
    }
  }

  /** LSB-first bit string. */
  private static final class BitWriter {
    private byte[] buf = new byte[16];
    private long length;

    void put(long value, int width) {
      for (int k = 0; k < width; k++, length++) {
        if ((length >>> 3) >= buf.length) {
          buf = Arrays.copyOf(buf, buf.length * 2);
        }
        if (((value >>> k) & 1) != 0) {
          buf[(int) (length >>> 3)] |= (byte) (1 << (length & 7));
        }
      }
    }

    long length() {
      return length;
    }

    byte[] bytes() {
      return Arrays.copyOf(buf, (int) ((length + 7) >>> 3));
    }
  }

  /** Reads an LSB-first bit string from memory. */
  private static final class BitReader {
    private final byte[] mem;
    private long at;

    BitReader(byte[] mem, int address) {
      this.mem = mem;
      this.at = (long) address * 8;
    }

    long get(int width) {
      long v = 0;
      for (int k = 0; k < width; k++, at++) {
        if (((mem[(int) (at >>> 3)] >>> (at & 7)) & 1) != 0) {
          v |= 1L << k;
        }
      }
      return v;
    }
  }
}
