package pimforge.layer;

import java.util.ArrayList;
import java.util.List;
import pimforge.params.HwParams;

/**
 * The exact cycle model of the layer top (dispatcher + engines) for one run of a program when the
 * host never stalls the AXI streams (s_axis always valid when read, m_axis always ready). It
 * reproduces the hardware counters CYCLES, STAGE_CYCLES, XBAR_WRITES and INSTRUCTIONS.
 *
 * <p>Timing rules (cycle 0 is the first cycle after the START write, the first with STATUS.BUSY):
 * <ul>
 *   <li>Instruction i issues at the first cycle t with t >= issue(i-1) + 1 (t >= 0 for the first)
 *       at which its engine and every engine of its wait mask are idle.
 *   <li>An instruction issued at t with duration D keeps its engine busy in cycles t+1 .. t+D; the
 *       engine is idle again, and can take its next instruction, at t+D+1.
 *   <li>END completes at the first cycle t >= issue(previous) + 1 at which every engine is idle;
 *       CYCLES = t + 1 (the cycles START to END inclusive), INSTRUCTIONS counts END too.
 *   <li>STAGE_CYCLES[s] counts the cycles in which at least one engine is busy with an
 *       instruction tagged s (the union of their busy intervals).
 *   <li>XBAR_WRITES = lanes per weight beat written into a bank.
 * </ul>
 * Durations D (each opcode's {@link OpcodeSpec#duration}; W = the bank's weight beats = BankSchedule.weightLoadCycles - 1; M =
 * BankSchedule.multiplyCycles, command to last result beat; "packet" = each iteration's unit
 * transaction, from its command to its last result beat, or to its last input beat without result):
 * <ul>
 *   <li>HOST_IN, HOST_OUT: repeat * len (one beat per cycle).
 *   <li>HOST_WEIGHTS: bankCount * (1 + W) (per bank: the LoadWeights command, then its beats).
 *   <li>GATHER_WEIGHTS: 1 + W.
 *   <li>MVM: repeat * (M + (bankCount - 1) * drain): the banks load and compute in parallel, then
 *       drain one after another without a gap; the next iteration's command follows the last beat.
 *   <li>SOFTMAX: cmd 0 (configure, sent once): 1 + len; any other cmd (row): repeat *
 *       SoftmaxSchedule.rowCycles(len).
 *   <li>SFU: CONFIGURE, LOAD_NORM (sent once): 1 + len; REQUANT, ACTIVATE, NORM: repeat *
 *       SfuSchedule.cycles(op, len); RESIDUAL: repeat * SfuSchedule.cycles(op, 2 * len).
 *   <li>An instruction that moves nothing (len = 0 for HOST_IN, HOST_OUT, SOFTMAX, SFU;
 *       bankCount = 0 for HOST_WEIGHTS, MVM) keeps its engine busy for 1 cycle.
 * </ul>
 * Programs the hardware cannot finish (a bank out of range, a softmax row longer than the unit's
 * row buffer, an SFU packet of the wrong length, an SFU command that does not exist, no END) are
 * rejected with IllegalArgumentException naming the instruction.
 */
public record LayerTiming(List<Slot> slots, long cycles, long[] stageCycles, long xbarWrites, long instructions) {

  /**
   * Whether the cycles are exact: false when an instruction's duration is a lower bound
   * ({@link OpcodeSpec#exactDuration}: KV instructions, whose durations depend on the cache's
   * contents, and a CAM WRITE whose row comes from a KV APPEND); {@link #cycles()} and the stage
   * cycles are then lower bounds too.
   */
  public boolean exact() {
    return slots.stream().map(Slot::instruction)
        .allMatch(i -> i.opcode().spec() == null || i.opcode().spec().exactDuration(i));
  }

  /**
   * One issued instruction: its program index, issue cycle and the cycles its engine is busy with
   * it (busyFrom .. busyTo inclusive; END has none: busyFrom = busyTo + 1 = its completion cycle).
   */
  public record Slot(int index, Instruction instruction, long issue, long busyFrom, long busyTo) {
    public long duration() {
      return busyTo - busyFrom + 1;
    }
  }

  public long stage(LayerStage s) {
    return stageCycles[s.id()];
  }

  public static LayerTiming of(HwParams p, List<Instruction> program) {
    LayerPlan plan = LayerPlan.of(p);
    TimingContext ctx = TimingContext.of(p, plan);
    long[] freeAt = new long[Engine.COUNT];
    List<Slot> slots = new ArrayList<>();
    List<List<long[]>> busyByStage = new ArrayList<>();
    for (int s = 0; s < LayerStage.COUNTERS; s++) {
      busyByStage.add(new ArrayList<>());
    }
    long earliest = 0;
    long xbar = 0;
    for (int i = 0; i < program.size(); i++) {
      Instruction ins = program.get(i);
      if (ins.opcode() == Opcode.END) {
        long t = earliest;
        for (long f : freeAt) {
          t = Math.max(t, f);
        }
        slots.add(new Slot(i, ins, t, t, t - 1));
        long[] stages = new long[LayerStage.COUNTERS];
        for (int s = 0; s < stages.length; s++) {
          stages[s] = unionLength(busyByStage.get(s));
        }
        return new LayerTiming(List.copyOf(slots), t + 1, stages, xbar, i + 1L);
      }
      long t = Math.max(earliest, freeAt[ins.engine().bit()]);
      for (Engine e : Engine.values()) {
        if ((ins.waitMask() >> e.bit() & 1) != 0) {
          t = Math.max(t, freeAt[e.bit()]);
        }
      }
      long d = ins.opcode().spec().duration(ctx, i, ins);
      slots.add(new Slot(i, ins, t, t + 1, t + d));
      busyByStage.get(ins.stage().id()).add(new long[] {t + 1, t + d});
      freeAt[ins.engine().bit()] = t + d + 1;
      xbar += ins.opcode().spec().weightBeats(ctx, ins) * plan.lanes();
      earliest = t + 1;
    }
    throw new IllegalArgumentException("the program has no END");
  }

  /** Cycles covered by a set of inclusive intervals. */
  private static long unionLength(List<long[]> intervals) {
    List<long[]> sorted = new ArrayList<>(intervals);
    sorted.sort((x, y) -> Long.compare(x[0], y[0]));
    long total = 0;
    long coveredTo = Long.MIN_VALUE;
    for (long[] iv : sorted) {
      long from = Math.max(iv[0], coveredTo + 1);
      if (iv[1] >= from) {
        total += iv[1] - from + 1;
      }
      coveredTo = Math.max(coveredTo, iv[1]);
    }
    return total;
  }
}
