package pimforge.layer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import pimforge.config.HwConfigReader;
import pimforge.params.HwParams;
import pimforge.params.ModelShape;

/**
 * Every block structure the layer top computes, at the default hardware and precision (only
 * attention.maxSeqLen set to 32) on realistic random weights, 32 tokens: the golden model (the
 * computation the RTL does) against FloatLayer, the float reference written from each
 * architecture's definition (causal mask, RoPE, ALiBi, SwiGLU, parallel blocks). Cosine >= 0.99.
 */
class DecoderBlocksAccuracyTest {

  static Stream<Arguments> presets() {
    return Stream.of("tiny", "tiny-gpt2", "tiny-llama", "tiny-gptj", "tiny-neox", "tiny-bloom", "tiny-gemma").map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("presets")
  void goldenTracksTheFloatReferenceAt32Tokens(String preset) throws Exception {
    ModelShape m = LayerConfigs.preset(preset);
    HwParams p = HwConfigReader.fromTree(
        new com.fasterxml.jackson.databind.ObjectMapper().readTree("{\"attention\": {\"maxSeqLen\": 32}}"), m);
    long seed = 40 + preset.length();
    RandomLayers.RandomLayer layer = RandomLayers.of(p, seed);
    double[][] x = layer.input(32);
    long[][] out = CausalAttentionTest.runGolden(p, layer, x);
    double[][] got = layer.quantized().dequantizeOutput(out);
    double[][] want = layer.floatLayer().forward(x);
    double cos = Similarity.cosine(got, want);
    System.out.println(String.format("%s (%s, %s): 32 tokens, seed %d, output cosine %.5f, max |error| %.4f", preset,
        String.join("; ", m.features().describe(m)), p.attention().schedule(), seed, cos,
        Similarity.maxAbsError(got, want)));
    assertTrue(cos >= 0.99, preset + ": cosine " + cos);
  }
}
