package pimforge.report;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import pimforge.layer.LayerPlan;
import pimforge.layer.LayerSchedules;
import pimforge.layer.LayerStage;
import pimforge.layer.LayerTiming;
import pimforge.layer.ModelRegisters;
import pimforge.params.HwParams;

/**
 * The model top's section of report.md / report.json: layers, banks per layer and in total, the
 * chips the weights need at {@code bank.banks} banks per chip, cycles per stage of each layer (every
 * layer runs the same program shape on the same plan, so one layer's exact schedule is every
 * layer's), and the token throughput when consecutive sequences pipeline through the layers.
 */
public final class ModelReport {
  private ModelReport() {}

  /** Figures of the configured schedule. */
  record Figures(int layers, int banksPerLayer, long totalBanks, int banksPerChip, long chips, long layerCycles,
      int seqLen) {
    /** One sequence passes layer after layer (layer l+1 consumes layer l's output as it streams). */
    long sequenceCycles() {
      return layers * layerCycles;
    }

    /** With a new sequence entering layer 0 as soon as it is free, one sequence leaves every layerCycles. */
    double tokensPerCycle() {
      return (double) seqLen / layerCycles;
    }
  }

  static Figures figures(HwParams p, LayerPlan plan, LayerSchedules s) {
    int layers = p.model().numLayers();
    long total = (long) layers * plan.banks().size();
    int perChip = p.bank().banks();
    LayerTiming t = s.entry(s.configured()).layer();
    return new Figures(layers, plan.banks().size(), total, perChip, (total + perChip - 1) / perChip, t.cycles(),
        s.seqLen());
  }

  public static String markdown(HwParams p, LayerPlan plan, LayerSchedules s) {
    Figures f = figures(p, plan, s);
    LayerTiming t = s.entry(s.configured()).layer();
    StringBuilder b = new StringBuilder("## Model top\n\n");
    b.append(String.format(Locale.ROOT, "- %d layers, each stationary on its own layer top: %d banks per layer, "
        + "%d banks in total\n", f.layers(), f.banksPerLayer(), f.totalBanks()));
    if (f.chips() > 1) {
      b.append(String.format(Locale.ROOT, "- **needs %d chips** at bank.banks = %d banks per chip (%d layers per "
          + "chip); the RTL is the whole model as one netlist, to be partitioned at layer boundaries\n",
          f.chips(), f.banksPerChip(), Math.max(1, f.banksPerChip() / f.banksPerLayer())));
    } else {
      b.append(String.format(Locale.ROOT, "- fits one chip: %d of bank.banks = %d banks\n", f.totalBanks(),
          f.banksPerChip()));
    }
    b.append("- on the host: embedding lookup (token, position, type) and the final norm / pooling / LM head\n");
    b.append(String.format(Locale.ROOT, "- per layer (%s, %d tokens): %d cycles; one sequence through all layers: "
        + "%d cycles; pipelined sequences: %.4f tokens per cycle\n", s.configured(), f.seqLen(), f.layerCycles(),
        f.sequenceCycles(), f.tokensPerCycle()));
    b.append(String.format(Locale.ROOT, "- crossbar writes per layer run: %d weights\n", t.xbarWrites()));
    b.append("\n| stage | cycles per layer |\n| --- | ---: |\n");
    for (LayerStage st : LayerStage.values()) {
      b.append(String.format(Locale.ROOT, "| %s | %d |\n", st, t.stageCycles()[st.id()]));
    }
    b.append("\n### Model registers (AXI4-Lite, at MODEL_LAYERS << layer address bits)\n\n");
    b.append("| register | offset | access | meaning |\n| --- | --- | --- | --- |\n");
    for (var r : ModelRegisters.map(f.layers())) {
      b.append(String.format(Locale.ROOT, "| %s | 0x%02X | %s | %s |\n", r.name(), r.offset(), r.access(), r.meaning()));
    }
    return b.append('\n').toString();
  }

  public static void json(ObjectNode root, HwParams p, LayerPlan plan, LayerSchedules s) {
    Figures f = figures(p, plan, s);
    ObjectNode m = root.putObject("modelTop");
    m.put("layers", f.layers());
    m.put("banksPerLayer", f.banksPerLayer());
    m.put("banksTotal", f.totalBanks());
    m.put("banksPerChip", f.banksPerChip());
    m.put("chips", f.chips());
    m.put("layerCycles", f.layerCycles());
    m.put("sequenceCycles", f.sequenceCycles());
    m.put("pipelinedTokensPerCycle", f.tokensPerCycle());
    m.put("axilAddressBits", ModelRegisters.addressBits(plan, f.layers()));
  }
}
