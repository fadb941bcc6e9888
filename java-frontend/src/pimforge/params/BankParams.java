package pimforge.params;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A PIM bank: a grid of crossbar tiles sharing one input broadcast and one partial-sum adder
 * tree. A bank computes y = x W for W of (tileGridRows*rows) x (tileGridCols*cols).
 *
 * @param tileGridRows tiles stacked along the input dimension, their partial sums added (1..16)
 * @param tileGridCols tiles side by side along the output dimension (1..16)
 * @param banks banks on the chip; the mapper reports whether the model's weights fit (1..1048576)
 */
public record BankParams(int tileGridRows, int tileGridCols, int banks) {
  public static final BankParams DEFAULT = new BankParams(2, 2, 4096);

  public BankParams {
    Check.range("bank.tileGridRows", tileGridRows, 1, 16);
    Check.range("bank.tileGridCols", tileGridCols, 1, 16);
    Check.range("bank.banks", banks, 1, 1 << 20);
  }

  @JsonProperty("tilesPerBank")
  public int tilesPerBank() {
    return tileGridRows * tileGridCols;
  }
}
