package pimforge.sfu;

import pimforge.golden.Fixtures;
import pimforge.params.BankParams;
import pimforge.params.CrossbarParams;
import pimforge.params.HwParams;
import pimforge.params.ModelFeatures;
import pimforge.params.ModelShape;
import pimforge.params.Precision;
import pimforge.params.Rope;
import pimforge.params.SfuParams;

/** Small SFU configurations for co-simulation and RTL checks (builds stay a few seconds). */
final class SfuConfigs {
  private SfuConfigs() {}

  static HwParams of(ModelShape model, SfuParams sfu) {
    return Fixtures.bank(Precision.DEFAULT, new CrossbarParams(16, 16, 4), new BankParams(1, 1, 1))
        .withModel(model).withSfu(sfu);
  }

  static ModelShape model(String name, int hidden, ModelShape.Norm norm, ModelShape.Activation act) {
    boolean decoder = norm == ModelShape.Norm.RMSNORM;
    return new ModelShape(name, decoder ? ModelShape.Family.DECODER : ModelShape.Family.ENCODER, hidden, 4, 4, 2,
        4 * hidden, 128, 1000, norm, decoder ? 1e-5 : 1e-12, act, decoder, decoder);
  }

  /** BERT-like: LayerNorm + GELU (erf), the default SFU parameters, hidden 64 (the tiny preset). */
  static HwParams layerNormGelu() {
    return of(model("sfu-ln-gelu", 64, ModelShape.Norm.LAYERNORM, ModelShape.Activation.GELU), SfuParams.DEFAULT);
  }

  /**
   * BERT-like with 8.4 activations and a 64-segment GELU table (the SFU default before 14.7): small
   * enough for hand-checked values.
   */
  static HwParams layerNormGeluInt8() {
    return of(model("sfu-ln-gelu-int8", 64, ModelShape.Norm.LAYERNORM, ModelShape.Activation.GELU),
        new SfuParams(4, 32, 8, 4, 16, 16, 64, 16, 20, 6, 16, 16, 12));
  }

  /**
   * Llama-like: RMSNorm + SiLU, RoPE over whole 8-wide heads (halves pairing, Llama 3 theta), 8 lanes,
   * 24-bit accumulators, 12-bit residuals, a coarser LUT.
   */
  static HwParams rmsNormSilu() {
    return of(model("sfu-rms-silu", 32, ModelShape.Norm.RMSNORM, ModelShape.Activation.SILU)
        .withFeatures(ModelFeatures.builder().rope(Rope.plain(500000, 8, Rope.Pairing.HALVES)).build()),
        new SfuParams(8, 24, 8, 4, 12, 12, 32, 12, 18, 5, 14, 12, 10));
  }

  /**
   * GPT-J-like: LayerNorm + tanh GELU with 10-bit activations, 2 lanes, partial interleaved RoPE (2 of
   * 4 head elements rotated, so a head spans two beats and half of it passes through).
   */
  static HwParams layerNormGeluTanh() {
    return of(model("sfu-ln-gelu-tanh", 16, ModelShape.Norm.LAYERNORM, ModelShape.Activation.GELU_TANH)
        .withFeatures(ModelFeatures.builder().rope(Rope.plain(10000, 2, Rope.Pairing.INTERLEAVED)).build()),
        new SfuParams(2, 20, 10, 5, 10, 16, 128, 14, 16, 4, 12, 14, 11));
  }

  static String describe(HwParams p) {
    SfuParams s = p.sfu();
    return p.model().name() + " " + p.model().norm() + "+" + p.model().activation() + " N=" + p.model().hiddenSize()
        + " lanes=" + s.lanes() + " acc=" + s.accBits() + " act=" + s.actBits() + "." + s.actFracBits()
        + " lut=" + s.activationLutEntries() + "x" + s.lutBits();
  }
}
