package pimforge.hw.layer

import chisel3._
import chisel3.util._
import pimforge.hw.bank.PimBank
import pimforge.hw.kvcache.{Axi4Master, KvCacheController}
import pimforge.kvcache.KvCacheLayout
import pimforge.hw.sfu.Sfu
import pimforge.hw.softmax.Softmax
import pimforge.layer.{Engine, LayerPlan, LayerRegisters}
import pimforge.params.HwParams

/**
 * The layer top: a small programmable accelerator running one Transformer layer. The host writes
 * a program (pimforge.layer.Instruction) into the instruction memory over AXI4-Lite, starts it
 * with CTRL.START and streams data and weights over AXI-Stream; the dispatcher issues the
 * instructions in order to five engines (HOST_IN, HOST_OUT, MATRIX over all PIM banks, SOFTMAX,
 * SFU) sharing one scratchpad. Ports: s_axil_* (AXI4-Lite slave), s_axis_* / m_axis_* (lanes
 * elements of elementBits, element i at bits [i*E +: E]), io.irq (= STATUS.DONE).
 */
class LayerTop(p: HwParams) extends Module {
  private val plan = LayerPlan.of(p)
  private val lanes = plan.lanes
  private val e = plan.elementBits
  private val addrBits = LayerRegisters.addressBits(plan.programDepth)

  val io = FlatIO(new LayerTopPorts(plan, LayerTop.memoryAddressBits(p)))

  // ---- Register file.
  private val regs = Module(new AxiLiteRegisters(plan))
  private val axi = regs.io.axi
  axi.awaddr := io.s_axil_awaddr
  axi.awvalid := io.s_axil_awvalid
  io.s_axil_awready := axi.awready
  axi.wdata := io.s_axil_wdata
  axi.wstrb := io.s_axil_wstrb
  axi.wvalid := io.s_axil_wvalid
  io.s_axil_wready := axi.wready
  io.s_axil_bresp := axi.bresp
  io.s_axil_bvalid := axi.bvalid
  axi.bready := io.s_axil_bready
  axi.araddr := io.s_axil_araddr
  axi.arvalid := io.s_axil_arvalid
  io.s_axil_arready := axi.arready
  io.s_axil_rdata := axi.rdata
  io.s_axil_rresp := axi.rresp
  io.s_axil_rvalid := axi.rvalid
  axi.rready := io.s_axil_rready

  // ---- Program and dispatcher.
  private val imem = Module(new InstructionMemory(plan))
  imem.io.write := regs.io.imemWrite
  private val dispatcher = Module(new Dispatcher(plan))
  dispatcher.io.start := regs.io.start || io.start_in
  imem.io.readSlot := dispatcher.io.fetchSlot
  private val fetched = InstrFields.decode(imem.io.readWords)
  dispatcher.io.fetched := fetched

  // ---- Engines and units.
  private val hostIn = Module(new HostInEngine(plan))
  private val hostOut = Module(new HostOutEngine(plan))
  private val matrix = Module(new MatrixEngine(p, plan))
  private val softmax = Module(new SoftmaxEngine(p, plan))
  private val sfu = Module(new SfuEngine(p, plan))
  private val kv = if (p.kvCache.enabled) Some(Module(new KvEngine(p, plan))) else None
  private val cam = if (p.cam.enabled) Some(Module(new CamEngine(p, plan))) else None
  private val controls = Seq(
    Engine.HOST_IN -> hostIn.io.ctl, Engine.HOST_OUT -> hostOut.io.ctl, Engine.MATRIX -> matrix.io.ctl,
    Engine.SOFTMAX -> softmax.io.ctl, Engine.SFU -> sfu.io.ctl) ++ kv.map(Engine.KV -> _.io.ctl) ++
    cam.map(Engine.CAM -> _.io.ctl)
  for ((engine, ctl) <- controls) {
    ctl.start := dispatcher.io.engineStart(engine.bit)
    ctl.instr := fetched
    dispatcher.io.engineBusy(engine.bit) := ctl.busy
  }
  for (engine <- Engine.values if !controls.exists(_._1 == engine)) {
    dispatcher.io.engineBusy(engine.bit) := false.B // KV / CAM not enabled: no engine, nothing runs
  }
  for (engine <- cam) {
    val units = Seq.fill(p.model.numKvHeads)(Module(new pimforge.hw.cam.CamAttention(p)))
    for ((u, h) <- units.zipWithIndex) {
      u.io.cmd <> engine.io.units(h).cmd
      u.io.in <> engine.io.units(h).in
      engine.io.units(h).out <> u.io.out
      engine.io.units(h).busy := u.io.busy
    }
  }

