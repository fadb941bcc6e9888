package pimforge.sfu;

import java.util.List;
import pimforge.params.HwParams;
import pimforge.params.ModelShape;
import pimforge.params.SfuParams;

/** SFU designs that the RTL checks (Verilator lint, Yosys synthesis) cover: every activation and norm. */
public final class SfuRtlDesigns {
  private SfuRtlDesigns() {}

  public static String describe(HwParams p) {
    return SfuConfigs.describe(p);
  }

  public static List<HwParams> designs() {
    return List.of(SfuConfigs.layerNormGelu(),
        SfuConfigs.of(SfuConfigs.model("sfu-rms-silu-2", 16, ModelShape.Norm.RMSNORM, ModelShape.Activation.SILU),
            new SfuParams(2, 24, 8, 4, 12, 12, 32, 12, 18, 5, 14, 12, 10)),
        SfuConfigs.of(SfuConfigs.model("sfu-relu", 16, ModelShape.Norm.LAYERNORM, ModelShape.Activation.RELU),
            new SfuParams(4, 16, 8, 3, 8, 8, 16, 8, 12, 3, 10, 8, 6)));
  }
}
