package pimforge.layer;

import pimforge.golden.BankSchedule;
import pimforge.golden.sfu.SfuSchedule;
import pimforge.params.HwParams;

/** What the opcode durations depend on: the parameters, the plan and the units' schedules. */
record TimingContext(HwParams p, LayerPlan plan, BankSchedule bank, SfuSchedule sfu) {
  static TimingContext of(HwParams p, LayerPlan plan) {
    return new TimingContext(p, plan, BankSchedule.of(p), new SfuSchedule(p));
  }

  /** Beats of one bank's weight stream (BankSchedule.weightLoadCycles - 1, the command cycle). */
  long weightBeatsPerBank() {
    return bank.weightLoadCycles() - 1;
  }

  /** Throws unless banks first..first+count-1 exist. */
  void banks(int index, int first, int count) {
    require(first + count <= plan.banks().size(), index, "banks " + first + ".." + (first + count - 1)
        + ", the layer top has " + plan.banks().size());
  }

  static void require(boolean ok, int index, String what) {
    if (!ok) {
      throw new IllegalArgumentException("instruction " + index + ": " + what);
    }
  }
}
