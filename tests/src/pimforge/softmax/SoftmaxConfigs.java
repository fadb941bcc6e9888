package pimforge.softmax;

import java.util.List;
import pimforge.golden.Fixtures;
import pimforge.params.AttentionParams;
import pimforge.params.BankParams;
import pimforge.params.CrossbarParams;
import pimforge.params.HwParams;
import pimforge.params.Precision;
import pimforge.params.SoftmaxParams;

/** Small softmax configurations for co-simulation and RTL checks (short rows keep builds fast). */
public final class SoftmaxConfigs {
  private SoftmaxConfigs() {}

  public static HwParams of(int maxSeqLen, SoftmaxParams s) {
    HwParams base = Fixtures.bank(Precision.DEFAULT, new CrossbarParams(16, 16, 4), new BankParams(1, 1, 1));
    return base.withAttention(new AttentionParams(maxSeqLen, AttentionParams.Schedule.DECOMPOSED, 2)).withSoftmax(s);
  }

  /**
   * A: 4 lanes, rows up to 13 (not a multiple of lanes: padded), 64-entry LUT.
   * B: 8 lanes, rows up to 32, the default 20-bit scores, a 256-entry LUT covering distances below 16, 8-bit output.
   * C: 1 lane (configure packet of two beats), rows up to 7, a 16-entry LUT covering only
   *    distances below 2 (many clamped to 0), no reciprocal guard bits, 12-bit output.
   */
  public static final List<HwParams> CONFIGS = List.of(
      of(13, new SoftmaxParams(12, 4, 8, 4, 64, 10, 2, 8)),
      of(32, new SoftmaxParams(20, 8, 16, 4, 256, 16, 4, 8)),
      of(7, new SoftmaxParams(16, 1, 12, 3, 16, 12, 0, 12)));

  public static String describe(HwParams p) {
    SoftmaxParams s = p.softmax();
    return "maxSeqLen=" + p.attention().maxSeqLen() + " lanes=" + s.lanes() + " in=" + s.inputBits()
        + " scale=" + s.scaleBits() + " F=" + s.logitFracBits() + " lut=" + s.expLutEntries() + "x" + s.expLutBits()
        + " guard=" + s.reciprocalGuardBits() + " out=" + s.outputBits();
  }
}
