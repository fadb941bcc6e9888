package pimforge.cam;

import java.util.List;
import pimforge.config.HwConfigReader;
import pimforge.params.AttentionParams;
import pimforge.params.CamParams;
import pimforge.params.HwParams;
import pimforge.params.ModelShape;
import pimforge.params.SoftmaxParams;

/** Small CAM attention configurations for the golden-model, RTL and co-simulation tests. */
public final class CamConfigs {
  private CamConfigs() {}

  /** A 64-wide encoder with {@code heads} heads (head dimension 64 / heads), keys = maxSeqLen. */
  public static HwParams of(int heads, int maxSeqLen, SoftmaxParams s, CamParams c) {
    ModelShape m = new ModelShape("camtest", ModelShape.Family.ENCODER, 64, heads, heads, 1, 128, 1024, 1000,
        ModelShape.Norm.LAYERNORM, 1e-12, ModelShape.Activation.GELU, false, false);
    return HwConfigReader.defaults(m).withAttention(new AttentionParams(maxSeqLen, AttentionParams.Schedule.DECOMPOSED, 2))
        .withSoftmax(s).withCam(c);
  }

  /**
   * A: d 16, 32 keys in 4 tiles of 8, top-10 in 2 stages (3 per tile; 10 is no multiple of the 4 lanes:
   *    padded answer sections and softmax row), lossy 4-bit ADC.
   * B: d 32, 48 keys in 3 tiles of 16, top-8 in 1 stage, lossless 6-bit ADC, 8 lanes, softmax in 2 lanes.
   * C: d 16, 32 keys in 8 tiles of 4, top-6 in 2 stages, 3-bit ADC, 2 lanes, re-scoring with 5-bit keys.
   */
  public static final List<HwParams> CONFIGS = List.of(
      of(4, 32, new SoftmaxParams(12, 4, 8, 4, 64, 10, 2, 8), new CamParams(true, 8, 10, 2, 4, 8, 6, 16, 4, false)),
      of(2, 48, new SoftmaxParams(12, 2, 8, 4, 64, 10, 2, 8), new CamParams(true, 16, 8, 1, 6, 12, 8, 32, 8, false)),
      of(4, 32, new SoftmaxParams(16, 4, 10, 4, 128, 12, 2, 10), new CamParams(true, 4, 6, 2, 3, 8, 5, 16, 2, true)));

  public static String describe(HwParams p) {
    CamParams c = p.cam();
    return "keys=" + p.attention().maxSeqLen() + " d=" + p.model().headDim() + " R=" + c.rowsPerTile()
        + " k=" + c.topK() + " stages=" + c.stages() + " adc=" + c.matchAdcBits() + " lanes=" + c.lanes()
        + " keyBits=" + c.keyBits() + " valueBits=" + c.valueBits() + (c.rescore() ? " rescore" : "");
  }
}
