package pimforge.layer;

import pimforge.params.HwParams;

/**
 * Everything one opcode means, in one place: how long it keeps its engine busy
 * ({@link LayerTiming}), the crossbar weights it writes (XBAR_WRITES), what it reads and writes
 * ({@link Footprint}, for the wait masks), what it computes ({@link LayerMachineModel}) and the
 * events the energy model charges ({@link EventContext#events}). One
 * implementation per opcode ({@link Opcode#spec()}); the RTL engine of the same opcode is in
 * {@code hw/src/pimforge/hw/layer}.
 */
interface OpcodeSpec {
  /**
   * Cycles the instruction keeps its engine busy when the host never stalls the streams.
   * Throws IllegalArgumentException naming instruction {@code index} when the hardware cannot
   * run it (a bank out of range, a packet of the wrong length, ...).
   */
  long duration(TimingContext t, int index, Instruction i);

  /** Whether {@link #duration} is exact; false when it is a lower bound (data-dependent time). */
  default boolean exactDuration(Instruction i) {
    return true;
  }

  /** Weight beats (of lanes weights) the instruction writes into crossbars. */
  default long weightBeats(TimingContext t, Instruction i) {
    return 0;
  }

  /** Scratchpad words and named resources read and written over all iterations. */
  Footprint footprint(HwParams p, Instruction i);

  /** Executes the instruction on the golden machine state, bit-exactly as the RTL. */
  void execute(MachineState m, Instruction i);

  /**
   * Adds the instruction's events ({@link Event}) to {@code e}: what the energy model charges. The
   * crossbar writes equal {@link #weightBeats} times lanes, the RTL's XBAR_WRITES (tested).
   */
  void countEvents(EventContext c, Instruction i, long[] e);
}
