package pimforge.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import pimforge.golden.BankSchedule;
import pimforge.golden.sfu.SfuOp;
import pimforge.golden.sfu.SfuSchedule;
import pimforge.golden.softmax.SoftmaxSchedule;
import pimforge.params.HwParams;

/** The layer top's cycle model on hand-made programs, with the cycles worked out by hand. */
class LayerTimingTest {
  private static final HwParams P = LayerConfigs.small();

  static Instruction hostIn(LayerStage stage, int waitMask, int dst, int len) {
    return new Instruction(Opcode.HOST_IN, stage, waitMask, 0, 1, 0, dst, 0, len, 0, 0, 0, 0, 0, 0, 0);
  }

  static Instruction hostOut(LayerStage stage, int waitMask, int src, int len) {
    return new Instruction(Opcode.HOST_OUT, stage, waitMask, 0, 1, src, 0, 0, len, 0, 0, 0, 0, 0, 0, 0);
  }

  static int bit(Engine e) {
    return 1 << e.bit();
  }

  @Test
  void instructionsOnDifferentEnginesOverlap() {
    LayerTiming t = LayerTiming.of(P, List.of(hostIn(LayerStage.INPUT, 0, 0, 4),
        hostOut(LayerStage.OUTPUT, 0, 0, 3), Instruction.end()));
    assertSlot(t.slots().get(0), 0, 1, 4);
    assertSlot(t.slots().get(1), 1, 2, 4);
    assertEquals(5, t.slots().get(2).issue(), "END completes when both engines are idle");
    assertEquals(6, t.cycles());
    assertEquals(4, t.stage(LayerStage.INPUT));
    assertEquals(3, t.stage(LayerStage.OUTPUT));
    assertEquals(3, t.instructions());
    assertEquals(0, t.xbarWrites());
  }

  @Test
  void waitMaskSerializes() {
    LayerTiming t = LayerTiming.of(P, List.of(hostIn(LayerStage.INPUT, 0, 0, 4),
        hostOut(LayerStage.OUTPUT, bit(Engine.HOST_IN), 0, 3), Instruction.end()));
    assertSlot(t.slots().get(1), 5, 6, 8);
    assertEquals(10, t.cycles());
  }

  @Test
  void oneEngineRunsItsInstructionsOneAfterAnother() {
    LayerTiming t = LayerTiming.of(P, List.of(hostIn(LayerStage.INPUT, 0, 0, 2), hostIn(LayerStage.INPUT, 0, 2, 2),
        Instruction.end()));
    assertSlot(t.slots().get(1), 3, 4, 5);
    assertEquals(7, t.cycles());
    assertEquals(4, t.stage(LayerStage.INPUT));
  }

  @Test
  void aWaitingInstructionHoldsBackEverythingAfterIt() {
    Instruction configure = new Instruction(Opcode.SFU, LayerStage.NORM1, bit(Engine.HOST_IN), SfuOp.CONFIGURE, 1,
        0, 0, 0, new SfuSchedule(P).configBeats(), 0, 0, 0, 0, 0, 0, 0);
    LayerTiming t = LayerTiming.of(P, List.of(hostIn(LayerStage.INPUT, 0, 0, 5), configure,
        hostOut(LayerStage.OUTPUT, 0, 0, 1), Instruction.end()));
    assertEquals(6, t.slots().get(1).issue());
    assertEquals(7, t.slots().get(2).issue(), "issue is in program order");
    assertEquals(1 + new SfuSchedule(P).configBeats(), t.slots().get(1).duration());
  }

  @Test
  void stagesCountCyclesWithAnyEngineBusyOnThem() {
    LayerTiming t = LayerTiming.of(P, List.of(hostIn(LayerStage.INPUT, 0, 0, 4), hostOut(LayerStage.INPUT, 0, 0, 6),
        Instruction.end()));
    assertEquals(7, t.stage(LayerStage.INPUT), "busy 1..4 and 2..7 overlap: cycles 1..7");
    assertTrue(t.stageCycles().length == LayerStage.COUNTERS);
  }

