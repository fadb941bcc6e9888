package pimforge.golden.softmax;

import pimforge.params.HwParams;

/**
 * Cycle counts of the softmax unit's transactions when the host never stalls, from the RTL's
 * state machine (checked against Verilator in the co-simulation tests): command 1 cycle; load
 * (max pass) one cycle per beat; exp + sum pass one cycle per beat; divider reciprocalBits cycles;
 * normalize + drain one cycle per beat.
 */
public final class SoftmaxSchedule {
  private SoftmaxSchedule() {}

  /** Command to the unit being idle again after a configure packet. */
  public static long configCycles(HwParams p) {
    return 1 + p.softmaxDerived().configBeats();
  }

  /** Command to the last probability beat of a row of {@code beats} beats. */
  public static long rowCycles(HwParams p, int beats) {
    return 1 + 3L * beats + p.softmaxDerived().reciprocalBits();
  }
}
