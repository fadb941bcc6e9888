package pimforge.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import pimforge.config.HwConfigReader;
import pimforge.model.ModelPresets;
import pimforge.params.AttentionParams;
import pimforge.params.HwParams;
import pimforge.params.ParamError;

/** LayerPlan (program depth by compiling at maxSeqLen) for every preset: a plan or a ParamError, nothing else. */
class LayerPlanPresetsTest {

  @Test
  void everyPresetGetsAPlanOrAParamError() {
    for (String name : ModelPresets.names()) {
      HwParams d = HwConfigReader.defaults(ModelPresets.get(name).orElseThrow());
      for (AttentionParams.Schedule s : AttentionParams.Schedule.values()) {
        HwParams p = d.withAttention(new AttentionParams(Math.min(32, d.attention().maxSeqLen()), s, 2));
        try {
          LayerPlan plan = LayerPlan.of(p);
          System.out.println(name + " " + s + ": " + plan.banks().size() + " banks, " + plan.scratchWords()
              + " scratch words, program depth " + plan.programDepth());
          assertTrue(plan.programDepth() > 0);
        } catch (ParamError e) {
          System.out.println(name + " " + s + ": " + e.getMessage());
          // The encoders the layer top is built for must fit at their defaults.
          assertTrue(!name.equals("tiny") && !name.equals("all-minilm-l6-v2") && !name.equals("bert-base"),
              name + " " + s + ": " + e.getMessage());
        }
      }
    }
  }

  @Test
  void llama2At4096TokensFitsTheIsaAndTheRtlAddressFollowsThePlan() {
    HwParams d = HwConfigReader.defaults(ModelPresets.get("llama2-7b").orElseThrow());
    HwParams p = d.withAttention(new AttentionParams(4096, d.attention().schedule(), 2));
    LayerPlan plan = LayerPlan.of(p);
    assertEquals(27548934, plan.scratchWords()); // beyond the former 2^24 ISA limit
    assertTrue(plan.scratchWords() <= LayerPlan.MAX_SCRATCH_WORDS);
    // The RTL's scratchpad ports are as wide as this plan needs (25 bits), not the ISA's 28.
    assertEquals(25, pimforge.hw.layer.ScratchAddr.bits(plan));
    assertTrue(pimforge.hw.layer.ScratchAddr.bits(plan) <= InstructionField.ADDRESS_BITS);
  }

  @Test
  void aScratchpadBeyondTheIsaNamesMaxSeqLen() {
    // 64 heads in flight at 4096 tokens: 64 score/probability buffers push the scratchpad past 2^28 words.
    HwParams d = HwConfigReader.defaults(ModelPresets.get("llama2-7b").orElseThrow());
    HwParams p = d.withAttention(new AttentionParams(4096, d.attention().schedule(), 64));
    ParamError e = assertThrows(ParamError.class, () -> LayerPlan.of(p));
    assertTrue(e.getMessage().startsWith("attention.maxSeqLen: is 4096"), e.getMessage());
    assertTrue(e.getMessage().contains("allowed at most 268435456"), e.getMessage());
  }
}
