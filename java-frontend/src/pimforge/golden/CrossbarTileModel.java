package pimforge.golden;

import pimforge.params.AdcTransfer;
import pimforge.params.HwParams;
import pimforge.params.Precision;

/**
 * Bit-exact model of {@code pimforge.hw.xbar.CrossbarTile}: weights split into cells, input bit
 * planes applied most significant first, every physical column sum through the ADC, slices
 * shifted and added, planes folded as acc = 2 acc +- v. Returns the tile's raw accumulators
 * (the OFFSET correction belongs to the bank).
 */
public final class CrossbarTileModel {
  private final Precision prec;
  private final AdcTransfer adc;
  private final int rows;
  private final int cols;
  /** cells[group][slice][row][col]: unsigned cell values as stored in the array. */
  private final int[][][][] cells;

  public CrossbarTileModel(HwParams p) {
    this.prec = p.precision();
    this.adc = p.derived().adc(prec);
    this.rows = p.crossbar().rows();
    this.cols = p.crossbar().cols();
    this.cells = new int[prec.columnGroups()][prec.slices()][rows][cols];
  }

  /** Stores one signed weight at (row, col), as the RTL's write path does. */
  public void writeWeight(int row, int col, int weight) {
    int wBits = prec.weightBits();
    if (weight < -(1 << (wBits - 1)) || weight > (1 << (wBits - 1)) - 1) {
      throw new IllegalArgumentException("weight " + weight + " does not fit " + wBits + " bits");
    }
    if (prec.signedScheme() == Precision.SignedScheme.OFFSET) {
      storeSlices(0, row, col, weight + (1 << (wBits - 1)));
    } else {
      int clamped = Math.max(weight, prec.weightMin());
      storeSlices(0, row, col, Math.max(clamped, 0));
      storeSlices(1, row, col, Math.max(-clamped, 0));
    }
  }

  private void storeSlices(int group, int row, int col, int stored) {
    for (int s = 0; s < prec.slices(); s++) {
      int bits = prec.sliceBits(s);
      cells[group][s][row][col] = (stored >> (s * prec.bitsPerCell())) & ((1 << bits) - 1);
    }
  }

  /**
   * Raw accumulators for x (length rows): inputBits two's complement, or with {@code unsignedInputs}
   * 0..2^inputBits - 1 (the top plane adds instead of subtracting).
   */
  public long[] accumulate(int[] x, boolean unsignedInputs) {
    int inBits = prec.inputBits();
    long[] acc = new long[cols];
    long[] plane = new long[cols];
    int[] columnSum = new int[cols];
    int[] active = new int[rows];
    for (int bit = inBits - 1; bit >= 0; bit--) {
      boolean negate = !unsignedInputs && bit == inBits - 1; // two's complement sign bit weighs -2^(I-1)
      int n = 0;
      for (int r = 0; r < rows; r++) {
        if (((x[r] >> bit) & 1) != 0) {
          active[n++] = r;
        }
      }
      java.util.Arrays.fill(plane, 0);
      // Each physical column's sum over the rows whose input bit is set, through its ADC; slices
      // shifted and added, the DIFFERENTIAL negative group subtracted. Rows are summed as whole
      // arrays (the same integers as a column-by-column walk, in cache order).
      for (int g = 0; g < prec.columnGroups(); g++) {
        for (int s = 0; s < prec.slices(); s++) {
          java.util.Arrays.fill(columnSum, 0);
          int[][] slice = cells[g][s];
          for (int k = 0; k < n; k++) {
            int[] row = slice[active[k]];
            for (int c = 0; c < cols; c++) {
              columnSum[c] += row[c];
            }
          }
          int shift = s * prec.bitsPerCell();
          for (int c = 0; c < cols; c++) {
            long v = adc.apply(columnSum[c]) << shift;
            plane[c] += g == 0 ? v : -v;
          }
        }
      }
      for (int c = 0; c < cols; c++) {
        acc[c] = 2 * acc[c] + (negate ? -plane[c] : plane[c]);
      }
    }
    return acc;
  }
}
