package pimforge.layer;

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
}