  private val banks = Seq.fill(plan.banks.size)(Module(new PimBank(p)))
  banks.zip(matrix.io.banks).foreach { case (b, port) => port <> b.io }
  private val softmaxUnit = Module(new Softmax(p))
  softmax.io.unit <> softmaxUnit.io
  private val sfuUnit = Module(new Sfu(p))
  sfu.io.unit <> sfuUnit.io
  sfu.io.positionBase := regs.io.position
  regs.io.endAdvance := dispatcher.io.endAdvance
  private val kvOverflow = WireDefault(false.B)
  for (engine <- kv; memory <- io.m_axi) kvOverflow := connectKvCache(engine, memory)

  /**
   * One KV-cache controller per KV head behind the KV engine. They share the AXI4 master: only the
   * controller of the running KV instruction moves data (a command completes only after its memory
   * transactions), so the port follows the engine's head; head h's records live at h << headBits.
   */
  private def connectKvCache(engine: KvEngine, m: Axi4Master): Bool = {
    val headBits = KvCacheLayout.of(p).addressBits
    val units = Seq.fill(p.model.numKvHeads)(Module(new KvCacheController(p)))
    val head = engine.io.head
    for ((u, h) <- units.zipWithIndex) {
      u.io.cmd <> engine.io.units(h).cmd
      u.io.in <> engine.io.units(h).in
      engine.io.units(h).out <> u.io.out
      engine.io.units(h).busy := u.io.busy
      val sel = head === h.U
      u.io.m_axi.awready := m.awready && sel
      u.io.m_axi.wready := m.wready && sel
      u.io.m_axi.bvalid := m.bvalid && sel
      u.io.m_axi.bresp := m.bresp
      u.io.m_axi.arready := m.arready && sel
      u.io.m_axi.rvalid := m.rvalid && sel
      u.io.m_axi.rdata := m.rdata
      u.io.m_axi.rresp := m.rresp
      u.io.m_axi.rlast := m.rlast
    }
    def pick[T <: Data](f: Axi4Master => T): T = VecInit(units.map(u => f(u.io.m_axi)))(head)
    def withHead(a: UInt): UInt = if (units.size > 1) head ## a else a
    m.awvalid := pick(_.awvalid)
    m.awaddr := withHead(pick(_.awaddr))
    m.awlen := pick(_.awlen)
    m.awsize := pick(_.awsize)
    m.awburst := pick(_.awburst)
    m.wvalid := pick(_.wvalid)
    m.wdata := pick(_.wdata)
    m.wstrb := pick(_.wstrb)
    m.wlast := pick(_.wlast)
    m.bready := pick(_.bready)
    m.arvalid := pick(_.arvalid)
    m.araddr := withHead(pick(_.araddr))
    m.arlen := pick(_.arlen)
    m.arsize := pick(_.arsize)
    m.arburst := pick(_.arburst)
    m.rready := pick(_.rready)
    require(headBits + log2Ceil(units.size) == LayerTop.memoryAddressBits(p))
    units.map(_.io.overflow).reduce(_ || _)
  }

  // ---- AXI-Stream: s_axis feeds HOST_IN, else HOST_WEIGHTS (a correct program never runs both).
  private val sIn = io.s_axis_tdata.asTypeOf(new SpWord(plan))
  hostIn.io.in.valid := io.s_axis_tvalid
  hostIn.io.in.bits := sIn
  matrix.io.host.valid := io.s_axis_tvalid && !hostIn.io.in.ready
  matrix.io.host.bits := sIn
  io.s_axis_tready := hostIn.io.in.ready || matrix.io.host.ready
  io.m_axis_tvalid := hostOut.io.out.valid
  io.m_axis_tdata := hostOut.io.out.bits.word.asUInt
  io.m_axis_tlast := hostOut.io.out.bits.last
  hostOut.io.out.ready := io.m_axis_tready

