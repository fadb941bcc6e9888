package pimforge.mapping;

import java.util.List;
import pimforge.params.HwParams;

/**
 * The mapper's answer for a whole model. Every layer of a Transformer has the same matrix shapes,
 * so {@code perLayer} lists one layer's matrices; totals are those times {@code layers}.
 *
 * @param perLayer mapping of each weight matrix of one layer
 * @param layers number of identical layers
 * @param totalTiles tiles of all matrices of all layers
 * @param banksNeeded banks of all matrices of all layers (a bank holds one matrix's tiles only)
 * @param banksAvailable bank.banks
 * @param weightBytes all weights of all layers
 * @param physicalCells memory cells of all tiles used
 * @param kvCacheTokensAtBudget min(kvCache.budgetTokens, maxPositions); 0 for encoders
 * @param kvCacheBytesAtBudget K and V of all layers and KV heads at that many tokens
 * @param kvCacheBytesAtMaxPositions the same at model.maxPositions tokens (no eviction)
 */
public record MappingResult(
    HwParams params, List<MatrixMapping> perLayer, int layers, long totalTiles, long banksNeeded,
    long banksAvailable, long weightBytes, long physicalCells, long kvCacheTokensAtBudget,
    long kvCacheBytesAtBudget, long kvCacheBytesAtMaxPositions) {

  public boolean fits() {
    return banksNeeded <= banksAvailable;
  }

  /** Cells holding weight bits over cells of the tiles used, over the whole model, 0..1. */
  public double cellUtilisation() {
    long used = 0;
    long offered = 0;
    for (MatrixMapping m : perLayer) {
      used += (long) m.inputs() * m.outputs();
      offered += m.tiles();
    }
    long cellsPerTile = (long) params.crossbar().rows() * params.crossbar().cols();
    return offered == 0 ? 0 : (double) used / (offered * cellsPerTile);
  }
}
