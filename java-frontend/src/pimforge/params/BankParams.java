package pimforge.params;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A PIM bank: a grid of crossbar tiles sharing one input broadcast and one partial-sum adder
 * tree. A bank computes y = x W for W of (tileGridRows*rows) x (tileGridCols*cols).
 *
 * @param tileGridRows tiles stacked along the input dimension, their partial sums added (1..16)
 * @param tileGridCols tiles side by side along the output dimension (1..16)
 * @param banks banks on the chip; the mapper reports whether the model's weights fit (1..1048576)
 * @param clockMHz clock of the chip (banks, dispatcher, softmax unit, SFU) in MHz (1..5000); it turns the
 *     exact cycle counts into seconds in {@code pimforge evaluate}. Default 100 MHz: one crossbar read per
 *     10 ns cycle, NeuroSim's default ReRAM read pulse width (DNN_NeuroSim Param.cpp, readPulseWidth = 10e-9)
 */
public record BankParams(int tileGridRows, int tileGridCols, int banks, int clockMHz) {
  /** Default clock (MHz), see {@link #clockMHz}. */
  public static final int DEFAULT_CLOCK_MHZ = 100;

  public static final BankParams DEFAULT = new BankParams(2, 2, 4096, DEFAULT_CLOCK_MHZ);

  public BankParams {
    Check.range("bank.tileGridRows", tileGridRows, 1, 16);
    Check.range("bank.tileGridCols", tileGridCols, 1, 16);
    Check.range("bank.banks", banks, 1, 1 << 20);
    Check.range("bank.clockMHz", clockMHz, 1, 5000);
  }

  /** The record before the clock existed: clockMHz at its default. */
  public BankParams(int tileGridRows, int tileGridCols, int banks) {
    this(tileGridRows, tileGridCols, banks, DEFAULT_CLOCK_MHZ);
  }

  @JsonProperty("tilesPerBank")
  public int tilesPerBank() {
    return tileGridRows * tileGridCols;
  }
}
