package pimforge.mapping;

import java.util.ArrayList;
import java.util.List;
import pimforge.params.HwParams;
import pimforge.params.ModelFeatures;
import pimforge.params.ModelShape;

/**
 * Maps every weight matrix of the model onto crossbar tiles and banks and sizes the KV cache.
 * First-order: one matrix per bank group (no two matrices share a bank), weights stationary.
 * Per layer: Q (hidden x heads*headDim), K and V (hidden x kvHeads*headDim), O (heads*headDim x
 * hidden), the FFN (up, gate when gated, down) once per expert and the router for
 * mixture-of-experts layers. Shared layers (ALBERT) are stored once per weight set; an embedding
 * projection or a ViT patch embedding is stored once per model.
 */
public final class Mapper {
  private Mapper() {}

  public static MappingResult map(HwParams p) {
    ModelShape m = p.model();
    int h = m.hiddenSize();
    List<MatrixMapping> layer = new ArrayList<>();
    layer.add(matrix(p, "q", h, m.qDim()));
    layer.add(matrix(p, "k", h, m.kvDim()));
    layer.add(matrix(p, "v", h, m.kvDim()));
    layer.add(matrix(p, "o", m.qDim(), h));
    ModelFeatures f = m.features();
    int experts = f.isMoe() ? f.numExperts() : 1;
    if (f.isMoe()) {
      layer.add(matrix(p, "router", h, f.numExperts()));
    }
    layer.add(matrix(p, "ffnUp", h, m.ffnSize()).times(experts));
    if (m.gatedFfn()) {
      layer.add(matrix(p, "ffnGate", h, m.ffnSize()).times(experts));
    }
    layer.add(matrix(p, "ffnDown", m.ffnSize(), h).times(experts));

    List<MatrixMapping> once = new ArrayList<>();
    if (f.embeddingSize() > 0) {
      once.add(matrix(p, "embeddingProjection", f.embeddingSize(), h));
    }
    if (f.patches() != null) {
      once.add(matrix(p, "patchEmbedding", f.patches().inputs(), h));
    }

    int n = m.storedLayers();
    long tiles = 0;
    long banks = 0;
    long bytes = 0;
    long cells = 0;
    for (MatrixMapping x : layer) {
      tiles += x.tiles() * x.copies() * n;
      banks += x.banks() * x.copies() * n;
      bytes += x.weightBytes() * x.copies() * n;
      cells += x.physicalCells() * x.copies() * n;
    }
    for (MatrixMapping x : once) {
      tiles += x.tiles();
      banks += x.banks();
      bytes += x.weightBytes();
      cells += x.physicalCells();
    }
    long budgetTokens = m.family() == ModelShape.Family.ENCODER ? 0
        : Math.min(p.kvCache().budgetTokens(), m.maxPositions());
    return new MappingResult(p, List.copyOf(layer), m.numLayers(), tiles, banks, p.bank().banks(),
        bytes, cells, budgetTokens, kvCacheBytes(p, budgetTokens), kvCacheBytes(p, m.maxPositions()), n,
        List.copyOf(once));
  }

  static MatrixMapping matrix(HwParams p, String name, int in, int out) {
    int rows = p.crossbar().rows();
    int cols = p.crossbar().cols();
    int gr = ceilDiv(in, rows);
    int gc = ceilDiv(out, cols);
    long tiles = (long) gr * gc;
    long banks = (long) ceilDiv(gr, p.bank().tileGridRows()) * ceilDiv(gc, p.bank().tileGridCols());
    double util = (double) in * out / ((double) tiles * rows * cols);
    long weightBytes = ceilDiv((long) in * out * p.precision().weightBits(), 8);
    long cells = tiles * rows * cols * p.precision().slices() * p.precision().columnGroups();
    return new MatrixMapping(name, in, out, gr, gc, tiles, banks, util, weightBytes, cells);
  }

  /**
   * K and V of every layer and KV head at {@code tokens}: layers * kvHeads * headDim * tokens *
   * (keyBits + valueBits) / 8. Encoders keep no cache: 0.
   */
  public static long kvCacheBytes(HwParams p, long tokens) {
    ModelShape m = p.model();
    if (m.family() == ModelShape.Family.ENCODER) {
      return 0;
    }
    return kvCacheBytes(m, p.kvCache().keyBits(), p.kvCache().valueBits(), tokens);
  }

  public static long kvCacheBytes(ModelShape m, int keyBits, int valueBits, long tokens) {
    long elements = (long) m.numLayers() * m.numKvHeads() * m.headDim() * tokens;
    return ceilDiv(elements * (keyBits + valueBits), 8);
  }

  private static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }
}
