package pimforge.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import pimforge.config.HwConfigReader;
import pimforge.model.ModelPresets;
import pimforge.params.BankParams;
import pimforge.params.HwParams;
import pimforge.params.ModelShape;

class MapperTest {
  private static HwParams defaults(String preset) {
    return HwConfigReader.defaults(ModelPresets.get(preset).orElseThrow());
  }

  private static MatrixMapping find(MappingResult r, String name) {
    return r.perLayer().stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void bertBaseByHand() {
    // 128x128 tiles, 2x2 tiles per bank, 8-bit weights, 4 slices of 2-bit cells, OFFSET (1 group).
    MappingResult r = Mapper.map(defaults("bert-base"));
    assertEquals(List.of("q", "k", "v", "o", "ffnUp", "ffnDown"),
        r.perLayer().stream().map(MatrixMapping::name).toList());
    MatrixMapping q = find(r, "q");
    assertEquals(6, q.tileGridRows());
    assertEquals(6, q.tileGridCols());
    assertEquals(36, q.tiles());                   // ceil(768/128)^2
    assertEquals(9, q.banks());                    // ceil(6/2) * ceil(6/2)
    assertEquals(1.0, q.cellUtilisation());
    assertEquals(768L * 768, q.weightBytes());     // 8-bit weights: one byte each
    assertEquals(36L * 128 * 128 * 4, q.physicalCells());
    MatrixMapping up = find(r, "ffnUp");
    assertEquals(6 * 24, up.tiles());              // 768/128 x 3072/128
    assertEquals(3 * 12, up.banks());
    MatrixMapping down = find(r, "ffnDown");
    assertEquals(24 * 6, down.tiles());
    // per layer: 4 x 36 + 2 x 144 = 432 tiles; 4 x 9 + 2 x 36 = 108 banks; 12 layers.
    assertEquals(432L * 12, r.totalTiles());
    assertEquals(108L * 12, r.banksNeeded());
    assertTrue(r.fits());
    assertEquals((4L * 768 * 768 + 2L * 768 * 3072) * 12, r.weightBytes());
    assertEquals(0, r.kvCacheBytesAtBudget(), "encoders keep no KV cache");
    assertEquals(0, r.kvCacheBytesAtMaxPositions());
  }

  @Test
  void partialTilesLowerUtilisation() {
    // all-MiniLM: 384 = 3 tiles of 128 exactly; tiny: 64 of 128 rows and cols => 25 %.
    assertEquals(1.0, find(Mapper.map(defaults("all-minilm-l6-v2")), "q").cellUtilisation());
    MatrixMapping q = find(Mapper.map(defaults("tiny")), "q");
    assertEquals(1, q.tiles());
    assertEquals(0.25, q.cellUtilisation());
  }

  @Test
  void groupedQueryAttentionAndGatedFfn() {
    MappingResult r = Mapper.map(defaults("llama3-8b"));
    MatrixMapping k = find(r, "k");
    assertEquals(4096, k.inputs());
    assertEquals(1024, k.outputs());               // 8 KV heads x 128
    assertEquals(32 * 8, k.tiles());
    assertEquals(7, r.perLayer().size(), "q k v o up gate down");
    assertEquals(find(r, "ffnUp"), rename(find(r, "ffnGate"), "ffnUp"));
  }

  private static MatrixMapping rename(MatrixMapping m, String n) {
    return new MatrixMapping(n, m.inputs(), m.outputs(), m.tileGridRows(), m.tileGridCols(), m.tiles(), m.banks(),
        m.cellUtilisation(), m.weightBytes(), m.physicalCells());
  }

  @Test
  void fitIsReportedAgainstAvailableBanks() {
    HwParams few = defaults("bert-base").withBank(new BankParams(2, 2, 100));
    MappingResult r = Mapper.map(few);
    assertFalse(r.fits());
    assertEquals(100, r.banksAvailable());
  }

  @Test
  void llama2KvCacheAt32kTokensInSixteenBitsIs16GiB() {
    ModelShape llama = ModelPresets.get("llama2-7b").orElseThrow();
    assertEquals(16L << 30, Mapper.kvCacheBytes(llama, 16, 16, 32 * 1024));
  }

  @Test
  void kvCacheAtBudgetAndMaxPositionsUseConfiguredBits() {
    MappingResult r = Mapper.map(defaults("gpt2")); // 8-bit K and V, budget 1024 = maxPositions
    long perToken = 12L * 12 * 64 * 2;               // layers * kvHeads * headDim * (K + V) bytes
    assertEquals(1024, r.kvCacheTokensAtBudget());
    assertEquals(perToken * 1024, r.kvCacheBytesAtBudget());
    assertEquals(perToken * 1024, r.kvCacheBytesAtMaxPositions());
    MappingResult m = Mapper.map(defaults("mistral-7b"));
    assertEquals(32L * 8 * 128 * 2 * 1024, m.kvCacheBytesAtBudget());
    assertEquals(32L * 8 * 128 * 2 * 32768, m.kvCacheBytesAtMaxPositions());
  }
}