  @Test
  void matrixDurationsComeFromTheBankSchedule() {
    BankSchedule bank = BankSchedule.of(P);
    Instruction weights = new Instruction(Opcode.HOST_WEIGHTS, LayerStage.WEIGHTS, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 3,
        0, 0, 0);
    Instruction gather = new Instruction(Opcode.GATHER_WEIGHTS, LayerStage.XBAR_WRITE, 0, 0, 1, 0, 0, 64, 64, 0, 0,
        4, 0, 0, 1, 64);
    Instruction mvm = new Instruction(Opcode.MVM, LayerStage.QKV, 0, 0, 5, 0, 100, 0, 16, 16, 48, 1, 3, 0, 0, 0);
    LayerTiming t = LayerTiming.of(P, List.of(weights, gather, mvm, Instruction.end()));
    assertEquals(3 * bank.weightLoadCycles(), t.slots().get(0).duration());
    assertEquals(bank.weightLoadCycles(), t.slots().get(1).duration());
    assertEquals(5 * (bank.multiplyCycles() + 2 * bank.drainCycles()), t.slots().get(2).duration());
    assertEquals(4 * (bank.weightLoadCycles() - 1) * P.crossbar().lanes(), t.xbarWrites());
    long end = 3 * bank.weightLoadCycles() + bank.weightLoadCycles() + t.slots().get(2).duration() + 3;
    assertEquals(end + 1, t.cycles(), "three MATRIX instructions back to back, one issue cycle each");
  }

  @Test
  void unitDurationsComeFromTheUnitSchedules() {
    Instruction row = new Instruction(Opcode.SOFTMAX, LayerStage.SOFTMAX, 0, 1, 3, 0, 0, 0, 2, 2, 2, 0, 0, 0, 7, 0);
    Instruction residual = new Instruction(Opcode.SFU, LayerStage.OUT_PROJ, 0, SfuOp.RESIDUAL, 2, 0, 0, 64, 16, 16,
        16, 0, 0, 0, 0, 0);
    LayerTiming t = LayerTiming.of(P, List.of(row, residual, Instruction.end()));
    assertEquals(3 * SoftmaxSchedule.rowCycles(P, 2), t.slots().get(0).duration());
    assertEquals(2 * new SfuSchedule(P).cycles(SfuOp.RESIDUAL, 32), t.slots().get(1).duration());
    assertEquals(1, t.slots().get(1).issue(), "different engines: the SFU starts while the softmax runs");
  }

  @Test
  void emptyInstructionsTakeOneCycle() {
    LayerTiming t = LayerTiming.of(P, List.of(hostIn(LayerStage.INPUT, 0, 0, 0), Instruction.end()));
    assertSlot(t.slots().get(0), 0, 1, 1);
    assertEquals(3, t.cycles());
  }

  @Test
  void programsTheHardwareCannotFinishAreRejected() {
    int banks = LayerPlan.of(P).banks().size();
    assertThrows(IllegalArgumentException.class, () -> LayerTiming.of(P, List.of(hostIn(LayerStage.INPUT, 0, 0, 1))));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LayerTiming.of(P, List.of(
        new Instruction(Opcode.MVM, LayerStage.QKV, 0, 0, 1, 0, 0, 0, 1, 0, 0, banks - 1, 2, 0, 0, 0),
        Instruction.end())));
    assertTrue(e.getMessage().contains("instruction 0"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> LayerTiming.of(P, List.of(
        new Instruction(Opcode.SFU, LayerStage.NORM1, 0, SfuOp.NORM, 1, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0),
        Instruction.end())));
    assertThrows(IllegalArgumentException.class, () -> LayerTiming.of(P, List.of(
        new Instruction(Opcode.SOFTMAX, LayerStage.SOFTMAX, 0, 1, 1, 0, 0, 0, 99, 0, 0, 0, 0, 0, 0, 0),
        Instruction.end())));
  }

  private static void assertSlot(LayerTiming.Slot s, long issue, long from, long to) {
    assertEquals(issue, s.issue(), "issue of " + s);
    assertEquals(from, s.busyFrom(), "busy from of " + s);
    assertEquals(to, s.busyTo(), "busy to of " + s);
  }
}
