package pimforge.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import pimforge.config.HwConfigReader;
import pimforge.model.ModelPresets;
import pimforge.params.AttentionParams.Schedule;
import pimforge.params.HwParams;

/** Crossbar writes and MACs of both attention schedules, checked by hand on BERT-base and Llama-3-8B. */
class AttentionWorkTest {
  private static HwParams preset(String name) {
    return HwConfigReader.defaults(ModelPresets.get(name).orElseThrow());
  }

  @Test
  void bertBaseAt128Tokens() {
    HwParams bert = preset("bert-base"); // hidden 768, 12 heads x 64, 8-bit weights over 4 slices
    AttentionWork plain = AttentionWork.of(bert, Schedule.STRAIGHTFORWARD, 128);
    AttentionWork decomposed = AttentionWork.of(bert, Schedule.DECOMPOSED, 128);
    assertEquals(2L * 128 * 768, plain.writtenWeights());
    assertEquals(2L * 128 * 768 * 4, plain.writtenCells());
    assertTrue(plain.writesWaitForProjections());
    // multi-head attention: K,V have the model width, so both write as much; decomposition moves
    // the writes off the critical path (X exists at the start of the layer)
    assertEquals(plain.writtenWeights(), decomposed.writtenWeights());
    assertFalse(decomposed.writesWaitForProjections());
    long qo = 2L * 128 * 768 * 768;
    assertEquals(qo + 2L * 128 * 768 * 768 + 2L * 12 * 128 * 128 * 64, plain.macs());
    assertEquals(qo + 2L * 12 * 128 * 64 * 768 + 2L * 12 * 128 * 768 * 128, decomposed.macs());
  }

  @Test
  void groupedQueryAttentionWritesMoreWhenDecomposed() {
    HwParams llama3 = preset("llama3-8b"); // hidden 4096, 8 KV heads x 128 = kvDim 1024
    AttentionWork plain = AttentionWork.of(llama3, Schedule.STRAIGHTFORWARD, 1024);
    AttentionWork decomposed = AttentionWork.of(llama3, Schedule.DECOMPOSED, 1024);
    assertEquals(2L * 1024 * 1024, plain.writtenWeights());
    assertEquals(2L * 1024 * 4096, decomposed.writtenWeights());
  }
}
