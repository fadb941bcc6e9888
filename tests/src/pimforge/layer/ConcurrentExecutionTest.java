package pimforge.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import pimforge.params.AttentionParams.Schedule;
import pimforge.params.HwParams;

/** Compiled programs under random concurrent timings give the sequential result; without masks they do not. */
class ConcurrentExecutionTest {

  static Stream<Arguments> configs() {
    return Stream.of(
        Arguments.of(LayerConfigs.small(Schedule.STRAIGHTFORWARD, false), 16),
        Arguments.of(LayerConfigs.split(Schedule.DECOMPOSED, true), 13),
        Arguments.of(LayerConfigs.withDepth(LayerConfigs.split(Schedule.STRAIGHTFORWARD, false), 1), 9));
  }

  @ParameterizedTest
  @MethodSource("configs")
  void randomTimingsGiveTheSequentialResult(HwParams p, int seqLen) {
    CompiledLayer c = LayerCompiler.compile(p, RandomLayers.of(p, 21), seqLen);
    List<long[]> want = c.expectedBeats(p);
    Random r = new Random(5);
    for (int trial = 0; trial < 20; trial++) {
      assertBeatsEqual(want, run(p, c, ConcurrentExecution.effectOrder(c.program(), r)), "trial " + trial);
    }
    // The check has teeth: with every wait mask cleared, some timing breaks the result.
    List<Instruction> unmasked = new ArrayList<>();
    for (Instruction i : c.program()) {
      unmasked.add(ProgramBuilder.withMask(i, 0));
    }
    boolean broken = false;
    for (int trial = 0; trial < 20 && !broken; trial++) {
      try {
        broken = !same(want, run(p, c, ConcurrentExecution.effectOrder(unmasked, r)));
      } catch (RuntimeException e) {
        broken = true; // e.g. s_axis beats consumed in another order
      }
    }
    assertTrue(broken, "clearing the wait masks never changed the result");
  }

  private static List<long[]> run(HwParams p, CompiledLayer c, List<Instruction> order) {
    LayerMachineModel m = new LayerMachineModel(p);
    m.run(c.setupProgram(), c.setupBeats());
    return m.run(order, c.beats());
  }

  private static boolean same(List<long[]> a, List<long[]> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (!java.util.Arrays.equals(a.get(i), b.get(i))) {
        return false;
      }
    }
    return true;
  }

  private static void assertBeatsEqual(List<long[]> want, List<long[]> got, String what) {
    assertEquals(want.size(), got.size(), what);
    for (int i = 0; i < want.size(); i++) {
      assertArrayEquals(want.get(i), got.get(i), what + ", beat " + i);
    }
  }
}
