package pimforge.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import pimforge.cam.CamConfigs;
import pimforge.params.CamParams;
import pimforge.params.HwParams;
import pimforge.params.ParamError;
import pimforge.params.SoftmaxParams;

/** Event counts and energy of the CAM attention unit ({@link CamCost}). */
class CamCostTest {
  private static final TechTable T = TechTable.defaults();

  /** CamConfigs A: d 16, 32 keys in 4 tiles of 8, top-10 in 2 stages (3 per tile), 4-bit ADC, 4 lanes, V 8 b. */
  @Test
  void smallConfigCountsByHand() {
    HwParams p = CamConfigs.CONFIGS.get(0);
    CamCost c = CamCost.of(p, T);
    int in = p.camDerived().inBits();
    int out = p.camDerived().outBits();
    Map<String, Long> q = c.query();
    assertEquals(4, q.get("tileSearches"));
    assertEquals(4 * 8 * 16, q.get("camCellsSearched"));
    assertEquals(32, q.get("adcConversions"));
    assertEquals(4 * 3 * 7, q.get("perTileComparisons"), "3 argmax trees of 7 comparators per tile");
    assertEquals(4, q.get("mergeSteps"));
    assertEquals(4 * (2 * 10 * 3 + 3 * 2), q.get("mergeComparisons"));
    assertEquals(3 * 4, q.get("softmaxElements"), "ceil(10/4) beats of 4 lanes");
    assertEquals(10 * 16 * 8, q.get("valueBitsRead"));
    assertEquals(0, q.get("keyBitsRead"));
    assertEquals(10 * 16, q.get("macs"));
    assertEquals((1 + 4) * 4 * in, q.get("streamBitsIn"));
    assertEquals((3 * 3 + 4) * 4 * out, q.get("streamBitsOut"));
    Map<String, Long> w = c.write();
    assertEquals(16, w.get("camCellsWritten"));
    assertEquals(16 * 8, w.get("valueBitsWritten"));
    assertEquals(0, w.get("keyBitsWritten"));
    assertEquals((1 + 2 * 4) * 4 * in, w.get("streamBitsIn"));
    assertEquals(1 + 9, c.writeCycles());
    assertEquals(32 * 16, c.camBits());
    assertEquals(32 * 16 * 8, c.valueBits());
    assertEquals(0, c.keyMemoryBits());
    // energies: counts x the table's constants
    assertEquals(512 * 12.8e-3, c.queryPj().get("CAM_SEARCH"), 1e-9);
    assertEquals(32 * 1.855 * 0.79 / 1.20, c.queryPj().get("MATCH_ADC"), 1e-9);
    assertEquals(84 * 0.4167, c.queryPj().get("TOP_PER_TILE"), 1e-9);
    assertEquals(264 * 0.1082, c.queryPj().get("TOP_K_MERGE"), 1e-9);
    assertEquals(12 * 2 * (3.1 + 0.1), c.queryPj().get("SOFTMAX"), 1e-9);
    assertEquals(1280 * 0.3387, c.queryPj().get("VALUE_SRAM"), 1e-9);
    assertEquals(160 * 4.492, c.queryPj().get("MAC"), 1e-9);
    assertEquals(16 * 51.29e-3, c.writePj().get("CAM_WRITE"), 1e-9);
  }

  /** CamConfigs C: d 16, 32 keys in 8 tiles of 4, top-6 in 2 stages (2 per tile), 2 lanes, re-scoring with 5-bit keys. */
  @Test
  void rescoringReadsTheSurvivorsKeysAndDoublesTheMacs() {
    HwParams p = CamConfigs.CONFIGS.get(2);
    CamCost c = CamCost.of(p, T);
    Map<String, Long> q = c.query();
    assertEquals(8 * 2 * 3, q.get("perTileComparisons"));
    assertEquals(8 * (2 * 6 * 2 + 2), q.get("mergeComparisons"));
    assertEquals(6 * 16 * 5, q.get("keyBitsRead"));
    assertEquals(2 * 6 * 16, q.get("macs"));
    assertEquals(16 * 5, c.write().get("keyBitsWritten"));
    assertEquals(32 * 16 * 5, c.keyMemoryBits());
    assertEquals(480 * 0.1114, c.queryPj().get("KEY_SRAM"), 1e-9);
    assertEquals(6 * 16 / 2, c.cycles().rescoring(), "k d / lanes cycles");
  }

