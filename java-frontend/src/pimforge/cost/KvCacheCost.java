package pimforge.cost;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import pimforge.kvcache.KvCacheLayout;
import pimforge.kvcache.KvCacheModel;
import pimforge.kvcache.KvCacheSchedule;
import pimforge.kvcache.KvEvictionModel.RopeConvention;
import pimforge.kvcache.PlainSoftmax;
import pimforge.params.HwParams;

/**
 * The KV-cache controller's part of a decode step, for one layer and KV head, from a run of the
 * golden model ({@link KvCacheModel}) on synthetic data: a prefill up to context - G tokens, then G
 * decode steps measured (one seal falls in every G appends, so the average per step is exact for
 * the steady state), each an APPEND and, per query head of the KV head (numHeads / numKvHeads), a
 * SCORES and a CONTEXT. Cycles and on-chip events come from {@link KvCacheSchedule} (against the
 * co-simulation harness's memory latency), external-memory bytes from the model's counters (what the
 * hardware's counters count, KvCacheCosimTest).
 *
 * <ul>
 *   <li>{@link Kind#WORST_CASE}: no sparsity. Every K/V element at full magnitude, so nothing is
 *       pruned or quantized to zero and every record has its largest length, and every probability
 *       non-zero, so CONTEXT reads every slot.
 *   <li>{@link Kind#SYNTHETIC}: Gaussian K/V (standard deviation 2^(inputBits - 4), every 16th channel
 *       4x larger: key outliers are per channel) and the plain softmax of the actual scores
 *       ({@link PlainSoftmax}; probabilities that round to 0 are not read); seed fixed. Measured on
 *       that data, not on a real model's activations.
 * </ul>
 *
 * <p>Energy (pJ) per step: external memory bytes read and written at the table's DRAM figures
 * (dramEnergyModel); on-chip storage bits at bufferAccess_pJPerBit (the table's only on-chip buffer
 * energy, ISAAC's eDRAM); quantizer operations and dequantized entries each as an 8-bit add
 * (add8b_pJ, pimforge's assumption: a compare, a rounding add or a shift); a multiply-accumulate as
 * an 8-bit multiply plus a 32-bit add (mult32b when inputBits > 8); an H2O score addition as a 32-bit
 * add. Area: the controller's on-chip bits at sramCellArea_um2PerBit (cells only, no periphery).
 *
 * @param occupancy tokens cached at the end of the run
 * @param refused tokens FULL refused over the whole run (the hardware's overflow)
 * @param cyclesPerStep controller cycles per decode step (APPEND + queries x (SCORES + CONTEXT))
 * @param events on-chip events of one step (averaged: totals over the measured steps / steps)
 * @param storedFraction non-zero codes stored over entries sealed in the run
 * @param bytesPerSealedToken external-memory bytes written per sealed token over the whole run (its
 *     key and value records), NaN if nothing was sealed
 * @param energyPjPerStep by part (pJ per step)
 */
