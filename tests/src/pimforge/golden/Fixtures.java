package pimforge.golden;

import pimforge.config.HwConfigReader;
import pimforge.model.ModelPresets;
import pimforge.params.BankParams;
import pimforge.params.CrossbarParams;
import pimforge.params.HwParams;
import pimforge.params.Precision;

/** Small parameter records for unit tests: the `tiny` preset with the given crossbar and bank. */
public final class Fixtures {
  private Fixtures() {}

  private static final HwParams TINY_DEFAULTS = HwConfigReader.defaults(ModelPresets.get("tiny").orElseThrow());

  public static HwParams bank(Precision prec, CrossbarParams xbar, BankParams bank) {
    return TINY_DEFAULTS.withPrecision(prec).withCrossbar(xbar).withBank(bank);
  }
}
