package pimforge.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import pimforge.config.HwConfigReader;
import pimforge.model.ModelPresets;
import pimforge.params.BankParams;
import pimforge.params.HwParams;

/** Whole-model figures are sums of the exact per-layer programs; chips and the decode label add up. */
class ModelEvaluationTest {
  private static final HwParams TINY = HwConfigReader.defaults(ModelPresets.get("tiny").orElseThrow());
  private static final TechTable T = TechTable.defaults();

  @Test
  void wholeModelIsLayersTimesTheLayerProgram() {
    ModelEvaluation ev = ModelEvaluation.of(TINY, T, 8, 4);
    assertEquals(2, ev.layers());
    assertEquals(2.0 * ev.prefill().cycles() / 100e6, ev.prefillSeconds(), 1e-15);
    assertEquals(2.0 * ev.prefill().energyPj() * 1e-12, ev.prefillJoules(), 1e-18);
    double sum = ev.prefillJoulesByComponent().values().stream().mapToDouble(Double::doubleValue).sum();
    assertEquals(ev.prefillJoules(), sum, 1e-12 * ev.prefillJoules(), "components add up to the total");
    assertEquals(1, ev.chips());
  }

  @Test
  void decodeWithoutKvCacheCostsAPrefillOfTheWholeContext() {
    ModelEvaluation dec = ModelEvaluation.of(TINY, T, 8, 4);
    ModelEvaluation pre = ModelEvaluation.of(TINY, T, 12, 0);
    assertEquals(pre.prefill().cycles(), dec.decode().cycles());
    assertEquals(pre.prefillJoules(), dec.decodeJoulesPerToken(), 1e-9 * pre.prefillJoules());
  }

  @Test
  void chipsHoldAllLayersBanksAndCrossingsCostEnergy() {
    HwParams few = TINY.withBank(new BankParams(2, 2, 4));
    ModelEvaluation ev = ModelEvaluation.of(few, T, 8, 0);
    assertEquals((2L * ev.banksPerLayer() + 3) / 4, ev.chips());
    assertTrue(ev.chips() > 1);
    assertTrue(ev.interChipJoules(8) > 0);
  }

  @Test
  void clockScalesLatencyOnly() {
    ModelEvaluation slow = ModelEvaluation.of(TINY, T, 8, 0);
    ModelEvaluation fast = ModelEvaluation.of(TINY.withBank(new BankParams(2, 2, 4096, 400)), T, 8, 0);
    assertEquals(slow.prefillSeconds() / 4, fast.prefillSeconds(), 1e-15);
    assertEquals(slow.prefillJoules(), fast.prefillJoules(), 0);
  }
}
