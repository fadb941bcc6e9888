package pimforge.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import pimforge.params.AttentionParams.Schedule;
import pimforge.params.HwParams;
import pimforge.params.ModelShape;

/**
 * Causality as a property, with no reference: in a decoder, changing token j leaves the outputs
 * of tokens 0..j-1 bit for bit unchanged (on the golden model of the compiled layer, and in the
 * float layer), while an encoder's earlier tokens do change. This is the test that the missing
 * causal mask would have failed.
 */
class CausalAttentionTest {

  static Stream<Arguments> designs() {
    return Stream.of(
        Arguments.of("decoder decomposed", LayerConfigs.small(Schedule.DECOMPOSED, true), true),
        Arguments.of("decoder straightforward", LayerConfigs.small(Schedule.STRAIGHTFORWARD, true), true),
        Arguments.of("decoder split banks", LayerConfigs.split(Schedule.DECOMPOSED, true), true),
        Arguments.of("GPT-2-style decoder", LayerConfigs.gpt2Style(Schedule.STRAIGHTFORWARD), true),
        Arguments.of("Llama-style decoder (RoPE, SwiGLU, GQA)", LayerConfigs.llamaStyle(), true),
        Arguments.of("GPT-J-style parallel decoder", LayerConfigs.parallelStyle(true), true),
        Arguments.of("BLOOM-style ALiBi decoder", LayerConfigs.bloomStyle(Schedule.DECOMPOSED), true),
        Arguments.of("Gemma-style decoder (explicit head_dim)", LayerConfigs.gemmaStyle(), true),
        Arguments.of("encoder decomposed", LayerConfigs.small(Schedule.DECOMPOSED, false), false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("designs")
  void changingTokenJLeavesEarlierTokensAlone(String name, HwParams p, boolean causal) {
    assertTrue(causal == (p.model().family() == ModelShape.Family.DECODER));
    int seq = 13;
    long seed = 31;
    RandomLayers.RandomLayer layer = RandomLayers.of(p, seed);
    double[][] x = layer.input(seq);
    long[][] base = runGolden(p, layer, x);
    double[][] floatBase = layer.floatLayer().forward(x);
    Random r = new Random(seed);
    for (int j : new int[] {0, 5, seq - 1}) {
      double[][] changed = Arrays.stream(x).map(double[]::clone).toArray(double[][]::new);
      for (int c = 0; c < changed[j].length; c++) {
        changed[j][c] = r.nextGaussian();
      }
      long[][] out = runGolden(p, layer, changed);
      double[][] floatOut = layer.floatLayer().forward(changed);
      boolean earlierChanged = false;
      for (int t = 0; t < j; t++) {
        if (causal) {
          assertArrayEquals(base[t], out[t], name + ": golden output of token " + t + " changed with token " + j);
          assertArrayEquals(floatBase[t], floatOut[t], 0.0, name + ": float output of token " + t);
        } else {
          earlierChanged |= !Arrays.equals(base[t], out[t]);
        }
      }
      if (!causal && j > 0) {
        assertTrue(earlierChanged, name + ": an encoder's earlier tokens must see token " + j);
      }
      boolean laterChanged = false;
      for (int t = j; t < seq; t++) {
        laterChanged |= !Arrays.equals(base[t], out[t]);
      }
      assertTrue(laterChanged, name + ": changing token " + j + " changed nothing");
    }
    System.out.println(name + ": seed " + seed + ", " + seq + " tokens: causality holds");
  }

  /** Golden model output rows of the compiled layer on input x. */
  static long[][] runGolden(HwParams p, RandomLayers.RandomLayer layer, double[][] x) {
    CompiledLayer c = LayerCompiler.compile(p, layer.quantized(), layer.quantized().quantizeInput(x, p.sfu().actBits()));
    LayerMachineModel machine = new LayerMachineModel(p);
    machine.run(c.setupProgram(), c.setupBeats());
    long[][] out = c.toMatrix(machine.run(c.program(), c.beats()));
    assertFalse(out.length == 0);
    return out;
  }
}
