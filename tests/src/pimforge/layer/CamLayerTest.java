package pimforge.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import pimforge.params.HwParams;
import pimforge.params.ParamError;

/**
 * CAM attention in the layer top on the golden machine, by properties that need no reference:
 * decode over the cache's slots equals one long causal prefill (the CAM rows are the slots);
 * a decoder's prefill is causal (a token's output does not change when later tokens are added);
 * with every key surviving (topK = maxSeqLen) and exact re-scoring, CAM attention is dense
 * attention, so the layer output stays close to the dense path's (independent code: crossbar
 * products and the softmax engine).
 */
class CamLayerTest {
  static final int PREFILL = 5;
  static final int DECODE = 4;

  /** A tiny decoder or encoder with 16 positions, CAM of 4 tiles of 4 rows, and a lossless FULL cache. */
  static HwParams params(String preset, String cam, boolean kv) throws Exception {
    return params(preset, cam, kv ? DecodeStepTest.LOSSLESS : null);
  }

  static HwParams params(String preset, String cam, String kv) throws Exception {
    String json = "{\"precision\": {\"adcBits\": 16}, \"crossbar\": {\"rows\": 32, \"cols\": 32, \"lanes\": 4},"
        + " \"attention\": {\"maxSeqLen\": 16, \"schedule\": \"STRAIGHTFORWARD\"}, \"cam\": " + cam
        + (kv != null ? ", \"kvCache\": " + kv : "") + "}";
    return pimforge.TestSupport.design(preset, json);
  }

  static final String BINARY = "{\"enabled\": true, \"rowsPerTile\": 4, \"topK\": 6, \"stages\": 2, \"matchAdcBits\": 4,"
      + " \"lanes\": 4, \"cols\": 64}";
  static final String RESCORED_ALL = "{\"enabled\": true, \"rowsPerTile\": 4, \"topK\": 16, \"stages\": 1,"
      + " \"matchAdcBits\": 4, \"lanes\": 4, \"cols\": 64, \"keyBits\": 8, \"valueBits\": 8, \"rescore\": true}";

  @Test
  void decodeStepsEqualOneLongCausalPrefill() throws Exception {
    for (String preset : List.of("tiny-llama", "tiny-gpt2")) {
      HwParams p = params(preset, BINARY, true);
      RandomLayers.RandomLayer layer = RandomLayers.of(p, 7);
      long[][] in = layer.quantized().quantizeInput(layer.input(PREFILL + DECODE), p.sfu().actBits());
      LayerCompiler.DecodeLayer d = LayerCompiler.compileDecode(p, layer.quantized(), in, PREFILL);
      LayerMachineModel m = new LayerMachineModel(p);
      m.run(d.prefill().setupProgram(), d.prefill().setupBeats());
      List<long[]> out = new ArrayList<>(m.run(d.prefill().program(), d.prefill().beats()));
      for (List<long[]> step : d.stepBeats()) {
        out.addAll(m.run(d.decodeProgram(), step));
      }
      List<long[]> want = LayerCompiler.compile(p, layer.quantized(), in).expectedBeats(p);
      assertEquals(want.size(), out.size(), preset);
      for (int b = 0; b < want.size(); b++) {
        assertArrayEquals(want.get(b), out.get(b), preset + ": beat " + b);
      }
      assertTrue(d.decodeProgram().stream().anyMatch(i -> i.opcode() == Opcode.CAM), preset + ": no CAM instruction");
      assertTrue(d.decodeProgram().stream().noneMatch(i -> i.opcode() == Opcode.MVM && i.stage() == LayerStage.SCORES),
          preset + ": scores still on the crossbars");
    }
  }

  @Test
  void decoderPrefillIsCausal() throws Exception {
    HwParams p = params("tiny-llama", BINARY, false);
    RandomLayers.RandomLayer layer = RandomLayers.of(p, 3);
    int n = 9;
    long[][] in = layer.quantized().quantizeInput(layer.input(n), p.sfu().actBits());
    List<long[]> whole = LayerCompiler.compile(p, layer.quantized(), in).expectedBeats(p);
    int beatsPerToken = whole.size() / n;
    for (int t : new int[] {1, 4, 8}) {
      List<long[]> prefix = LayerCompiler.compile(p, layer.quantized(), java.util.Arrays.copyOf(in, t)).expectedBeats(p);
      for (int b = 0; b < prefix.size(); b++) {
        assertArrayEquals(whole.get(b), prefix.get(b), "prefix " + t + ", beat " + b);
      }
    }
  }

