package pimforge.layer;

import java.util.ArrayList;
import java.util.List;

/**
 * AXI4-Lite address map of the model top ({@code ModelTop}): layer l's own register map
 * ({@link LayerRegisters}) at {@code l << layerBits}, and the model registers below at
 * {@code layers << layerBits}, where layerBits = {@link LayerRegisters#addressBits} of the layer's
 * instruction memory. Defined once; the RTL, the co-simulation driver and the C header read it.
 */
public final class ModelRegisters {
  /** Write bit 0 (START): start layers RUN_FIRST..RUN_LAST together. */
  public static final int CTRL = 0x00;
  /** Bit 1 DONE: every layer of the run range has reached END since its START. */
  public static final int STATUS = 0x04;
  /** Bits [15:0] the layer that s_axis feeds, [31:16] the layer whose m_axis reaches the host. */
  public static final int ROUTE = 0x08;
  /** Reads {@link #ID_VALUE}. */
  public static final int ID = 0x0C;
  /** Bits [15:0] first, [31:16] last layer that CTRL.START starts and STATUS.DONE waits for. */
  public static final int RUN_RANGE = 0x10;
  /** Reads the number of layers. */
  public static final int LAYERS = 0x14;

  public static final int ID_VALUE = 0x50494D4D; // "PIMM"
  public static final int STATUS_DONE = 2;
  /** Width of each field of ROUTE and RUN_RANGE. */
  public static final int LAYER_FIELD_BITS = 16;

  private ModelRegisters() {}

  /** Address bits of one layer's window. */
  public static int layerBits(LayerPlan plan) {
    return LayerRegisters.addressBits(plan.programDepth());
  }

  /** AXI4-Lite address bits of the model top: layers + 1 windows (the last holds the model registers). */
  public static int addressBits(LayerPlan plan, int layers) {
    return layerBits(plan) + (32 - Integer.numberOfLeadingZeros(layers)); // windows 0..layers
  }

  /** Byte address of register {@code offset} of layer {@code layer} (layer = layers: the model registers). */
  public static long address(LayerPlan plan, int layer, int offset) {
    return ((long) layer << layerBits(plan)) + offset;
  }

  /** One field value of ROUTE / RUN_RANGE. */
  public static long pair(int low, int high) {
    return (long) low | (long) high << LAYER_FIELD_BITS;
  }

  public static List<LayerRegisters.Register> map(int layers) {
    List<LayerRegisters.Register> r = new ArrayList<>();
    r.add(new LayerRegisters.Register("MODEL_CTRL", CTRL, "W", "bit 0 START: start layers RUN_FIRST..RUN_LAST"));
    r.add(new LayerRegisters.Register("MODEL_STATUS", STATUS, "R", "bit 1 DONE: every layer of the run range done"));
    r.add(new LayerRegisters.Register("MODEL_ROUTE", ROUTE, "RW",
        "[15:0] layer fed by s_axis, [31:16] layer whose m_axis goes to the host; layer i's m_axis feeds layer i+1 otherwise"));
    r.add(new LayerRegisters.Register("MODEL_ID", ID, "R", String.format("0x%08X (\"PIMM\")", ID_VALUE)));
    r.add(new LayerRegisters.Register("MODEL_RUN_RANGE", RUN_RANGE, "RW", "[15:0] first, [31:16] last layer of a run"));
    r.add(new LayerRegisters.Register("MODEL_LAYERS", LAYERS, "R", Integer.toString(layers)));
    return r;
  }
}
