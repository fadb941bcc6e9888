package pimforge.layer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import pimforge.params.AttentionParams.Schedule;
import pimforge.params.HwParams;

/**
 * The compiled programs' concurrency pays off in the cycle model (LayerTiming). Measured (tiny,
 * 16 tokens, 64 x 64 banks): STRAIGHTFORWARD 43319 cycles (1 head slot: 44986; every instruction
 * serialized: 46491), DECOMPOSED 48133 (serialized: 51687); the MATRIX engine is busy 82-83 % of
 * the cycles, so the layer is bound by the banks.
 */
class HeadPipelineTimingTest {

  @ParameterizedTest
  @EnumSource(Schedule.class)
  void concurrentEnginesBeatASerializedProgram(Schedule s) {
    HwParams p = LayerConfigs.small(s, false);
    List<Instruction> program = LayerCompiler.compile(p, RandomLayers.of(p, 4), p.attention().maxSeqLen()).program();
    LayerTiming t = LayerTiming.of(p, program);
    List<Instruction> serialized = new ArrayList<>();
    for (Instruction i : program) {
      serialized.add(ProgramBuilder.withMask(i, (1 << Engine.COUNT) - 1));
    }
    long serial = LayerTiming.of(p, serialized).cycles();
    long matrix = 0;
    for (LayerTiming.Slot slot : t.slots()) {
      if (slot.instruction().engine() == Engine.MATRIX) {
        matrix += slot.duration();
      }
    }
    System.out.println(String.format("%s: %d cycles, %d serialized; MATRIX busy %d cycles", s, t.cycles(), serial,
        matrix));
    assertTrue(t.cycles() < serial * 0.95, s + ": " + t.cycles() + " cycles, serialized " + serial);
  }

  @Test
  void twoHeadSlotsBeatOneStraightforward() {
    HwParams two = LayerConfigs.small(Schedule.STRAIGHTFORWARD, false);
    HwParams one = LayerConfigs.withDepth(two, 1);
    int seq = two.attention().maxSeqLen();
    long t2 = LayerTiming.of(two, LayerCompiler.compile(two, RandomLayers.of(two, 4), seq).program()).cycles();
    long t1 = LayerTiming.of(one, LayerCompiler.compile(one, RandomLayers.of(one, 4), seq).program()).cycles();
    System.out.println(String.format("STRAIGHTFORWARD: %d cycles with 2 head slots, %d with 1", t2, t1));
    assertTrue(t2 < t1, t2 + " cycles with 2 slots, " + t1 + " with 1");
  }
}
