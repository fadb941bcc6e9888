package pimforge.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import pimforge.golden.sfu.SfuOp;
import pimforge.params.AttentionParams.Schedule;
import pimforge.params.HwParams;

class ProgramBuilderTest {
  private final HwParams p = LayerConfigs.small(Schedule.STRAIGHTFORWARD, false);
  private final int outW = p.derived().bankOutputs() / p.crossbar().lanes();

  private static int bit(Engine e) {
    return 1 << e.bit();
  }

  private static Instruction hostIn(int dst, int len) {
    return Instructions.hostIn(LayerStage.INPUT, dst, len, 1, 0);
  }

  private static Instruction mvm(int src, int len, int dst) {
    return Instructions.mvm(LayerStage.QKV, 0, 1, src, len, 0, 0, dst, 1, 0, 0, 0, 0);
  }

  private static Instruction requant(int src, int len, int dst) {
    return Instructions.sfu(LayerStage.QKV, SfuOp.REQUANT, src, len, dst, 1, 0, 0);
  }

  private List<Instruction> build(Instruction... is) {
    ProgramBuilder b = new ProgramBuilder(p);
    for (Instruction i : is) {
      b.add(i);
    }
    return b.build();
  }

  @Test
  void readAfterWriteWaitsForTheWriter() {
    assertEquals(bit(Engine.HOST_IN), build(hostIn(0, 4), mvm(3, 2, 100)).get(1).waitMask());
  }

  @Test
  void disjointWordsDoNotWait() {
    assertEquals(0, build(hostIn(0, 4), mvm(4, 2, 100)).get(1).waitMask());
  }

  @Test
  void writeAfterReadWaitsForTheReader() {
    // The SFU reads words 10..11; HOST_IN must not overwrite word 11 before that.
    assertEquals(bit(Engine.SFU), build(requant(10, 2, 20), hostIn(11, 1)).get(1).waitMask());
  }

  @Test
  void writeAfterWriteWaits() {
    // An MVM writes whole bank outputs: words 30..30+outW-1.
    assertEquals(bit(Engine.MATRIX), build(mvm(0, 1, 30), requant(200, 1, 30 + outW - 1)).get(1).waitMask());
    assertEquals(0, build(mvm(0, 1, 30), requant(200, 1, 30 + outW)).get(1).waitMask());
  }

  @Test
  void hostInAndHostWeightsShareSAxisInProgramOrder() {
    Instruction weights = Instructions.hostWeights(LayerStage.WEIGHTS, 0, 1);
    assertEquals(bit(Engine.HOST_IN), build(hostIn(0, 1), weights).get(1).waitMask());
    assertEquals(bit(Engine.MATRIX), build(weights, hostIn(0, 1)).get(1).waitMask());
  }

  @Test
  void anEngineKnownIdleIsNotWaitedForAgain() {
    // The SFU instruction waited for HOST_IN; the MVM issues after it, so HOST_IN is done already.
    List<Instruction> prog = build(hostIn(0, 4), requant(0, 4, 50), mvm(0, 4, 100));
    assertEquals(bit(Engine.HOST_IN), prog.get(1).waitMask());
    assertEquals(0, prog.get(2).waitMask());
  }

  @Test
  void waitsForSeveralEnginesAtOnce() {
    List<Instruction> prog = build(hostIn(0, 1), requant(300, 1, 1), mvm(0, 2, 100));
    assertEquals(bit(Engine.HOST_IN) | bit(Engine.SFU), prog.get(2).waitMask());
  }

  @Test
  void theCheckerCatchesMissingAndNeedlessWaits() {
    List<Instruction> prog = build(hostIn(0, 4), mvm(0, 4, 100));
    assertNull(WaitMaskCheck.problems(p, prog));
    List<Instruction> missing = List.of(prog.get(0), ProgramBuilder.withMask(prog.get(1), 0));
    assertEquals(true, WaitMaskCheck.problems(p, missing).contains("may overlap"));
    List<Instruction> needless = List.of(prog.get(0), ProgramBuilder.withMask(prog.get(1),
        bit(Engine.HOST_IN) | bit(Engine.SFU)));
    assertEquals(true, WaitMaskCheck.problems(p, needless).contains("needs exactly"));
  }

  static Stream<Arguments> configs() {
    return Stream.of(
        Arguments.of(LayerConfigs.small(Schedule.STRAIGHTFORWARD, false), 16),
        Arguments.of(LayerConfigs.small(Schedule.DECOMPOSED, false), 16),
        Arguments.of(LayerConfigs.withDepth(LayerConfigs.small(Schedule.STRAIGHTFORWARD, false), 1), 16),
        Arguments.of(LayerConfigs.split(Schedule.STRAIGHTFORWARD, true), 11),
        Arguments.of(LayerConfigs.split(Schedule.DECOMPOSED, true), 5),
        Arguments.of(LayerConfigs.withDepth(LayerConfigs.small(Schedule.STRAIGHTFORWARD, true), 3), 9),
        Arguments.of(LayerConfigs.withDepth(LayerConfigs.split(Schedule.DECOMPOSED, false), 4), 16));
  }

  @ParameterizedTest
  @MethodSource("configs")
  void compiledProgramsHaveExactWaitMasksAndAPipelinedAttention(HwParams q, int seqLen) {
    CompiledLayer c = LayerCompiler.compile(q, RandomLayers.of(q, 3), seqLen);
    assertNull(WaitMaskCheck.problems(q, c.setupProgram()));
    assertNull(WaitMaskCheck.problems(q, c.program()));
    // Head pipeline: score products never wait for the softmax unit; STRAIGHTFORWARD softmax rows
    // after head 0 never wait for the MATRIX engine (their scores are done by the time they issue;
    // the previous head's context products run alongside).
    int rows = 0;
    boolean pipelined = q.attention().headPipelineDepth() > 1;
    boolean straightforward = q.attention().schedule() == Schedule.STRAIGHTFORWARD;
    for (Instruction i : c.program()) {
      if (i.opcode() == Opcode.SOFTMAX && i.cmd() == pimforge.golden.softmax.SoftmaxOp.ROW && rows++ > 0 && pipelined
          && straightforward) {
        assertEquals(0, i.waitMask() & bit(Engine.MATRIX), "softmax waits for MATRIX: " + i);
      }
      if (i.opcode() == Opcode.MVM && i.stage() == LayerStage.SCORES && pipelined) {
        assertEquals(0, i.waitMask() & bit(Engine.SOFTMAX), "scores wait for SOFTMAX: " + i);
      }
    }
    assertEquals(q.model().numHeads(), rows);
  }
}
