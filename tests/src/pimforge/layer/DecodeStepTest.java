package pimforge.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import pimforge.params.HwParams;
import pimforge.params.ParamError;

/**
 * The compiled decode step on the golden layer machine, checked without a reference: with the
 * whole context cached losslessly (FULL, 8-bit keys and values = inputBits, no pruning) and an
 * exact ADC, a prefill of P tokens followed by N decode steps must reproduce, row for row and bit
 * for bit, the output of one causal prefill of P + N tokens (same weights, same causal attention;
 * only the order of work differs). The POSITION register must end at P + N.
 */
class DecodeStepTest {
  static final int PREFILL = 5;
  static final int DECODE = 4;

  static HwParams params(String preset, String kv) throws Exception {
    String json = "{\"precision\": {\"adcBits\": 16}, \"crossbar\": {\"rows\": 32, \"cols\": 32, \"lanes\": 4},"
        + " \"attention\": {\"maxSeqLen\": 16, \"schedule\": \"STRAIGHTFORWARD\"}, \"kvCache\": " + kv + "}";
    return pimforge.TestSupport.design(preset, json);
  }

  static final String LOSSLESS = "{\"enabled\": true, \"policy\": \"FULL\", \"budgetTokens\": 16, \"keyBits\": 8,"
      + " \"valueBits\": 8, \"groupSize\": 4, \"fullPrecisionTokens\": 4}";

  @Test
  void decodeStepsEqualOneLongCausalPrefill() throws Exception {
    for (String preset : List.of("tiny-llama", "tiny-gpt2")) {
      HwParams p = params(preset, LOSSLESS);
      RandomLayers.RandomLayer layer = RandomLayers.of(p, 7);
      long[][] in = layer.quantized().quantizeInput(layer.input(PREFILL + DECODE), p.sfu().actBits());
      LayerCompiler.DecodeLayer d = LayerCompiler.compileDecode(p, layer.quantized(), in, PREFILL);
      LayerMachineModel m = new LayerMachineModel(p);
      m.run(d.prefill().setupProgram(), d.prefill().setupBeats());
      List<long[]> out = new java.util.ArrayList<>(m.run(d.prefill().program(), d.prefill().beats()));
      assertEquals(PREFILL, m.position(), preset + ": POSITION after the prefill");
      for (List<long[]> step : d.stepBeats()) {
        out.addAll(m.run(d.decodeProgram(), step));
      }
      assertEquals(PREFILL + DECODE, m.position(), preset + ": POSITION after the decode steps");

      CompiledLayer whole = LayerCompiler.compile(p, layer.quantized(), in);
      List<long[]> want = whole.expectedBeats(p);
      assertEquals(want.size(), out.size(), preset + ": output beats");
      for (int b = 0; b < want.size(); b++) {
        assertArrayEquals(want.get(b), out.get(b), preset + ": beat " + b + " (token " + b / (p.model().hiddenSize()
            / p.crossbar().lanes()) + ")");
      }
      System.out.println(String.format("%s: prefill %d + %d decode steps equal one causal prefill of %d tokens; "
          + "decode program %d instructions", preset, PREFILL, DECODE, PREFILL + DECODE, d.decodeProgram().size()));
    }
  }

  @Test
  void badDecodeSetupsAreRefusedByName() throws Exception {
    ParamError e = assertThrows(ParamError.class, () -> params("tiny-llama", "{\"enabled\": true, \"budgetTokens\": 32}"));
    assertTrue(e.getMessage().contains("kvCache.budgetTokens"), e.getMessage());
    ParamError enc = assertThrows(ParamError.class, () -> params("tiny", "{\"enabled\": true, \"budgetTokens\": 16}"));
    assertTrue(enc.getMessage().contains("kvCache.enabled"), enc.getMessage());
  }
}
