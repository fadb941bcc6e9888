package pimforge.golden;

import pimforge.params.HwParams;

/**
 * Cycle counts of the PIM bank's transactions when the host never stalls, derived from the RTL's
 * state machine (checked against Verilator in the co-simulation tests).
 */
public record BankSchedule(
    long weightLoadCycles, long inputLoadCycles, long computeCycles, long settleCycles,
    long drainCycles) {

  /** Cycles between the last compute step and the first result beat: the tile pipeline depth. */
  public static final int TILE_PIPELINE_CYCLES = 2;

  public static BankSchedule of(HwParams p) {
    var d = p.derived();
    int lanes = p.crossbar().lanes();
    long tiles = p.bank().tilesPerBank();
    long weightBeats = tiles * p.crossbar().rows() * d.wordsPerTile();
    return new BankSchedule(
        1 + weightBeats, // command, then one beat per cycle
        1 + d.bankInputs() / lanes,
        (long) d.wordsPerTile() * p.precision().inputBits(),
        TILE_PIPELINE_CYCLES,
        (long) p.bank().tileGridCols() * d.wordsPerTile());
  }

  /** Command to last result beat of one matrix-vector product. */
  public long multiplyCycles() {
    return inputLoadCycles + computeCycles + settleCycles + drainCycles;
  }
}
