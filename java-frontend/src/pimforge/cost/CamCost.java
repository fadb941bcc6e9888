package pimforge.cost;

import java.util.LinkedHashMap;
import java.util.Map;
import pimforge.golden.cam.CamSchedule;
import pimforge.params.CamDerived;
import pimforge.params.CamParams;
import pimforge.params.HwParams;
import pimforge.params.ParamError;

/**
 * Cost of the CAM attention unit (RTL pimforge.hw.cam.CamAttention) for a design with
 * {@code cam.enabled}: the events of ONE query (one head) against the N = attention.maxSeqLen
 * resident keys, from the unit's derived numbers ({@link CamDerived}) and its structure, and the
 * events of writing one key (its CAM row, V row and, with re-scoring, full-precision key row). The
 * counts do not depend on the data (every row of every tile searched and converted, k survivors).
 * Cycles are the exact schedule's ({@link CamSchedule}, checked against Verilator).
 *
 * <p>Energy: counts x the technology table's cam* constants, derived from CAMformer's per-module
 * shares at its point (REFERENCE.md s.5; each constant's source says how), so at that point the
 * differences from CAMformer's 54.92 nJ come from the counts; the softmax as the layer model charges
 * it (2 multiplies and 2 adds of 32 bits per element of the row, SoftmaxSpec); stream bits at
 * router_pJPerBit (as the layer model's STREAM). No DRAM: the keys and V rows stay in the unit
 * between queries (CAMformer's 19.1 nJ per attention is DRAM).
 *
 * <p>Area: the V and key memories as SRAM cells (sramCellArea_um2PerBit, no periphery) and the
 * rowsPerTile match-line ADCs (ISAAC's table); the CAM cells and the logic have no area figure in the
 * table and are left out.
 *
 * @param query events of one query, by name ({@link #QUERY_EVENTS})
 * @param write events of writing one key, by name ({@link #WRITE_EVENTS})
 * @param queryPj energy of one query by module (pJ)
 * @param writePj energy of writing one key by module (pJ)
 */
