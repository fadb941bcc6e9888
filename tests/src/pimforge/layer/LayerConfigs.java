package pimforge.layer;

import pimforge.config.HwConfigReader;
import pimforge.params.AttentionParams;
import pimforge.params.BankParams;
import pimforge.params.CrossbarParams;
import pimforge.params.HwParams;
import pimforge.params.ModelShape;

/** Small layer-top designs for tests: a 16-wide, 2-head encoder layer on 2x2 grids of 8x8 tiles. */
public final class LayerConfigs {
  private LayerConfigs() {}

  public static final ModelShape SMALL_MODEL = new ModelShape("layer-small", ModelShape.Family.ENCODER, 16, 2, 2,
      1, 32, 128, 1000, ModelShape.Norm.LAYERNORM, 1e-12, ModelShape.Activation.GELU, false, false);

  /** hidden 16, 2 heads, FFN 32, 8 tokens; 8x8 tiles, 4 lanes, 2x2 tiles per bank (16 x 16 banks). */
  public static HwParams small() {
    return HwConfigReader.defaults(SMALL_MODEL)
        .withCrossbar(new CrossbarParams(8, 8, 4))
        .withBank(new BankParams(2, 2, 4096))
        .withAttention(new AttentionParams(8, AttentionParams.Schedule.DECOMPOSED, 2));
  }

  public static String describe(HwParams p) {
    LayerPlan plan = LayerPlan.of(p);
    return String.format(
        "hidden %d, ffn %d, seq %d, %dx%d tiles in %dx%d, %d banks, %d lanes x %d bits, %d scratch words",
        p.model().hiddenSize(), p.model().ffnSize(), p.attention().maxSeqLen(), p.crossbar().rows(),
        p.crossbar().cols(), p.bank().tileGridRows(), p.bank().tileGridCols(), plan.banks().size(), plan.lanes(),
        plan.elementBits(), plan.scratchWords());
  }
}
