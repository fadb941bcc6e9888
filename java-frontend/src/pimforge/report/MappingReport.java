package pimforge.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import pimforge.golden.BankSchedule;
import pimforge.mapping.AttentionWork;
import pimforge.mapping.Mapper;
import pimforge.params.AttentionParams;
import pimforge.mapping.MappingResult;
import pimforge.mapping.MatrixMapping;
import pimforge.params.HwParams;
import pimforge.params.ModelShape;

/** report.json: the mapper's result; every key names its unit. Deterministic (no timestamps). */
public final class MappingReport {
  private MappingReport() {}

  public static ObjectNode tree(MappingResult r, DesignId id) {
    return tree(r, id, CHeader.hasLayers(id.top()) ? pimforge.layer.LayerSchedules.of(r.params()) : null);
  }

  /** As above with the layer schedules already computed (null for tops without layers). */
  public static ObjectNode tree(MappingResult r, DesignId id, pimforge.layer.LayerSchedules schedules) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    HwParams p = r.params();
    ModelShape m = p.model();
    ObjectNode root = f.objectNode();
    root.put("hash", id.hash());
    root.put("toolVersion", ToolVersion.VERSION);
    root.put("design", id.name());
    root.put("top", id.top());

    ObjectNode model = root.putObject("model");
    model.put("name", m.name());
    model.put("family", m.family().name());
    model.put("hiddenSize", m.hiddenSize());
    model.put("numHeads", m.numHeads());
    model.put("numKvHeads", m.numKvHeads());
    model.put("headDim", m.headDim());
    model.put("numLayers", m.numLayers());
    model.put("ffnSize", m.ffnSize());
    model.put("gatedFfn", m.gatedFfn());
    model.put("maxPositionsTokens", m.maxPositions());
    model.put("qDim", m.qDim());
    model.put("storedLayers", m.storedLayers());
    model.set("features", CanonicalJson.sorted(CanonicalJson.MAPPER.valueToTree(m.features())));
    ArrayNode described = model.putArray("blockFeatures");
    m.features().describe(m).forEach(described::add);

    ObjectNode hw = root.putObject("hardware");
    hw.put("crossbarRows", p.crossbar().rows());
    hw.put("crossbarCols", p.crossbar().cols());
    hw.put("lanes", p.crossbar().lanes());
    hw.put("weightBits", p.precision().weightBits());
    hw.put("inputBits", p.precision().inputBits());
    hw.put("bitsPerCell", p.precision().bitsPerCell());
    hw.put("adcBits", p.precision().adcBits());
    hw.put("adcLossless", p.derived().adcLossless());
    hw.put("tilesPerBank", p.bank().tilesPerBank());
    hw.put("banksAvailable", r.banksAvailable());

    ObjectNode mapping = root.putObject("mapping");
    mapping.put("note", "all layers have the same matrix shapes; rows are one layer (one copy each), totals multiply "
        + "by copies and storedLayers and add the matrices stored once per model");
    mapping.put("layers", r.layers());
    mapping.put("storedLayers", r.storedLayers());
    ArrayNode rows = mapping.putArray("matricesPerLayer");
    matrixRows(rows, r.perLayer());
    matrixRows(mapping.putArray("matricesOncePerModel"), r.oncePerModel());

    ObjectNode t = root.putObject("totals");
    t.put("weights", r.weights());
    t.put("tiles", r.totalTiles());
    t.put("banksNeeded", r.banksNeeded());
    t.put("banksAvailable", r.banksAvailable());
    t.put("fits", r.fits());
    t.put("weightBytes", r.weightBytes());
    t.put("physicalCells", r.physicalCells());
    t.put("cellUtilisationPercent", percent(r.cellUtilisation()));

    BankSchedule schedule = BankSchedule.of(p);
    ObjectNode timing = root.putObject("bankTiming");
    timing.put("note", "one bank transaction, host never stalls; checked against Verilator");
    timing.put("weightLoadCycles", schedule.weightLoadCycles());
    timing.put("multiplyCycles", schedule.multiplyCycles());
    timing.put("inputLoadCycles", schedule.inputLoadCycles());
    timing.put("computeCycles", schedule.computeCycles());
    timing.put("tilePipelineCycles", schedule.settleCycles());
    timing.put("drainCycles", schedule.drainCycles());