public record KvCacheCost(Kind kind, int context, int steps, int queriesPerKvHead, long occupancy, long refused,
    double cyclesPerStep, double dramBytesReadPerStep, double dramBytesWrittenPerStep, double[] events,
    double storedFraction, double bytesPerSealedToken, Map<String, Double> energyPjPerStep) {

  public enum Kind { WORST_CASE, SYNTHETIC }

  /** Names of {@link #events} (per step). */
  public static final String[] EVENT_NAMES = {"fullPrecisionBufferBits", "exponentTableBits", "slotTableBits",
      "quantizerOps", "dequantizedEntries", "multiplyAccumulates", "scoreAdds"};

  public double energyPjTotalPerStep() {
    return energyPjPerStep.values().stream().mapToDouble(Double::doubleValue).sum();
  }

  /** The controller's on-chip bits (slot table, full-precision buffer, exponent table). */
  public static long onChipBits(KvCacheLayout l) {
    return l.slotTableBits() + l.fullPrecisionBufferBits() + l.exponentTableBits();
  }

  /** Area of one controller's on-chip bits as SRAM cells (um^2). */
  public static double areaUm2(KvCacheLayout l, TechTable t) {
    return onChipBits(l) * t.get("sramCellArea_um2PerBit");
  }

  public static KvCacheCost of(HwParams p, TechTable t, int context, Kind kind) {
    KvCacheLayout lay = KvCacheLayout.of(p);
    KvCacheModel m = new KvCacheModel(lay, RopeConvention.ORIGINAL);
    KvCacheSchedule sch = KvCacheSchedule.of(lay);
    // With cam.enabled the CAM units score and sum V on chip: the controller only appends (no SCORES
    // or CONTEXT reads of the cache; the CAM's queries are charged with the layer program).
    int queries = p.cam().enabled() ? 0 : p.model().numHeads() / p.model().numKvHeads();
    int steps = Math.min(lay.groupSize(), context);
    Random rnd = new Random(20261130L);
    long sealedTokens = 0;
    for (int i = 0; i < context - steps; i++) {
      m.append(vector(lay, rnd, kind), vector(lay, rnd, kind));
      sealedTokens += m.lastSeal() == null ? 0 : lay.groupSize();
    }
    KvCacheModel.Counters before = m.counters();
    long cycles = 0;
    KvCacheSchedule.Events ev = KvCacheSchedule.Events.NONE;
    for (int s = 0; s < steps; s++) {
      m.append(vector(lay, rnd, kind), vector(lay, rnd, kind));
      cycles += sch.append(m.lastSeal());
      sealedTokens += m.lastSeal() == null ? 0 : lay.groupSize();
      ev = ev.plus(sch.appendEvents(m.lastSeal()));
      for (int q = 0; q < queries; q++) {
        boolean[] valid = m.eviction().validSlots();
        boolean[] sealed = m.sealedSlots();
        cycles += sch.scores(valid, sealed);
        ev = ev.plus(sch.scoresEvents(valid, sealed));
        long[] scores = m.scores(vector(lay, rnd, kind));
        long[] prob = new long[scores.length];
        if (kind == Kind.WORST_CASE) {
          for (int i = 0; i < prob.length; i++) {
            prob[i] = valid[i] ? 1 : 0;
          }
        } else {
          prob = PlainSoftmax.of(lay, scores);
        }
        cycles += sch.context(valid, sealed, prob);
        ev = ev.plus(sch.contextEvents(valid, sealed, prob));
        m.context(prob);
      }
    }
    KvCacheModel.Counters after = m.counters();
    double[] e = {ev.fullPrecisionBits(), ev.exponentTableBits(), ev.slotTableBits(), ev.quantizerOps(),
        ev.dequantizedEntries(), ev.multiplyAccumulates(), ev.scoreAdds()};
    for (int i = 0; i < e.length; i++) {
      e[i] /= steps;
    }
    double read = (after.bytesRead() - before.bytesRead()) / (double) steps;
    double written = (after.bytesWritten() - before.bytesWritten()) / (double) steps;
    long entries = after.pruned() + after.zeroCodes() + after.storedCodes();
    Map<String, Double> pj = new LinkedHashMap<>();
    boolean paper = t.choice("dramEnergyModel").equals("camformerPaper");
    pj.put("DRAM_READ", read * t.get(paper ? "dramPaper_pJPerByte" : "dramReadSst_pJPerByte"));
    pj.put("DRAM_WRITE", written * t.get(paper ? "dramPaper_pJPerByte" : "dramWriteSst_pJPerByte"));
    pj.put("ON_CHIP_BUFFERS", (e[0] + e[1] + e[2]) * t.get("bufferAccess_pJPerBit"));
    pj.put("QUANTIZER", e[3] * t.get("add8b_pJ"));
    pj.put("DEQUANTIZER", e[4] * t.get("add8b_pJ"));
    double mult = t.get(lay.inputBits() <= 8 ? "mult8b_pJ" : "mult32b_pJ");
    pj.put("MAC", e[5] * (mult + t.get("add32b_pJ")));
    pj.put("SCORE_ADDS", e[6] * t.get("add32b_pJ"));
    return new KvCacheCost(kind, context, steps, queries, after.occupancy(), after.refused(), cycles / (double) steps,
        read, written, e, entries == 0 ? 1 : after.storedCodes() / (double) entries,
        sealedTokens == 0 ? Double.NaN : after.bytesWritten() / (double) sealedTokens, pj);
  }

  private static int[] vector(KvCacheLayout lay, Random rnd, Kind kind) {
    int max = (1 << (lay.inputBits() - 1)) - 1;
    int[] x = new int[lay.headDim()];
    for (int c = 0; c < x.length; c++) {
      if (kind == Kind.WORST_CASE) {
        x[c] = rnd.nextBoolean() ? max : -max;
      } else {
        double sd = Math.scalb(1.0, lay.inputBits() - 4) * (c % 16 == 0 ? 4 : 1);
        x[c] = (int) Math.max(-max, Math.min(max, Math.round(rnd.nextGaussian() * sd)));
      }
    }
    return x;
  }
}
