package pimforge.layer;

/**
 * What an instruction works on, for the per-stage performance counters: STAGE_CYCLES[s] counts the
 * cycles in which at least one engine is busy with an instruction tagged s (stages overlap in the
 * head pipeline, so their sum can exceed the total). The same numbers come from the Java schedule.
 */
public enum LayerStage {
  WEIGHTS, INPUT, QKV, XBAR_WRITE, SCORES, SOFTMAX, CONTEXT, OUT_PROJ, NORM1, FFN_UP, ACTIVATION,
  FFN_DOWN, NORM2, OUTPUT;

  /** Counters the hardware has (the tag field is 4 bits). */
  public static final int COUNTERS = 16;

  public int id() {
    return ordinal();
  }
}
