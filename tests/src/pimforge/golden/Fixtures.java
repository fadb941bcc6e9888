package pimforge.golden;

import pimforge.params.AttentionParams;
import pimforge.params.BankParams;
import pimforge.params.CamParams;
import pimforge.params.CrossbarParams;
import pimforge.params.HwParams;
import pimforge.params.KvCacheParams;
import pimforge.params.ModelShape;
import pimforge.params.Precision;
import pimforge.params.SfuParams;
import pimforge.params.SoftmaxParams;

/** Small parameter records for unit tests. */
public final class Fixtures {
  private Fixtures() {}

  public static final ModelShape TINY = new ModelShape("tiny", ModelShape.Family.ENCODER, 64, 4, 4, 2,
      256, 128, 1000, ModelShape.Norm.LAYERNORM, 1e-12, ModelShape.Activation.GELU, false, false);

  public static HwParams bank(Precision prec, CrossbarParams xbar, BankParams bank) {
    return new HwParams(TINY, prec, xbar, bank, AttentionParams.DEFAULT, SoftmaxParams.DEFAULT,
        SfuParams.DEFAULT, new KvCacheParams(KvCacheParams.Policy.FULL, 128, 4, 100, 8, 8, 32, 0),
        CamParams.DEFAULT);
  }
}
