package pimforge.report;

import java.util.Locale;
import pimforge.golden.BankSchedule;
import pimforge.mapping.AttentionWork;
import pimforge.params.AttentionParams;
import pimforge.mapping.MappingResult;
import pimforge.mapping.MatrixMapping;
import pimforge.params.HwParams;
import pimforge.params.ModelShape;

/** report.md: the human summary of a generated design. Deterministic (no timestamps). */
public final class MarkdownReport {
  private MarkdownReport() {}

  public static String text(MappingResult r, DesignId id) {
    return text(r, id, CHeader.hasLayers(id.top()) ? pimforge.layer.LayerSchedules.of(r.params()) : null);
  }

  /** As above with the layer schedules already computed (null for tops without layers). */
  public static String text(MappingResult r, DesignId id, pimforge.layer.LayerSchedules schedules) {
    HwParams p = r.params();
    ModelShape m = p.model();
    StringBuilder b = new StringBuilder();
    b.append(id.markdownHeader()).append("\n");
    b.append("# pimforge design `").append(id.folderName()).append("`\n\n");
    b.append("Top module `").append(id.top()).append("`, hash `").append(id.hash())
        .append("`, pimforge ").append(ToolVersion.VERSION).append(".\n\n");

    b.append("## Model\n\n");
    b.append(String.format(Locale.ROOT, "`%s`: %s, %d layers, hidden %d, %d heads x %d (%d KV heads), FFN %d%s, "
            + "%d positions, %s (%s), %s.\n\n",
        m.name(), m.family().name().toLowerCase(Locale.ROOT), m.numLayers(), m.hiddenSize(), m.numHeads(),
        m.headDim(), m.numKvHeads(), m.ffnSize(), m.gatedFfn() ? " gated" : "", m.maxPositions(),
        m.norm(), m.preNorm() ? "pre-norm" : "post-norm", m.activation()));
    b.append("Block features:\n\n");
    for (String feature : m.features().describe(m)) {
      b.append("- ").append(feature).append('\n');
    }
    for (String note : m.features().notes()) {
      b.append("- note: ").append(note).append('\n');
    }
    b.append('\n');

    b.append("## Hardware\n\n");
    b.append(String.format(Locale.ROOT, "- crossbar tile %d x %d, %d lanes; %d-bit weights over %d-bit cells "
            + "(%d slices x %d column group(s)), %d-bit inputs bit-serial\n",
        p.crossbar().rows(), p.crossbar().cols(), p.crossbar().lanes(), p.precision().weightBits(),
        p.precision().bitsPerCell(), p.precision().slices(), p.precision().columnGroups(), p.precision().inputBits()));
    b.append(String.format(Locale.ROOT, "- ADC %d bits, %s (lossless needs %d), %s signed scheme, %d-bit accumulator\n",
        p.precision().adcBits(), p.derived().adcLossless() ? "lossless" : p.precision().adcMode().name(),
        p.derived().adcLosslessBits(), p.precision().signedScheme(), p.derived().accumulatorBits()));
    b.append(String.format(Locale.ROOT, "- bank: %d x %d tiles (%d inputs x %d outputs); %d banks on the chip\n\n",
        p.bank().tileGridRows(), p.bank().tileGridCols(), p.derived().bankInputs(), p.derived().bankOutputs(),
        p.bank().banks()));

    if (r.storedLayers() == r.layers()) {
      b.append("## Mapping (one layer; all ").append(r.layers()).append(" layers are identical)\n\n");
    } else {
      b.append("## Mapping (one layer; ").append(r.layers()).append(" layers executed, sharing ")
          .append(r.storedLayers()).append(" stored weight set(s))\n\n");
    }
    matrixTable(b, r.perLayer());
    if (r.perLayer().stream().anyMatch(x -> x.copies() > 1)) {
      b.append("\nA row marked (xN experts) is one copy; the totals count all N.\n");
    }
    if (!r.oncePerModel().isEmpty()) {
      b.append("\nStored once per model, outside the layers:\n\n");
      matrixTable(b, r.oncePerModel());
    }

    b.append("\n## Totals (").append(r.layers()).append(" layers)\n\n");
    b.append(String.format(Locale.ROOT, "- weights mapped: %d (%d stored layer weight set(s)%s)\n", r.weights(),
        r.storedLayers(), r.oncePerModel().isEmpty() ? "" : " plus the matrices stored once"));
    b.append(String.format(Locale.ROOT, "- tiles: %d; cell utilisation %.2f %%; physical cells: %d\n",
        r.totalTiles(), 100 * r.cellUtilisation(), r.physicalCells()));
    b.append("- weights: ").append(bytes(r.weightBytes())).append('\n');
    b.append(String.format(Locale.ROOT, "- banks: %d needed, %d available: **%s**\n\n", r.banksNeeded(),
        r.banksAvailable(), r.fits() ? "fits" : "does not fit"));

    BankSchedule t = BankSchedule.of(p);
    b.append("## Bank timing (cycles, host never stalls; checked against Verilator)\n\n");
    b.append(String.format(Locale.ROOT, "- weight load: %d cycles per bank\n", t.weightLoadCycles()));
    b.append(String.format(Locale.ROOT,
        "- matrix-vector product: %d cycles = input load %d + compute %d + tile pipeline %d + drain %d\n\n",
        t.multiplyCycles(), t.inputLoadCycles(), t.computeCycles(), t.settleCycles(), t.drainCycles()));

    long tokens = p.attention().maxSeqLen();
    b.append("## Attention schedules (one layer, ").append(tokens).append(" tokens; configured: ")
        .append(p.attention().schedule()).append(")\n\n");
    b.append("| schedule | crossbar writes (entries) | cells programmed | writes wait for K/V projections | MACs |\n");
    b.append("| --- | ---: | ---: | --- | ---: |\n");
    for (AttentionParams.Schedule sched : AttentionParams.Schedule.values()) {
      AttentionWork w = AttentionWork.of(p, sched, tokens);
      b.append(String.format(Locale.ROOT, "| %s | %d | %d | %s | %d |\n", sched, w.writtenWeights(),
          w.writtenCells(), w.writesWaitForProjections() ? "yes" : "no (X is written at layer start)", w.macs()));
    }
    if (m.features().rope() != null) {
      b.append("\nRotary model: K is rotated after its projection, so Q K^T = (Q W_K^T) X^T no longer holds and "
          + "the DECOMPOSED figures do not apply; only STRAIGHTFORWARD does.\n");
    }
    b.append('\n');

    if (schedules != null) {
      pimforge.layer.LayerPlan plan = pimforge.layer.LayerPlan.of(p);
      if (id.top().equals(CHeader.MODEL_TOP)) {
        b.append(ModelReport.markdown(p, plan, schedules));
      }
      b.append(LayerReport.markdown(plan, schedules));
    }

    b.append("## KV cache\n\n");
    if (m.family() == ModelShape.Family.ENCODER) {
      b.append("Encoder: no KV cache.\n");
    } else {
      b.append(String.format(Locale.ROOT, "- %d-bit keys, %d-bit values, policy %s\n",
          p.kvCache().keyBits(), p.kvCache().valueBits(), p.kvCache().policy()));
      b.append(String.format(Locale.ROOT, "- at the budget (%d tokens): %s\n", r.kvCacheTokensAtBudget(),
          bytes(r.kvCacheBytesAtBudget())));
      b.append(String.format(Locale.ROOT, "- at maxPositions (%d tokens): %s\n", m.maxPositions(),
          bytes(r.kvCacheBytesAtMaxPositions())));
      b.append(String.format(Locale.ROOT, "- in fp16, at the budget: %s\n",
          bytes(pimforge.mapping.Mapper.kvCacheBytes(m, 16, 16, r.kvCacheTokensAtBudget()))));
      MappingReport.ControllerBytes c = MappingReport.ControllerBytes.of(p);
      b.append(c.error() != null ? "- KV-cache controller: not available for this kvCache section: " + c.error() + "\n"
          : String.format(Locale.ROOT, "- stored by the KV-cache controller (records of whole 8-byte beats with "
              + "bitmaps and exponents, worst case: nothing pruned): %d B per token and layer, %s for its %d slots per "
              + "layer and KV head\n", c.perTokenPerKvHead() * m.numKvHeads(), bytes(c.atCapacity()), c.capacity()));
    }
    return b.toString();
  }

  private static void matrixTable(StringBuilder b, java.util.List<MatrixMapping> matrices) {
    b.append("| matrix | in x out | tile grid | tiles | banks | cell use | weights |\n");
    b.append("| --- | --- | --- | ---: | ---: | ---: | ---: |\n");
    for (MatrixMapping x : matrices) {
      String name = x.copies() == 1 ? x.name() : x.name() + " (x" + x.copies() + " experts)";
      b.append(String.format(Locale.ROOT, "| %s | %d x %d | %d x %d | %d | %d | %.2f %% | %s |\n",
          name, x.inputs(), x.outputs(), x.tileGridRows(), x.tileGridCols(), x.tiles(), x.banks(),
          100 * x.cellUtilisation(), bytes(x.weightBytes())));
    }
  }

  /** Exact bytes plus a binary-unit figure for reading. */
  static String bytes(long n) {
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double v = n;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return u < 0 ? n + " B" : String.format(Locale.ROOT, "%d B (%.2f %s)", n, v, units[u]);
  }
}
