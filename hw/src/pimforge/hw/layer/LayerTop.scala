package pimforge.hw.layer

import chisel3._
import chisel3.util._
import pimforge.hw.bank.PimBank
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

  val io = FlatIO(new LayerTopPorts(plan))

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
  private val controls = Seq(
    Engine.HOST_IN -> hostIn.io.ctl, Engine.HOST_OUT -> hostOut.io.ctl, Engine.MATRIX -> matrix.io.ctl,
    Engine.SOFTMAX -> softmax.io.ctl, Engine.SFU -> sfu.io.ctl)
  require(controls.map(_._1.bit) == (0 until Engine.COUNT), "one engine per Engine bit, in order")
  for ((engine, ctl) <- controls) {
    ctl.start := dispatcher.io.engineStart(engine.bit)
    ctl.instr := fetched
    dispatcher.io.engineBusy(engine.bit) := ctl.busy
  }

  private val banks = Seq.fill(plan.banks.size)(Module(new PimBank(p)))
  banks.zip(matrix.io.banks).foreach { case (b, port) => port <> b.io }
  private val softmaxUnit = Module(new Softmax(p))
  softmax.io.unit <> softmaxUnit.io
  private val sfuUnit = Module(new Sfu(p))
  sfu.io.unit <> sfuUnit.io

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
    sfu.io.read) ++ matrix.io.gather
  private val writers = Seq(hostIn.io.write, matrix.io.write, softmax.io.write, sfu.io.write)
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
  regs.io.status.pc := dispatcher.io.fetchSlot
  regs.io.status.counters := counters.io.values
  io.irq := dispatcher.io.done
}

/**
 * The layer top's ports (flat names, as emitted): AXI4-Lite slave s_axil_*, AXI-Stream s_axis_* /
 * m_axis_*, irq, and start_in, a START from outside (the model top starts its layers together;
 * tie to 0 when the layer top is the chip).
 */
class LayerTopPorts(plan: LayerPlan) extends Bundle {
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
}