  /** All keys survive and are re-scored exactly: the CAM computes dense attention. */
  @Test
  void everyKeyRescoredIsCloseToDenseAttention() throws Exception {
    for (String preset : List.of("tiny", "tiny-llama")) {
      HwParams cam = params(preset, RESCORED_ALL, false);
      HwParams dense = cam.withCam(cam.cam().withEnabled(false));
      long[][] outCam = run(cam, 12);
      long[][] outDense = run(dense, 12);
      double cos = pimforge.layer.Similarity.cosine(flatten(outCam), flatten(outDense));
      System.out.println(String.format("%s: CAM (top-16 of 12 tokens, re-scored) vs dense layer output cosine %.4f",
          preset, cos));
      assertTrue(cos > 0.999, preset + ": cosine " + cos);
    }
  }

  private static long[][] run(HwParams p, int n) {
    RandomLayers.RandomLayer layer = RandomLayers.of(p, 5);
    long[][] in = layer.quantized().quantizeInput(layer.input(n), p.sfu().actBits());
    return LayerCompiler.compile(p, layer.quantized(), in).expectedBeats(p).toArray(new long[0][]);
  }

  private static double[][] flatten(long[][] beats) {
    return new double[][] {java.util.Arrays.stream(beats).flatMapToLong(java.util.Arrays::stream).asDoubleStream()
        .toArray()};
  }

  /** The cost model charges every query and key write of a CAM program (CamCost per event). */
  @Test
  void camEventsEnterTheLayerEnergy() throws Exception {
    HwParams p = params("tiny-llama", BINARY, false);
    int seq = 7;
    List<Instruction> program = LayerCompiler.programs(p, seq).layer();
    pimforge.cost.EventCounts ev = pimforge.cost.EventCounts.of(p, program);
    assertEquals((long) p.model().numHeads() * seq, ev.total(Event.CAM_QUERIES), "one query per head and token");
    assertEquals((long) p.model().numKvHeads() * seq, ev.total(Event.CAM_KEY_WRITES), "one row per KV head and token");
    pimforge.cost.TechTable t = pimforge.cost.TechTable.defaults();
    pimforge.cost.CamCost cam = pimforge.cost.CamCost.of(p, t);
    LayerPlan plan = LayerPlan.of(p);
    double camPj = pimforge.cost.EnergyModel.of(p, t, plan.lanes(), plan.elementBits()).byComponentPj(ev.totals())
        .get(pimforge.cost.EnergyModel.Component.CAM);
    assertEquals(ev.total(Event.CAM_QUERIES) * cam.queryPjInLayer() + ev.total(Event.CAM_KEY_WRITES)
        * cam.writePjInLayer(), camPj, 1e-6);
    assertTrue(cam.queryPjInLayer() > 0 && cam.queryPjInLayer() < cam.queryPjTotal(), "stream bits left to SCRATCH");
    assertTrue(program.stream().noneMatch(i -> i.opcode() == Opcode.GATHER_WEIGHTS), "no runtime crossbar writes");
    assertEquals(p.model().numKvHeads() * (cam.sramAreaUm2() + cam.adcAreaUm2()),
        pimforge.cost.AreaModel.macrosUm2(p, plan, t).get("camUnits"), 1e-6, "one CAM unit per KV head");
  }

  @Test
  void unsupportedCombinationsAreRefusedByName() throws Exception {
    ParamError decomposed = assertThrows(ParamError.class, () -> LayerPlan.of(pimforge.TestSupport.design("tiny",
        "{\"crossbar\": {\"rows\": 32, \"cols\": 32, \"lanes\": 4}, \"attention\": {\"maxSeqLen\": 16, \"schedule\":"
            + " \"DECOMPOSED\"}, \"cam\": " + BINARY + "}")));
    assertTrue(decomposed.getMessage().contains("attention.schedule"), decomposed.getMessage());
    ParamError lanes = assertThrows(ParamError.class, () -> LayerPlan.of(params("tiny",
        BINARY.replace("\"lanes\": 4", "\"lanes\": 8"), false)));
    assertTrue(lanes.getMessage().contains("cam.lanes"), lanes.getMessage());
    HwParams small = params("tiny-llama", BINARY, DecodeStepTest.LOSSLESS.replace("\"budgetTokens\": 16",
        "\"budgetTokens\": 8"));
    RandomLayers.RandomLayer layer = RandomLayers.of(small, 7);
    long[][] in = layer.quantized().quantizeInput(layer.input(16), small.sfu().actBits());
    ParamError seq = assertThrows(ParamError.class, () -> LayerCompiler.compileDecode(small, layer.quantized(), in,
        10));
    assertTrue(seq.getMessage().contains("--seq") && seq.getMessage().contains("cam.enabled"), seq.getMessage());
    ParamError h2o = assertThrows(ParamError.class, () -> LayerPlan.of(params("tiny-llama", BINARY,
        "{\"enabled\": true, \"policy\": \"HEAVY_HITTER\", \"budgetTokens\": 8, \"windowTokens\": 4, \"groupSize\": 4,"
            + " \"fullPrecisionTokens\": 4}")));
    assertTrue(h2o.getMessage().startsWith("kvCache.policy: is HEAVY_HITTER"), h2o.getMessage());
  }
}
