package pimforge.layer;

/**
 * Events the layer top's instructions cause, counted per instruction by each opcode's
 * {@link OpcodeSpec#countEvents} (the same spec object that gives its duration, footprint and golden
 * execution) and charged by {@code pimforge.cost.EnergyModel} with one technology constant each.
 */
public enum Event {
  /** ADC conversions: one per physical column digitized per compute step (adcsPerTile per tile per step). */
  ADC_CONVERSIONS,
  /** 1-bit DAC (word-line) drives: every row of every tile, once per compute step (one input bit, one column word). */
  DAC_DRIVES,
  /** ReRAM cells read: rows x physical columns digitized, per tile per compute step. */
  CELL_READS,
  /** ReRAM cells programmed: weights written x slices x column groups (HOST_WEIGHTS, GATHER_WEIGHTS). */
  CELLS_PROGRAMMED,
  /** Weights written into banks (lanes per weight beat): the RTL's XBAR_WRITES counter. */
  XBAR_WRITES,
  /** Shift-and-add of a digitized column into its bit/slice position: one per ADC conversion. */
  SHIFT_ADDS,
  /** 32-bit additions of the digital datapath (tile partial sums, bias, accumulate, softmax, SFU). */
  ADDS_32B,
  /** 32-bit multiplications of the digital datapath (softmax, SFU). */
  MULTS_32B,
  /** Scratchpad word reads (a word = lanes elements of LayerPlan.elementBits). */
  SCRATCH_READ_WORDS,
  /** Scratchpad word writes. */
  SCRATCH_WRITE_WORDS,
  /** Bits through the AXI-Stream ports (s_axis in, m_axis out; command beats not counted). */
  STREAM_BITS,
  /** Softmax element operations (one per probability produced). */
  SOFTMAX_ELEMENTS,
  /** SFU element operations (one per output element of REQUANT, ACTIVATE, NORM, RESIDUAL, MULTIPLY, ROTATE). */
  SFU_ELEMENTS,
  /**
   * CAM queries (one query of one head against every row of its KV head's CAM unit: the search of
   * all tiles, the match-line conversions, top-k, softmax and V-row reads; pimforge.cost.CamCost).
   */
  CAM_QUERIES,
  /** CAM row writes (a key's CAM row and its V row; a decode WRITE is counted even when the append was refused). */
  CAM_KEY_WRITES;

  public static final int COUNT = values().length;
}
