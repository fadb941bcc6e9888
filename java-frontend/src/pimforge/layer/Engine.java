package pimforge.layer;

/**
 * The layer top's execution engines. Each runs its instructions one after another; different
 * engines run concurrently. An instruction's wait mask names engines that must be idle before it
 * issues (bit {@link #bit()}), which is how a program orders data that crosses engines.
 */
public enum Engine {
  /** s_axis to scratchpad (HOST_IN). */
  HOST_IN,
  /** scratchpad to m_axis (HOST_OUT). */
  HOST_OUT,
  /** the PIM banks: weight writes (HOST_WEIGHTS, GATHER_WEIGHTS) and products (MVM). */
  MATRIX,
  /** the softmax unit. */
  SOFTMAX,
  /** the special-function unit. */
  SFU,
  /** the KV-cache controllers, one per KV head (KV; only when kvCache.enabled). */
  KV,
  /** the CAM attention units, one per KV head (CAM; only when cam.enabled). */
  CAM;

  /** Width of the wait mask field. */
  public static final int COUNT = values().length;

  public int bit() {
    return ordinal();
  }
}
