package pimforge.kvcache;

import pimforge.ports.StreamPorts;

/**
 * Exact cycles of each KV-cache controller command (RTL pimforge.hw.kvcache.KvCacheController),
 * derived from its state machine, as a function of the layout and of the golden model's state and
 * decisions: whether an APPEND sealed (which exponent-table entry, how many beats each record took),
 * which slots are valid and sealed, which probabilities are zero.
 *
 * <p>Cycles are counted as the co-simulation harness counts them: from the clock edge that accepts
 * the command through the edge that hands over the last result beat, with a host that never stalls
 * (input beats offered and results taken every cycle) and an AXI4 memory that never stalls: AWREADY
 * and WREADY at once, BVALID the cycle after the last W beat, RVALID {@code readLatency} cycles after
 * the AR handshake and then every cycle.
 *
 * <p>Per state (d head dimension, G group size, L lanes, VB = ceil(d / L), cap slots):
 * <ul>
 *   <li>APPEND: command 1, key and value beats 2 VB, eviction scan cap (always the whole slot table),
 *       decision 1; if the buffer reaches R tokens, the seal: finding the lowest free exponent-table
 *       entry e + 1, key exponents d G (one element per cycle), table write 1, then per token: key
 *       bitmap d, key codes d, flush 1, key write (beats + 2: AW, W beats, B), per value group
 *       (exponent G, push 1, bitmap G, codes G), flush 1, value write (beats + 2), next 1; then the
 *       result packet.
 *   <li>SCORES: command 1, query VB, per slot: start 1 and end 1, plus d for a valid unsealed slot
 *       (full-precision buffer), plus 1 (AR) + readLatency + 1 (first beat) + d (bitmap) + d (codes)
 *       for a sealed one; the last score beat leaves 1 cycle after the last slot.
 *   <li>CONTEXT: command 1, per beat of probabilities 2 (a start cycle that finds no beat, the beat),
 *       per slot start 1 and end 1, plus for a valid slot with p != 0: d if unsealed, 1 + readLatency
 *       + 1 + d / G (exponents) + 2 d (bitmaps, codes) if sealed; then the context packet.
 *   <li>A packet of W words (APPEND result, context, counters): W + ceil(W / L): one word per cycle,
 *       and the output register blocks the cycle in which a full beat leaves.
 *   <li>COUNTERS: command 1 and the packet.
 * </ul>
 *
 * <p>Cheap RTL improvements this exposes (not made): the scan visits every slot even while a free
 * slot exists and the cache is not full (the lowest free slot is known from occupancy while
 * filling; SLIDING_WINDOW's victim is a ring pointer), so each APPEND spends cap cycles; the
 * per-channel key maximum of a seal (d G cycles) could be kept as a running maximum while tokens
 * are appended; a sealed slot's AR could be issued while the previous slot is decoded, hiding
 * readLatency + 2 cycles per sealed slot; a probability beat costs a wasted start cycle; the output
 * register could accept a new word in the cycle its beat leaves (ceil(W / L) cycles per packet).
 *
 * @param layout sizes and widths
 * @param readLatency the memory's read latency (the harness's: {@link StreamPorts#HARNESS_READ_LATENCY})
 */
public record KvCacheSchedule(KvCacheLayout layout, int readLatency) {

  /**
   * On-chip events of one command, counted from the same state walk as its cycles: bits read or
   * written in each on-chip storage ({@link KvCacheLayout#fullPrecisionBufferBits()},
   * {@link KvCacheLayout#exponentTableBits()}, {@link KvCacheLayout#slotTableBits()}), quantizer
   * operations (a seal evaluates every element of its G tokens three times: the group maximum, the
   * code in the bitmap pass, the code again in the codes pass), dequantized entries (every entry of
   * a sealed record read), multiply-accumulates (q k' per channel of a valid slot, p v' per channel
   * of a slot read) and H2O score additions. External-memory bytes are the golden model's counters.
   */
  public record Events(long fullPrecisionBits, long exponentTableBits, long slotTableBits, long quantizerOps,
      long dequantizedEntries, long multiplyAccumulates, long scoreAdds) {
    public static final Events NONE = new Events(0, 0, 0, 0, 0, 0, 0);

    public Events plus(Events o) {
      return new Events(fullPrecisionBits + o.fullPrecisionBits, exponentTableBits + o.exponentTableBits,
          slotTableBits + o.slotTableBits, quantizerOps + o.quantizerOps, dequantizedEntries + o.dequantizedEntries,
          multiplyAccumulates + o.multiplyAccumulates, scoreAdds + o.scoreAdds);
    }
  }

  /** The schedule against the co-simulation harness's memory model. */
  public static KvCacheSchedule of(KvCacheLayout layout) {
    return new KvCacheSchedule(layout, StreamPorts.HARNESS_READ_LATENCY);
  }

  private int d() {
    return layout.headDim();
  }

  /** Cycles of a result packet of {@code words} words: one per word plus one per beat leaving. */
  public long packetCycles(int words) {
    return words + (words + layout.lanes() - 1) / layout.lanes();
  }

  /** An AXI4 write burst of {@code beats} beats: AW, the W beats, B. */
  public static long writeCycles(int beats) {
    return beats + 2L;
  }