    ObjectNode attention = root.putObject("attentionSchedules");
    attention.put("tokens", p.attention().maxSeqLen());
    attention.put("configured", p.attention().schedule().name());
    for (AttentionParams.Schedule sched : AttentionParams.Schedule.values()) {
      AttentionWork w = AttentionWork.of(p, sched, p.attention().maxSeqLen());
      ObjectNode o = attention.putObject(sched.name().toLowerCase(java.util.Locale.ROOT));
      o.put("crossbarWriteEntries", w.writtenWeights());
      o.put("crossbarWriteCells", w.writtenCells());
      o.put("writesWaitForProjections", w.writesWaitForProjections());
      o.put("macs", w.macs());
    }

    ObjectNode kv = root.putObject("kvCache");
    kv.put("policy", p.kvCache().policy().name());
    kv.put("keyBits", p.kvCache().keyBits());
    kv.put("valueBits", p.kvCache().valueBits());
    kv.put("budgetTokens", p.kvCache().budgetTokens());
    kv.put("kvCacheTokensAtBudget", r.kvCacheTokensAtBudget());
    kv.put("kvCacheBytesAtBudget", r.kvCacheBytesAtBudget());
    kv.put("kvCacheBytesAtMaxPositions", r.kvCacheBytesAtMaxPositions());
    if (p.model().family() != pimforge.params.ModelShape.Family.ENCODER) {
      kv.put("fp16BytesAtBudget", Mapper.kvCacheBytes(p.model(), 16, 16, r.kvCacheTokensAtBudget()));
      ControllerBytes c = ControllerBytes.of(p);
      ObjectNode ctl = kv.putObject("controller");
      if (c.error() != null) {
        ctl.put("notAvailable", c.error());
      } else {
        ctl.put("capacitySlots", c.capacity());
        ctl.put("recordBytesPerTokenPerKvHead", c.perTokenPerKvHead());
        ctl.put("bytesPerTokenPerLayerWorstCase", c.perTokenPerKvHead() * p.model().numKvHeads());
        ctl.put("bytesAtCapacityWorstCase", c.atCapacity());
      }
    }
    if (schedules != null) {
      pimforge.layer.LayerPlan plan = pimforge.layer.LayerPlan.of(p);
      LayerReport.json(root, plan, schedules);
      if (id.top().equals(CHeader.MODEL_TOP)) {
        ModelReport.json(root, p, plan, schedules);
      }
    }
    return root;
  }

  private static void matrixRows(ArrayNode rows, java.util.List<MatrixMapping> matrices) {
    for (MatrixMapping x : matrices) {
      ObjectNode o = rows.addObject();
      o.put("name", x.name());
      o.put("inputs", x.inputs());
      o.put("outputs", x.outputs());
      o.put("copies", x.copies());
      o.put("tileGridRows", x.tileGridRows());
      o.put("tileGridCols", x.tileGridCols());
      o.put("tiles", x.tiles());
      o.put("banks", x.banks());
      o.put("cellUtilisationPercent", percent(x.cellUtilisation()));
      o.put("weightBytes", x.weightBytes());
      o.put("physicalCells", x.physicalCells());
    }
  }

  public static String text(MappingResult r, DesignId id) {
    return CanonicalJson.pretty(tree(r, id));
  }

  public static String text(MappingResult r, DesignId id, pimforge.layer.LayerSchedules schedules) {
    return CanonicalJson.pretty(tree(r, id, schedules));
  }

  /** Percent with two decimals, so reports do not carry float noise. */
  static double percent(double fraction) {
    return Math.round(fraction * 10000.0) / 100.0;
  }

  /**
   * What the KV-cache controller stores (pimforge.kvcache.KvCacheLayout): per token and KV head its
   * key and value records at their largest (whole 8-byte beats, no sparsity), and that for every
   * slot of every layer and KV head; or why the kvCache section does not fit the model.
   */
  record ControllerBytes(int capacity, long perTokenPerKvHead, long atCapacity, String error) {
    static ControllerBytes of(pimforge.params.HwParams p) {
      try {
        pimforge.kvcache.KvCacheLayout l = pimforge.kvcache.KvCacheLayout.of(p);
        long t = l.keyRecordMaxBytes() + l.valueRecordMaxBytes();
        return new ControllerBytes(l.capacity(), t,
            t * l.capacity() * p.model().numKvHeads() * (long) p.model().numLayers(), null);
      } catch (pimforge.params.ParamError e) {
        return new ControllerBytes(0, 0, 0, e.getMessage());
      }
    }
  }
}
