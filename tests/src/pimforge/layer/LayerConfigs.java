package pimforge.layer;

import pimforge.config.HwConfigReader;
import pimforge.params.AttentionParams;
import pimforge.params.BankParams;
import pimforge.params.CrossbarParams;
import pimforge.params.HwParams;
import pimforge.params.ModelShape;

/** Small layer-top designs for tests: a 64-wide, 4-head encoder layer on 2x2 grids of 32x32 tiles. */
public final class LayerConfigs {
  private LayerConfigs() {}

  public static final ModelShape SMALL_MODEL = new ModelShape("layer-small", ModelShape.Family.ENCODER, 64, 4, 4,
      1, 128, 128, 1000, ModelShape.Norm.LAYERNORM, 1e-12, ModelShape.Activation.GELU, false, false);

  /** hidden 64, 4 heads, FFN 128, 16 tokens; 32x32 tiles, 4 lanes, 2x2 tiles per bank (64 x 64 banks). */
  public static HwParams small() {
    return HwConfigReader.defaults(SMALL_MODEL)
        .withCrossbar(new CrossbarParams(32, 32, 4))
        .withBank(new BankParams(2, 2, 4096))
        .withAttention(new AttentionParams(16, AttentionParams.Schedule.DECOMPOSED, 2));
  }

  public static String describe(HwParams p) {
    LayerPlan plan = LayerPlan.of(p);
    return String.format("hidden %d, ffn %d, seq %d, %dx%d tiles in %dx%d, %d banks, %d lanes x %d bits, %d scratch words",
        p.model().hiddenSize(), p.model().ffnSize(), p.attention().maxSeqLen(), p.crossbar().rows(),
        p.crossbar().cols(), p.bank().tileGridRows(), p.bank().tileGridCols(), plan.banks().size(), plan.lanes(),
        plan.elementBits(), plan.scratchWords());
  }
}
