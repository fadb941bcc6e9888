package pimforge.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import pimforge.RealConfigs;
import pimforge.config.HwConfigReader;
import pimforge.model.HfConfigImporter;
import pimforge.params.AttentionParams.Schedule;
import pimforge.params.HwParams;
import pimforge.params.ModelFeatures;
import pimforge.params.ModelShape;
import pimforge.params.ParamError;

/**
 * The real decoder configs whose block structure the layer top computes (parallel blocks, RoPE of
 * either pairing and width, ALiBi, gated FFN, grouped-query attention) pass LayerSupport and plan
 * onto the layer top with the banks their structure needs, at a short sequence and banks sized to
 * their heads (full-size RTL of these models is a benchmark, not a test). Asking a rotary model for
 * the DECOMPOSED schedule is an attention.schedule error.
 */
class RealDecoderLayersTest {

  static Stream<Arguments> decoders() {
    return Stream.of(
        Arguments.of("gpt-j-6b.json", 256, true),
        Arguments.of("phi-2.json", 80, true),
        Arguments.of("phi-2-mixformer-legacy.json", 80, true),
        Arguments.of("bloom-3b.json", 80, false),
        Arguments.of("gpt-neo-125m.json", 64, false),
        Arguments.of("mistral-7b-instruct-v0.3-todict.json", 128, true),
        Arguments.of("llava-1.5-7b-hf.json", 128, true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("decoders")
  void plansOntoTheLayerTop(String file, int headDim, boolean rotary) throws Exception {
    ModelShape m = HfConfigImporter.read(RealConfigs.file(file));
    assertEquals(headDim, m.headDim());
    LayerSupport.require(m);
    // Banks of headDim x 256 inputs x outputs (a head fills a bank's inputs), 8 tokens, 8 lanes.
    int rows = Integer.highestOneBit(headDim) == headDim ? headDim : 16;
    int gridRows = headDim / rows;
    String json = String.format("{\"crossbar\": {\"rows\": %d, \"cols\": 256, \"lanes\": 8},"
        + " \"bank\": {\"tileGridRows\": %d, \"tileGridCols\": 1, \"banks\": 65536},"
        + " \"attention\": {\"maxSeqLen\": 8}}", rows, gridRows);
    HwParams p = HwConfigReader.fromTree(new com.fasterxml.jackson.databind.ObjectMapper().readTree(json), m);
    assertEquals(rotary ? Schedule.STRAIGHTFORWARD : Schedule.DECOMPOSED, p.attention().schedule(),
        "rotary models default to STRAIGHTFORWARD");
    LayerPlan plan = LayerPlan.of(p);
    boolean hasRot = plan.banks().stream().anyMatch(b -> b.role().equals("qRot"));
    assertEquals(rotary, hasRot, "qRot banks exactly for rotary models");
    assertEquals(m.gatedFfn(), plan.banks().stream().anyMatch(b -> b.role().equals("ffnGate")));
    assertTrue(plan.programDepth() > 0);
    System.out.println(String.format("%s: %s, %d banks, %d scratch words, %d instructions", file,
        String.join("; ", m.features().describe(m)), plan.banks().size(), plan.scratchWords(), plan.programDepth()));
    if (rotary) {
      HwParams decomposed = p.withAttention(new pimforge.params.AttentionParams(8, Schedule.DECOMPOSED, 2));
      ParamError e = org.junit.jupiter.api.Assertions.assertThrows(ParamError.class, () -> LayerPlan.of(decomposed));
      assertEquals("attention.schedule", e.field());
    } else if (file.startsWith("bloom")) {
      assertEquals(ModelFeatures.Positions.ALIBI, m.features().positions());
    } else {
      assertEquals(1, m.features().queryScaleDim(), "GPT-Neo does not scale its scores");
      LayerSupport.require(p); // its 256-token window covers the 8-token pass
    }
  }
}