  /** CamConfigs B: 1 stage, the whole tile merged, no per-tile stage. */
  @Test
  void oneStageMergesWholeTiles() {
    HwParams p = CamConfigs.CONFIGS.get(1);
    CamCost c = CamCost.of(p, T);
    assertEquals(0, c.query().get("perTileComparisons"));
    assertEquals(3 * (2 * 8 * 16 + 16 * 15), c.query().get("mergeComparisons"));
    assertEquals(0, c.queryPj().get("TOP_PER_TILE"));
  }

  /**
   * scripts/cam-cycles' point (N 1024, d 64, k 32, 16 x 64 tiles, 6-bit ADC, 2 stages, 8 lanes, softmax 1 lane):
   * the modules CAMformer also has per attention come out at its shares (the constants are derived there), the
   * CAM search without its programming; the total lies within 1.5x of CAMformer's 35.8 nJ on chip.
   */
  @Test
  void camformerPoint() {
    SoftmaxParams oneLane = new SoftmaxParams(20, 1, 16, 5, 512, 16, 4, 8);
    HwParams p = CamConfigs.of(1, 1024, oneLane, new CamParams(true, 16, 32, 2, 6, 16, 8, 64, 8, false));
    CamCost c = CamCost.of(p, T);
    Map<String, Double> e = c.queryPj();
    assertEquals(1900, e.get("MATCH_ADC"), 1900 * 1e-3);
    assertEquals(800, e.get("TOP_PER_TILE"), 800 * 1e-3);
    assertEquals(900, e.get("TOP_K_MERGE"), 900 * 1e-3);
    assertEquals(11100, e.get("VALUE_SRAM"), 11100 * 1e-3);
    assertEquals(9200, e.get("MAC"), 9200 * 1e-3);
    assertEquals(64 * 1024 * 12.8e-3, e.get("CAM_SEARCH"), 1e-6, "searches only; CAMformer's 4.2 nJ reprograms too");
    assertEquals(0, e.get("KEY_SRAM"));
    assertEquals(32 * 2 * 3.2, e.get("SOFTMAX"), 1e-9);
    double sum = e.values().stream().mapToDouble(Double::doubleValue).sum();
    assertEquals(sum, c.queryPjTotal(), 1e-9, "the breakdown sums to the total");
    double nj = c.queryPjTotal() / 1000;
    assertTrue(nj > CamCost.CAMFORMER_ON_CHIP_NJ / 1.5 && nj < CamCost.CAMFORMER_ON_CHIP_NJ * 1.5,
        nj + " nJ vs CAMformer's 35.8 on chip");
    assertTrue(nj < CamCost.CAMFORMER_ON_CHIP_NJ, "resident keys: no key-SRAM reads or CAM programming per attention");
    assertEquals(461, c.cycles().total());
    // writing one key: 64 CAM cells, 64 x 16 V bits, the 17-beat packet
    assertEquals(64 * 51.29e-3 + 1024 * 0.3387 + 17 * 8 * p.camDerived().inBits() * 0.081, c.writePjTotal(), 1e-6);
    assertEquals(1024 * 64, c.camBits());
  }

  /** Each cam* constant is the derivation its source states, at CAMformer's point (REFERENCE.md s.5). */
  @Test
  void camConstantsAreTheirSourcesDerivations() {
    assertEquals((4200 - 64 * 1024 * T.get("camSearch_fJPerBit") / 1000) / (1024 * 64) * 1000, T.get("camWrite_fJPerBit"),
        0.01);
    assertEquals(1900.0 / 1024, T.get("camMatchAdc6b_pJ"), 0.001);
    assertEquals(800.0 / (64 * 2 * 15), T.get("camTopPerTileCompare_pJ"), 0.0001);
    assertEquals(900.0 / (64 * (2 * 32 * 2 + 2)), T.get("camTopKMergeCompare_pJ"), 0.0001);
    assertEquals(11100.0 / (32 * 64 * 16), T.get("camValueSram_pJPerBit"), 0.0001);
    assertEquals(7300.0 / (1024 * 64), T.get("camKeySram_pJPerBit"), 0.0001);
    assertEquals(9200.0 / (32 * 64), T.get("camMac_pJ"), 0.001);
  }

  @Test
  void refusedWithoutCam() {
    HwParams p = CamConfigs.CONFIGS.get(0);
    ParamError e = assertThrows(ParamError.class, () -> CamCost.of(p.withCam(p.cam().withEnabled(false)), T));
    assertTrue(e.getMessage().contains("cam.enabled"), e.getMessage());
  }

}
