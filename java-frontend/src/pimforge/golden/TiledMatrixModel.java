package pimforge.golden;

import pimforge.params.HwParams;

/**
 * A weight matrix of any size on PIM banks, bit-exact with the hardware: the matrix is cut into
 * bank-sized blocks (zero-padded at the edges), each block computed by a {@link PimBankModel}
 * (ADC effects included), and the blocks along the input dimension added in full precision.
 * With a lossless ADC the bank is the exact integer product (PimBankModelTest proves it), so that
 * case takes a direct integer product for speed.
 */
public final class TiledMatrixModel {
  private final HwParams p;
  private final int inputs;
  private final int outputs;
  private final int[][] weights;
  private final PimBankModel[][] banks;

  /** @param weights [input][output], each within the configured weight bits */
  public TiledMatrixModel(HwParams p, int[][] weights) {
    this.p = p;
    this.inputs = weights.length;
    this.outputs = weights[0].length;
    this.weights = weights;
    if (p.derived().adcLossless()) {
      this.banks = null;
      return;
    }
    int bankIn = p.derived().bankInputs();
    int bankOut = p.derived().bankOutputs();
    int blockRows = ceilDiv(inputs, bankIn);
    int blockCols = ceilDiv(outputs, bankOut);
    this.banks = new PimBankModel[blockRows][blockCols];
    for (int bi = 0; bi < blockRows; bi++) {
      for (int bj = 0; bj < blockCols; bj++) {
        int[][] block = new int[bankIn][bankOut];
        for (int r = 0; r < bankIn && bi * bankIn + r < inputs; r++) {
          for (int c = 0; c < bankOut && bj * bankOut + c < outputs; c++) {
            block[r][c] = weights[bi * bankIn + r][bj * bankOut + c];
          }
        }
        banks[bi][bj] = new PimBankModel(p);
        banks[bi][bj].loadWeights(block);
      }
    }
  }

  public int inputs() {
    return inputs;
  }

  public int outputs() {
    return outputs;
  }

  /** y = x W as the banks compute it. */
  public long[] multiply(int[] x) {
    if (x.length != inputs) {
      throw new IllegalArgumentException("inputs: " + x.length + ", expected " + inputs);
    }
    long[] y = new long[outputs];
    if (banks == null) {
      int weightMin = p.precision().weightMin();
      for (int r = 0; r < inputs; r++) {
        if (x[r] == 0) {
          continue;
        }
        int[] row = weights[r];
        for (int c = 0; c < outputs; c++) {
          y[c] += (long) x[r] * Math.max(row[c], weightMin);
        }
      }
      return y;
    }
    int bankIn = p.derived().bankInputs();
    int bankOut = p.derived().bankOutputs();
    for (int bi = 0; bi < banks.length; bi++) {
      int[] chunk = new int[bankIn];
      for (int r = 0; r < bankIn && bi * bankIn + r < inputs; r++) {
        chunk[r] = x[bi * bankIn + r];
      }
      for (int bj = 0; bj < banks[bi].length; bj++) {
        long[] part = banks[bi][bj].multiply(chunk);
        for (int c = 0; c < bankOut && bj * bankOut + c < outputs; c++) {
          y[bj * bankOut + c] += part[c];
        }
      }
    }
    return y;
  }

  private static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }
}