public record CamCost(CamSchedule.Query cycles, long writeCycles, Map<String, Long> query, Map<String, Long> write,
    Map<String, Double> queryPj, Map<String, Double> writePj, long camBits, long valueBits, long keyMemoryBits,
    int matchAdcs, double sramAreaUm2, double adcAreaUm2) {

  /** CAMformer's published point (REFERENCE.md s.3, s.5): energy and cycles of one attention. */
  public static final double CAMFORMER_NJ = 54.92;
  public static final double CAMFORMER_DRAM_NJ = 19.1;
  public static final double CAMFORMER_ON_CHIP_NJ = 35.8;
  public static final long CAMFORMER_CYCLES = 721;

  /**
   * CAMformer's energy shares at its point (nJ), under the module names of {@link #queryPj}; their
   * sum (54.5) leaves 0.42 nJ of the 54.92 unattributed in REFERENCE.md (softmax among it).
   */
  public static final Map<String, Double> CAMFORMER_MODULES_NJ = orderedMap(
      "CAM_SEARCH", 4.2, "MATCH_ADC", 1.9, "TOP_PER_TILE", 0.8, "TOP_K_MERGE", 0.9, "VALUE_SRAM", 11.1,
      "KEY_SRAM", 7.3, "MAC", 9.2, "DRAM", CAMFORMER_DRAM_NJ);

  /**
   * Events of one query: tileSearches (T), camCellsSearched (T x rowsPerTile x cols), adcConversions
   * (T x rowsPerTile = N), perTileComparisons (2 stages: T x m argmax trees of rowsPerTile - 1, TileTopM),
   * mergeSteps (T), mergeComparisons (T x (2 k m + m (m - 1)), TopKMerge with m = perTileKeep),
   * softmaxElements (the padded row, softmaxBeats x softmax.lanes), valueBitsRead (k x d x valueBits),
   * keyBitsRead (re-scoring: k x d x keyBits), macs (k x d, twice with re-scoring), streamBitsIn (the
   * query's d/lanes beats), streamBitsOut (the answer's beats).
   */
  public static final String[] QUERY_EVENTS = {"tileSearches", "camCellsSearched", "adcConversions",
      "perTileComparisons", "mergeSteps", "mergeComparisons", "softmaxElements", "valueBitsRead", "keyBitsRead", "macs",
      "streamBitsIn", "streamBitsOut"};

  /** Events of writing one key: camCellsWritten (d), valueBitsWritten (d x valueBits), keyBitsWritten (re-scoring: d x keyBits), streamBitsIn (the write packet). */
  public static final String[] WRITE_EVENTS = {"camCellsWritten", "valueBitsWritten", "keyBitsWritten", "streamBitsIn"};

  public static CamCost of(HwParams p, TechTable t) {
    CamDerived d = p.camDerived();
    if (d == null) {
      throw new ParamError("cam.enabled", "is false, allowed true (the CAM attention unit's cost)");
    }
    CamParams c = p.cam();
    long n = d.keys();
    long hd = d.headDim();
    long k = c.topK();
    long r = c.rowsPerTile();
    long m = d.perTileKeep();
    long tiles = d.tiles();
    long lanes = c.lanes();
    Map<String, Long> q = new LinkedHashMap<>();
    q.put("tileSearches", tiles);
    q.put("camCellsSearched", tiles * r * c.cols());
    q.put("adcConversions", n);
    q.put("perTileComparisons", c.stages() == 2 ? tiles * m * (r - 1) : 0);
    q.put("mergeSteps", tiles);
    q.put("mergeComparisons", tiles * (2 * k * m + m * (m - 1)));
    q.put("softmaxElements", (long) d.softmaxBeats() * p.softmax().lanes());
    q.put("valueBitsRead", k * hd * c.valueBits());
    q.put("keyBitsRead", c.rescore() ? k * hd * c.keyBits() : 0);
    q.put("macs", k * hd * (c.rescore() ? 2 : 1));
    q.put("streamBitsIn", (1L + d.elementBeats()) * lanes * d.inBits()); // row-limit header + query
    q.put("streamBitsOut", d.outBeats() * lanes * d.outBits());
    Map<String, Long> w = new LinkedHashMap<>();
    w.put("camCellsWritten", hd);
    w.put("valueBitsWritten", hd * c.valueBits());
    w.put("keyBitsWritten", c.rescore() ? hd * c.keyBits() : 0);
    w.put("streamBitsIn", d.writeBeats() * lanes * d.inBits());

    double router = t.get("router_pJPerBit");
    double keySram = t.get("camKeySram_pJPerBit");
    double valueSram = t.get("camValueSram_pJPerBit");
    Map<String, Double> qe = new LinkedHashMap<>();
    qe.put("CAM_SEARCH", q.get("camCellsSearched") * t.get("camSearch_fJPerBit") / 1000);
    qe.put("MATCH_ADC", q.get("adcConversions") * matchAdcPj(t, c.matchAdcBits()));
    qe.put("TOP_PER_TILE", q.get("perTileComparisons") * t.get("camTopPerTileCompare_pJ"));
    qe.put("TOP_K_MERGE", q.get("mergeComparisons") * t.get("camTopKMergeCompare_pJ"));
    qe.put("SOFTMAX", q.get("softmaxElements") * 2 * (t.get("mult32b_pJ") + t.get("add32b_pJ")));
    qe.put("VALUE_SRAM", q.get("valueBitsRead") * valueSram);
    qe.put("KEY_SRAM", q.get("keyBitsRead") * keySram);
    qe.put("MAC", q.get("macs") * t.get("camMac_pJ"));
    qe.put("STREAM", (q.get("streamBitsIn") + q.get("streamBitsOut")) * router);
    Map<String, Double> we = new LinkedHashMap<>();
    we.put("CAM_WRITE", w.get("camCellsWritten") * t.get("camWrite_fJPerBit") / 1000);
    we.put("VALUE_SRAM", w.get("valueBitsWritten") * valueSram);
    we.put("KEY_SRAM", w.get("keyBitsWritten") * keySram);
    we.put("STREAM", w.get("streamBitsIn") * router);

    long camBits = n * c.cols();
    long vBits = n * hd * c.valueBits();
    long kBits = c.rescore() ? n * hd * c.keyBits() : 0;
    int adcs = c.rowsPerTile();
    return new CamCost(CamSchedule.query(p), CamSchedule.writeCycles(p), q, w, qe, we, camBits, vBits, kBits, adcs,
        (vBits + kBits) * t.get("sramCellArea_um2PerBit"), adcs * AdcCosts.areaUm2(t, c.matchAdcBits()));
  }

  /** One match-line conversion at {@code bits}: CAMformer's 6-bit figure scaled by ISAAC's table. */
  static double matchAdcPj(TechTable t, int bits) {
    return t.get("camMatchAdc6b_pJ") * AdcCosts.energyPj(t, "isaac", bits) / AdcCosts.energyPj(t, "isaac", 6);
  }

  /** Energy of one query (pJ). */
  public double queryPjTotal() {
    return queryPj.values().stream().mapToDouble(Double::doubleValue).sum();
  }

  /**
   * Energy of one query inside the layer top (pJ): without STREAM, since there the packets move
   * between the scratchpad and the unit and the layer model charges those words (SCRATCH_*).
   */
  public double queryPjInLayer() {
    return queryPjTotal() - queryPj.get("STREAM");
  }

  /** Energy of writing one key inside the layer top (pJ), without STREAM (see {@link #queryPjInLayer}). */
  public double writePjInLayer() {
    return writePjTotal() - writePj.get("STREAM");
  }

  /** Energy of writing one key (pJ). */
  public double writePjTotal() {
    return writePj.values().stream().mapToDouble(Double::doubleValue).sum();
  }

  private static Map<String, Double> orderedMap(Object... kv) {
    Map<String, Double> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], (Double) kv[i + 1]);
    }
    return java.util.Collections.unmodifiableMap(m);
  }
}