  /** Cycles from the AR handshake to the first record bit usable: AR, latency, first R beat. */
  public long readStartCycles() {
    return 1L + readLatency + 1;
  }

  /** APPEND without a seal (stored, evicted or refused). */
  public long appendCycles() {
    return 1 + 2L * layout.vectorBeats(d()) + layout.capacity() + 1
        + packetCycles(KvCacheLayout.APPEND_RESULT_WORDS);
  }

  /** The seal of G tokens described by {@code s}. */
  public long sealCycles(KvCacheModel.Seal s) {
    int g = layout.groupSize();
    long c = s.entry() + 1L + (long) d() * g + 1;
    for (int t = 0; t < g; t++) {
      c += 2L * d() + 1 + writeCycles(s.keyBeats()[t]);
      c += (long) (d() / g) * (3L * g + 1) + 1 + writeCycles(s.valueBeats()[t]);
      c += 1;
    }
    return c;
  }

  /** APPEND, given the seal it did (null for none: {@link KvCacheModel#lastSeal()}). */
  public long append(KvCacheModel.Seal seal) {
    return appendCycles() + (seal == null ? 0 : sealCycles(seal));
  }

  /** SCORES over the slots as they are ({@link KvCacheModel#eviction()} valid slots, sealed slots). */
  public long scores(boolean[] valid, boolean[] sealed) {
    long c = 1L + layout.vectorBeats(d());
    for (int s = 0; s < layout.capacity(); s++) {
      c += 2;
      if (valid[s]) {
        c += sealed[s] ? readStartCycles() + 2L * d() : d();
      }
    }
    return c + 1;
  }

  /** CONTEXT with probabilities {@code p} (one per slot). */
  public long context(boolean[] valid, boolean[] sealed, long[] p) {
    long c = 1L + 2L * layout.vectorBeats(layout.capacity());
    for (int s = 0; s < layout.capacity(); s++) {
      c += 2;
      if (valid[s] && p[s] != 0) {
        c += sealed[s] ? readStartCycles() + d() / layout.groupSize() + 2L * d() : d();
      }
    }
    return c + packetCycles(d());
  }

  /** COUNTERS. */
  public long counters() {
    return 1 + packetCycles(KvCacheModel.Counters.WORDS);
  }

  /**
   * APPEND's events: the key and value beats written into the buffer, the scan reading every slot
   * entry and the decision writing one; a seal reads its G tokens' 2 d elements three times (per
   * channel maximum and exponents, bitmap pass, codes pass), writes one exponent-table entry and G
   * slot entries.
   */
  public Events appendEvents(KvCacheModel.Seal seal) {
    long slot = layout.slotEntryBits();
    long beatBits = (long) layout.vectorBeats(d()) * layout.lanes() * layout.inputBits();
    Events e = new Events(2 * beatBits, 0, (layout.capacity() + 1L) * slot, 0, 0, 0, 0);
    if (seal == null) {
      return e;
    }
    long g = layout.groupSize();
    long elements = 2L * d() * g;
    return e.plus(new Events(3 * elements * layout.inputBits(),
        (long) d() * layout.keyExponentBits() + layout.exponentRefBits(), g * slot, 3 * elements, 0, 0, 0));
  }

  /** SCORES' events: every slot entry read; per valid slot d MACs on the buffer's key or the record's dequantized one (with d key exponents). */
  public Events scoresEvents(boolean[] valid, boolean[] sealed) {
    Events e = new Events(0, 0, (long) layout.capacity() * layout.slotEntryBits(), 0, 0, 0, 0);
    for (int s = 0; s < layout.capacity(); s++) {
      if (valid[s]) {
        e = e.plus(sealed[s] ? new Events(0, (long) d() * layout.keyExponentBits(), 0, 0, d(), d(), 0)
            : new Events((long) d() * layout.inputBits(), 0, 0, 0, 0, d(), 0));
      }
    }
    return e;
  }

  /** CONTEXT's events: every slot entry read (H2O: its score written back); per slot read d MACs. */
  public Events contextEvents(boolean[] valid, boolean[] sealed, long[] p) {
    boolean hh = layout.slotScoreBits() > 0;
    Events e = new Events(0, 0, (long) layout.capacity() * layout.slotEntryBits(), 0, 0, 0, 0);
    for (int s = 0; s < layout.capacity(); s++) {
      if (valid[s] && hh) {
        e = e.plus(new Events(0, 0, layout.slotScoreBits(), 0, 0, 0, 1));
      }
      if (valid[s] && p[s] != 0) {
        e = e.plus(sealed[s] ? new Events(0, 0, 0, 0, d(), d(), 0)
            : new Events((long) d() * layout.inputBits(), 0, 0, 0, 0, d(), 0));
      }
    }
    return e;
  }

  /** SCORES against the model's present state. */
  public long scores(KvCacheModel m) {
    return scores(m.eviction().validSlots(), m.sealedSlots());
  }

  /** CONTEXT against the model's present state (call before {@link KvCacheModel#context}; it does not change which slots are valid or sealed). */
  public long context(KvCacheModel m, long[] p) {
    return context(m.eviction().validSlots(), m.sealedSlots(), p);
  }
}
