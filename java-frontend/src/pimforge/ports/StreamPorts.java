package pimforge.ports;

import pimforge.params.HwParams;

/**
 * The host-facing ports every pimforge unit top shares, defined once here: the Chisel tops build
 * their IO from it ({@code pimforge.hw.stream.StreamUnitIO}) and the generic co-simulation harness
 * drives them from it: an optional command port {@code io_cmd} ({@code cmdBits} wide, 0 = none), an input
 * stream {@code io_in} and an output stream {@code io_out} (valid/ready, {@code data_<lane>}
 * signed elements, {@code last}), and {@code io_busy}.
 *
 * @param top top module name (the Verilator class is V + top)
 * @param cmdBits width of the command, 0 when the unit has no command port
 * @param inLanes elements per input beat
 * @param inBits signed bits per input element
 * @param outLanes elements per output beat
 * @param outBits signed bits per output element
 * @param memoryAddressBits address width of the unit's AXI4 master port {@code io_m_axi_*} (64-bit
 *     data; the harness serves it from a memory model), 0 when the unit has none
 */
public record StreamPorts(String top, int cmdBits, int inLanes, int inBits, int outLanes, int outBits,
    int memoryAddressBits) {

  /**
   * Read latency of the co-simulation harness's AXI4 memory model: cycles between the AR handshake
   * and the first cycle RVALID may rise (writes: AWREADY and WREADY at once, BVALID the cycle after
   * the last W beat). Defined here for the harness and for the schedules that predict its cycles
   * ({@code pimforge.kvcache.KvCacheSchedule}).
   */
  public static final int HARNESS_READ_LATENCY = 2;

  /** Ports of a unit without a memory master. */
  public StreamPorts(String top, int cmdBits, int inLanes, int inBits, int outLanes, int outBits) {
    this(top, cmdBits, inLanes, inBits, outLanes, outBits, 0);
  }

  /** Top module name of the KV-cache controller. */
  public static final String KV_CACHE_TOP = "KvCacheController";

  /** Ports of the KV-cache controller: K/V/q or probabilities in, scores/context/counters out, AXI4 master. */
  public static StreamPorts kvCache(HwParams p) {
    var l = pimforge.kvcache.KvCacheLayout.of(p);
    return new StreamPorts(KV_CACHE_TOP, pimforge.kvcache.KvCacheOp.BITS, l.lanes(), l.inBits(), l.lanes(),
        l.outBits(), l.addressBits());
  }

  /** Ports of the PIM bank, from the parameter record (the same numbers its generator uses). */
  public static StreamPorts pimBank(HwParams p) {
    var d = p.derived();
    return new StreamPorts("PimBank", pimforge.golden.BankOp.BITS, p.crossbar().lanes(), d.streamElementBits(),
        p.crossbar().lanes(), d.accumulatorBits());
  }

  /** Ports of the softmax unit: scores in (mask = most negative), probabilities out. */
  public static StreamPorts softmax(HwParams p) {
    var s = p.softmax();
    return new StreamPorts("Softmax", pimforge.golden.softmax.SoftmaxOp.BITS, s.lanes(), s.inputBits(), s.lanes(), p.softmaxDerived().outputElementBits());
  }

  /** Ports of the special-function unit: accBits elements in, actBits elements out. */
  public static StreamPorts sfu(HwParams p) {
    var s = p.sfu();
    return new StreamPorts("Sfu", pimforge.golden.sfu.SfuOp.BITS, s.lanes(), s.accBits(), s.lanes(), s.actBits());
  }

  /** Ports of the CAM attention unit: packets of {@link pimforge.golden.cam.CamOp} in, query answers out. */
  public static StreamPorts cam(HwParams p) {
    var d = p.camDerived();
    if (d == null) {
      throw new IllegalArgumentException("the CAM attention unit needs cam.enabled");
    }
    return new StreamPorts("CamAttention", pimforge.golden.cam.CamOp.BITS, p.cam().lanes(), d.inBits(),
        p.cam().lanes(), d.outBits());
  }
}
