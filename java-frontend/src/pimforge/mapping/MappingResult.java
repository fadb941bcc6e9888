package pimforge.mapping;

import java.util.List;
import pimforge.params.HwParams;

/**
 * The mapper's answer for a whole model. Every layer of a Transformer has the same matrix shapes,
 * so {@code perLayer} lists one layer's matrices; totals are those times {@code storedLayers}
 * (the distinct weight sets: {@code layers} unless layers share weights, as in ALBERT), plus the
 * matrices stored once per model ({@code oncePerModel}: embedding projection, patch embedding).
 *
 * @param perLayer mapping of each weight matrix of one layer
 * @param layers number of layers executed
 * @param totalTiles tiles of all matrices of all layers
 * @param banksNeeded banks of all matrices of all layers (a bank holds one matrix's tiles only)
 * @param banksAvailable bank.banks
 * @param weightBytes all weights of all layers
 * @param physicalCells memory cells of all tiles used
 * @param kvCacheTokensAtBudget min(kvCache.budgetTokens, maxPositions); 0 for encoders
 * @param kvCacheBytesAtBudget K and V of all layers and KV heads at that many tokens
 * @param kvCacheBytesAtMaxPositions the same at model.maxPositions tokens (no eviction)
 * @param storedLayers layer weight sets stored (layers, or fewer when layers share weights)
 * @param oncePerModel matrices outside the layers, stored once (empty for most models)
 */
public record MappingResult(
    HwParams params, List<MatrixMapping> perLayer, int layers, long totalTiles, long banksNeeded,
    long banksAvailable, long weightBytes, long physicalCells, long kvCacheTokensAtBudget,
    long kvCacheBytesAtBudget, long kvCacheBytesAtMaxPositions, int storedLayers, List<MatrixMapping> oncePerModel) {

  /** Every layer stores its own weights; nothing outside the layers. */
  public MappingResult(
      HwParams params, List<MatrixMapping> perLayer, int layers, long totalTiles, long banksNeeded,
      long banksAvailable, long weightBytes, long physicalCells, long kvCacheTokensAtBudget,
      long kvCacheBytesAtBudget, long kvCacheBytesAtMaxPositions) {
    this(params, perLayer, layers, totalTiles, banksNeeded, banksAvailable, weightBytes, physicalCells,
        kvCacheTokensAtBudget, kvCacheBytesAtBudget, kvCacheBytesAtMaxPositions, layers, List.of());
  }

  /** Weights (matrix entries) mapped onto crossbars: every stored layer and the once-per-model matrices. */
  public long weights() {
    long perLayerWeights = 0;
    for (MatrixMapping m : perLayer) {
      perLayerWeights += m.weights();
    }
    long once = 0;
    for (MatrixMapping m : oncePerModel) {
      once += m.weights();
    }
    return perLayerWeights * storedLayers + once;
  }

  public boolean fits() {
    return banksNeeded <= banksAvailable;
  }

  /** Cells holding weight bits over cells of the tiles used, over the whole model, 0..1. */
  public double cellUtilisation() {
    long used = 0;
    long offered = 0;
    for (MatrixMapping m : perLayer) {
      used += (long) m.inputs() * m.outputs() * m.copies() * storedLayers;
      offered += m.tiles() * m.copies() * storedLayers;
    }
    for (MatrixMapping m : oncePerModel) {
      used += (long) m.inputs() * m.outputs() * m.copies();
      offered += m.tiles() * m.copies();
    }
    long cellsPerTile = (long) params.crossbar().rows() * params.crossbar().cols();
    return offered == 0 ? 0 : (double) used / (offered * cellsPerTile);
  }
}
