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

  /** Raw accumulators of all columns for input vector x (length rows, each in inputBits signed). */
  public long[] accumulate(int[] x) {
    int inBits = prec.inputBits();
    long[] acc = new long[cols];
    for (int bit = inBits - 1; bit >= 0; bit--) {
      boolean negate = bit == inBits - 1; // two's complement sign bit weighs -2^(I-1)
      for (int c = 0; c < cols; c++) {
        long v = planeValue(x, bit, c);
        acc[c] = 2 * acc[c] + (negate ? -v : v);
      }
    }
    return acc;
  }

  /** One column's value for one input bit plane: groups' slices through their ADCs, shifted and added. */
  private long planeValue(int[] x, int bit, int col) {
    long value = 0;
    for (int g = 0; g < prec.columnGroups(); g++) {
      long groupValue = 0;
      for (int s = 0; s < prec.slices(); s++) {
        long columnSum = 0;
        int[][] slice = cells[g][s];
        for (int r = 0; r < rows; r++) {
          if (((x[r] >> bit) & 1) != 0) {
            columnSum += slice[r][col];
          }
        }
        groupValue += adc.apply(columnSum) << (s * prec.bitsPerCell());
      }
      value += g == 0 ? groupValue : -groupValue;
    }
    return value;
  }
}