  // ---- Scratchpad: one read port per reader, one write port per writing engine.
  private val readers = Seq(hostOut.io.read, matrix.io.input, matrix.io.bias, matrix.io.old, softmax.io.read,
    sfu.io.read) ++ matrix.io.gather ++ kv.map(_.io.read) ++ cam.map(_.io.read)
  private val writers = Seq(hostIn.io.write, matrix.io.write, softmax.io.write, sfu.io.write) ++ kv.map(_.io.write) ++
    cam.map(_.io.write)
  private val scratch = Module(new Scratchpad(plan, readers.size, writers.size))
  readers.zip(scratch.io.read).foreach { case (r, port) => port <> r }
  writers.zip(scratch.io.write).foreach { case (w, port) => port <> w }

  // ---- Status and counters.
  private val counters = Module(new PerfCounters(lanes))
  counters.io.clear := dispatcher.io.clearCounters
  counters.io.running := dispatcher.io.running
  counters.io.issued := dispatcher.io.issued
  counters.io.weightBeat := matrix.io.weightBeat
  counters.io.engineBusy := dispatcher.io.engineBusy
  counters.io.engineStage := dispatcher.io.engineStage
  regs.io.status.busy := dispatcher.io.running
  regs.io.status.done := dispatcher.io.done
  regs.io.status.kvOverflow := kvOverflow
  regs.io.status.pc := dispatcher.io.fetchSlot
  regs.io.status.counters := counters.io.values
  io.irq := dispatcher.io.done
}

object LayerTop {
  /**
   * Address width of the KV-cache memory port m_axi_* (0: no port): every KV head's region
   * (KvCacheLayout.addressBits) side by side.
   */
  def memoryAddressBits(p: HwParams): Int = KvCacheLayout.layerTopAddressBits(p)
}

/**
 * The layer top's ports (flat names, as emitted): AXI4-Lite slave s_axil_*, AXI-Stream s_axis_* /
 * m_axis_*, irq, and start_in, a START from outside (the model top starts its layers together;
 * tie to 0 when the layer top is the chip); with kvCache.enabled the AXI4 master m_axi_* of the
 * KV-cache controllers (64-bit data, `memoryAddressBits` address bits).
 */
class LayerTopPorts(plan: LayerPlan, memoryAddressBits: Int = 0) extends Bundle {
  private val lanes = plan.lanes
  private val e = plan.elementBits
  private val addrBits = LayerRegisters.addressBits(plan.programDepth)
  val s_axil_awaddr = Input(UInt(addrBits.W))
  val s_axil_awvalid = Input(Bool())
  val s_axil_awready = Output(Bool())
  val s_axil_wdata = Input(UInt(32.W))
  val s_axil_wstrb = Input(UInt(4.W))
  val s_axil_wvalid = Input(Bool())
  val s_axil_wready = Output(Bool())
  val s_axil_bresp = Output(UInt(2.W))
  val s_axil_bvalid = Output(Bool())
  val s_axil_bready = Input(Bool())
  val s_axil_araddr = Input(UInt(addrBits.W))
  val s_axil_arvalid = Input(Bool())
  val s_axil_arready = Output(Bool())
  val s_axil_rdata = Output(UInt(32.W))
  val s_axil_rresp = Output(UInt(2.W))
  val s_axil_rvalid = Output(Bool())
  val s_axil_rready = Input(Bool())
  val s_axis_tdata = Input(UInt((lanes * e).W))
  val s_axis_tvalid = Input(Bool())
  val s_axis_tready = Output(Bool())
  val s_axis_tlast = Input(Bool())
  val m_axis_tdata = Output(UInt((lanes * e).W))
  val m_axis_tvalid = Output(Bool())
  val m_axis_tready = Input(Bool())
  val m_axis_tlast = Output(Bool())
  val irq = Output(Bool())
  val start_in = Input(Bool())
  val m_axi = Option.when(memoryAddressBits > 0)(new Axi4Master(memoryAddressBits, KvCacheLayout.BUS_BITS))
}
