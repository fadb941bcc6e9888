package pimforge.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import pimforge.params.AttentionParams.Schedule;
import pimforge.params.HwParams;
import pimforge.params.ModelShape;
import pimforge.params.ParamError;

class LayerCompilerTest {

  static Stream<Arguments> longest() {
    ModelShape tiny = LayerConfigs.TINY;
    return Stream.of(
        Arguments.of(LayerConfigs.of(tiny, Schedule.STRAIGHTFORWARD, 128, 32, 32, 2, 2)),
        Arguments.of(LayerConfigs.of(tiny, Schedule.DECOMPOSED, 128, 32, 32, 2, 2)),
        Arguments.of(LayerConfigs.of(LayerConfigs.preNorm(tiny), Schedule.STRAIGHTFORWARD, 128, 32, 32, 1, 1)),
        Arguments.of(LayerConfigs.of(LayerConfigs.preNorm(tiny), Schedule.DECOMPOSED, 100, 64, 32, 1, 1)));
  }

  /** At maxSeqLen the programs fill programDepth exactly and every word touched lies in the scratchpad. */
  @ParameterizedTest
  @MethodSource("longest")
  void programsAndTensorsFitThePlanAtMaxSeqLen(HwParams p) {
    LayerPlan plan = LayerPlan.of(p);
    int seq = p.attention().maxSeqLen();
    CompiledLayer c = LayerCompiler.compile(p, RandomLayers.of(p, 5), seq);
    assertEquals(plan.programDepth(), Math.max(c.program().size(), c.setupProgram().size()));
    for (var prog : java.util.List.of(c.setupProgram(), c.program())) {
      for (Instruction i : prog) {
        Footprint f = Footprint.of(p, i);
        assertTrue(!f.reads().overlaps(outside(plan)) && !f.writes().overlaps(outside(plan)), "outside: " + i);
      }
    }
    ScratchLayout sl = ScratchLayout.of(p, plan.lanes());
    assertEquals(plan.scratchWords(), sl.words());
    assertTrue(sl.at("y") + (seq - 1) * sl.hiddenStride() + p.model().hiddenSize() / plan.lanes() <= plan.scratchWords());
  }

  private static WordRanges outside(LayerPlan plan) {
    return new WordRanges().add(Integer.MIN_VALUE, 0).add(plan.scratchWords(), Long.MAX_VALUE);
  }

  /**
   * Every seqLen 1..maxSeqLen: program fits, wait masks exact, output tracks the float layer (8.4 SFU).
   * Measured cosine 0.991 (1 token), 0.992 (2), 0.996 (3), then 0.998-0.999: a lone key's
   * probability 1.0 enters the bank as 127/128, and a short output has few values.
   */
  @Test
  void everySequenceLengthCompilesAndRuns() {
    HwParams p = LayerConfigs.sfu84(LayerConfigs.split(Schedule.DECOMPOSED, false));
    RandomLayers.RandomLayer layer = RandomLayers.of(p, 9);
    int depth = LayerPlan.of(p).programDepth();
    for (int seq = 1; seq <= p.attention().maxSeqLen(); seq++) {
      CompiledLayer c = LayerCompiler.compile(p, layer, seq);
      assertTrue(c.program().size() <= depth);
      assertEquals(seq * p.model().hiddenSize() / p.crossbar().lanes(), c.beats().size());
      assertEquals(null, WaitMaskCheck.problems(p, c.program()), "seqLen " + seq);
      double[][] got = layer.quantized().dequantizeOutput(c.expectedOutput(p));
      double cos = Similarity.cosine(got, layer.floatLayer().forward(layer.input(seq)));
      System.out.println(String.format("seqLen %d: cosine %.5f", seq, cos));
      assertTrue(cos >= 0.99, "seqLen " + seq + ": cosine " + cos);
    }
  }

  @Test
  void seqLenOutsideOneToMaxSeqLenIsAParamError() {
    HwParams p = LayerConfigs.small(Schedule.STRAIGHTFORWARD, false);
    RandomLayers.RandomLayer layer = RandomLayers.of(p, 1);
    ParamError e = assertThrows(ParamError.class, () -> LayerCompiler.compile(p, layer, 17));
    assertEquals("seqLen", e.field());
    assertTrue(e.getMessage().contains("is 17, allowed 1..16 (attention.maxSeqLen)"), e.getMessage());
    assertEquals("seqLen", assertThrows(ParamError.class, () -> LayerCompiler.compile(p, layer, 0)).field());
  }

  @Test
  void outputBeatsComeBackAsTheOutputMatrix() {
    HwParams p = LayerConfigs.small(Schedule.DECOMPOSED, false);
    CompiledLayer c = LayerCompiler.compile(p, RandomLayers.of(p, 2), 3);
    long[][] y = c.expectedOutput(p);
    assertEquals(3, y.length);
    assertEquals(p.model().hiddenSize(), y[0].length);
    java.util.List<long[]> beats = c.expectedBeats(p);
    assertEquals(y[1][5], beats.get(p.model().hiddenSize() / p.crossbar().lanes() + 1)[1]);
  }
}
