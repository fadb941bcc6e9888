package pimforge.sfu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import pimforge.config.HwConfigReader;
import pimforge.model.ModelPresets;
import pimforge.params.ModelShape;
import pimforge.params.ParamError;
import pimforge.params.SfuDerived;
import pimforge.params.SfuParams;

/** SFU parameter validation: defaults fit the presets, and every bad value names its field. */
class SfuParamsTest {
  private static SfuParams with(int lanes, int lutEntries, int normBits, int rsqrtBits) {
    SfuParams d = SfuParams.DEFAULT;
    return new SfuParams(lanes, d.accBits(), d.actBits(), d.actFracBits(), d.multiplierBits(), d.residualBits(),
        lutEntries, d.lutBits(), normBits, d.rsqrtLutBits(), rsqrtBits, d.gammaBits(), d.gammaFracBits());
  }

  @Test
  void defaultsFitEveryPreset() {
    for (String name : ModelPresets.names()) {
      ModelShape m = ModelPresets.get(name).orElseThrow();
      SfuDerived d = HwConfigReader.defaults(m).sfuDerived();
      assertEquals(m.hiddenSize(), d.vectorLength(), name);
      assertEquals(m.activation(), d.activation(), name);
      assertEquals(m.norm(), d.norm(), name);
    }
    SfuDerived tiny = HwConfigReader.defaults(ModelPresets.get("tiny").orElseThrow()).sfuDerived();
    assertEquals(8, tiny.normBeats()); // sfu.lanes follows crossbar.lanes (8): 64 / 8
    assertEquals(4, tiny.lutStepBits()); // 1024 segments over 2^14 inputs (14.7)
    assertEquals(1024, tiny.lutMinEntries());
    SfuDerived minilm = HwConfigReader.defaults(ModelPresets.get("all-minilm-l6-v2").orElseThrow()).sfuDerived();
    assertEquals(48, minilm.normBeats()); // 384 / 8
  }

  private static ParamError fails(SfuParams s) {
    return assertThrows(ParamError.class, () -> SfuConfigs.of(SfuConfigs.model("m", 64,
        ModelShape.Norm.LAYERNORM, ModelShape.Activation.GELU), s));
  }

  @Test
  void lutTooSmallForThePrecisionIsAnError() {
    ParamError e = fails(with(4, 16, 20, 16));
    assertEquals("sfu.activationLutEntries", e.field());
    assertTrue(e.getMessage().contains("is 16, allowed 1024..4096"), e.getMessage());
    // RELU has no table: the same size is fine there.
    SfuConfigs.of(SfuConfigs.model("m", 64, ModelShape.Norm.LAYERNORM, ModelShape.Activation.RELU), with(4, 16, 20, 16));
  }

  @Test
  void crossFieldRulesNameTheirField() {
    assertEquals("sfu.lanes", assertThrows(ParamError.class, () -> SfuConfigs.of(SfuConfigs.model("m", 48,
        ModelShape.Norm.LAYERNORM, ModelShape.Activation.GELU), with(32, 1024, 20, 16))).field());
    assertEquals("sfu.normBits", assertThrows(ParamError.class, () -> SfuConfigs.of(SfuConfigs.model("m", 4096,
        ModelShape.Norm.LAYERNORM, ModelShape.Activation.GELU), with(4, 1024, 8, 16))).field());
    ParamError r = fails(with(4, 1024, 24, 8));
    assertEquals("sfu.rsqrtBits", r.field());
    assertTrue(r.getMessage().contains("allowed 18..24"), r.getMessage());
  }

  @Test
  void singleFieldRanges() {
    SfuParams d = SfuParams.DEFAULT;
    ParamError e = assertThrows(ParamError.class, () -> new SfuParams(3, 32, 8, 4, 16, 16, 64, 16, 20, 6, 16, 16, 12));
    assertEquals("sfu.lanes", e.field());
    assertEquals("sfu.multiplierBits", assertThrows(ParamError.class,
        () -> new SfuParams(4, 16, 8, 4, 16, 16, 64, 16, 20, 6, 16, 16, 12)).field());
    assertEquals("sfu.residualBits", assertThrows(ParamError.class,
        () -> new SfuParams(4, 32, 8, 4, 16, 4, 64, 16, 20, 6, 16, 16, 12)).field());
    assertEquals("sfu.activationLutEntries", assertThrows(ParamError.class,
        () -> new SfuParams(4, 32, 8, 4, 16, 16, 512, 16, 20, 6, 16, 16, 12)).field());
    assertEquals("sfu.gammaFracBits", assertThrows(ParamError.class,
        () -> new SfuParams(4, 32, 8, 4, 16, 16, 64, 16, 20, 6, 16, 16, 16)).field());
    assertEquals(d, new SfuParams(4, 32, 14, 7, 16, 16, 1024, 16, 20, 6, 16, 16, 12));
  }
}
