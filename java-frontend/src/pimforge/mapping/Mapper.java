package pimforge.mapping;

import java.util.ArrayList;
import java.util.List;
import pimforge.params.HwParams;
import pimforge.params.ModelShape;

/**
 * Maps every weight matrix of the model onto crossbar tiles and banks and sizes the KV cache.
 * First-order: one matrix per bank group (no two matrices share a bank), weights stationary.
 */
public final class Mapper {
  private Mapper() {}

  public static MappingResult map(HwParams p) {
    ModelShape m = p.model();
    int h = m.hiddenSize();
    List<MatrixMapping> layer = new ArrayList<>();
    layer.add(matrix(p, "q", h, h));
    layer.add(matrix(p, "k", h, m.kvDim()));
    layer.add(matrix(p, "v", h, m.kvDim()));
    layer.add(matrix(p, "o", h, h));
    layer.add(matrix(p, "ffnUp", h, m.ffnSize()));
    if (m.gatedFfn()) {
      layer.add(matrix(p, "ffnGate", h, m.ffnSize()));
    }
    layer.add(matrix(p, "ffnDown", m.ffnSize(), h));

    long tiles = 0;
    long banks = 0;
    long bytes = 0;
    long cells = 0;
    for (MatrixMapping x : layer) {
      tiles += x.tiles();
      banks += x.banks();
      bytes += x.weightBytes();
      cells += x.physicalCells();
    }
    int n = m.numLayers();
    long budgetTokens = m.family() == ModelShape.Family.ENCODER ? 0
        : Math.min(p.kvCache().budgetTokens(), m.maxPositions());
    return new MappingResult(p, List.copyOf(layer), n, tiles * n, banks * n, p.bank().banks(),
        bytes * n, cells * n, budgetTokens, kvCacheBytes(p, budgetTokens), kvCacheBytes(p, m.maxPositions()));
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
