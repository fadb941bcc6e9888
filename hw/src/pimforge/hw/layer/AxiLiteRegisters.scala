package pimforge.hw.layer

import chisel3._
import chisel3.util._
import pimforge.golden.sfu.RopeTable
import pimforge.layer.{Instruction, InstructionField, LayerPlan, LayerRegisters, LayerStage}

/** AXI4-Lite slave signals, slave side, named as the AXI spec (prefixed s_axil_ at the top). */
class AxiLiteSlave(addrBits: Int) extends Bundle {
  val awaddr = Input(UInt(addrBits.W))
  val awvalid = Input(Bool())
  val awready = Output(Bool())
  val wdata = Input(UInt(32.W))
  val wstrb = Input(UInt(4.W))
  val wvalid = Input(Bool())
  val wready = Output(Bool())
  val bresp = Output(UInt(2.W))
  val bvalid = Output(Bool())
  val bready = Input(Bool())
  val araddr = Input(UInt(addrBits.W))
  val arvalid = Input(Bool())
  val arready = Output(Bool())
  val rdata = Output(UInt(32.W))
  val rresp = Output(UInt(2.W))
  val rvalid = Output(Bool())
  val rready = Input(Bool())
}

/** What the register file shows (STATUS, PC and the performance counters). */
class LayerStatus(plan: LayerPlan) extends Bundle {
  val busy = Bool()
  val done = Bool()
  val kvOverflow = Bool()
  val pc = UInt(log2Ceil(plan.programDepth).max(1).W)
  val counters = new CounterValues
}

/**
 * The register map of pimforge.layer.LayerRegisters behind an AXI4-Lite slave. Write address and
 * write data are accepted independently (each held until both are there), the write is performed
 * in the next cycle and answered with OKAY; the next write is accepted once B is taken. A read is
 * answered one cycle after AR with OKAY; unmapped addresses read 0 and ignore writes.
 */
class AxiLiteRegisters(plan: LayerPlan) extends Module {
  val addrBits: Int = LayerRegisters.addressBits(plan.programDepth)
  private val slotBits = log2Ceil(plan.programDepth).max(1)
  val io = IO(new Bundle {
    val axi = new AxiLiteSlave(addrBits)
    val status = Input(new LayerStatus(plan))
    val start = Output(Bool())
    val endAdvance = Input(Valid(UInt(InstructionField.A.width.W)))
    val position = Output(UInt(RopeTable.POSITION_BITS.W))
    val imemWrite = Output(Valid(new Bundle {
      val slot = UInt(slotBits.W)
      val word = UInt(InstructionSlot.wordBits.W)
      val data = UInt(32.W)
      val strb = UInt(4.W)
    }))
  })
  private val okay = 0.U(2.W)

  // ---- Write channel: AW and W each held in a register until both arrived.
  private val awFull = RegInit(false.B)
  private val awAddr = Reg(UInt(addrBits.W))
  private val wFull = RegInit(false.B)
  private val wData = Reg(UInt(32.W))
  private val wStrb = Reg(UInt(4.W))
  private val bValid = RegInit(false.B)
  io.axi.awready := !awFull
  io.axi.wready := !wFull
  when(io.axi.awvalid && !awFull) {
    awFull := true.B
    awAddr := io.axi.awaddr
  }
  when(io.axi.wvalid && !wFull) {
    wFull := true.B
    wData := io.axi.wdata
    wStrb := io.axi.wstrb
  }
  private val doWrite = awFull && wFull && !bValid
  when(doWrite) {
    awFull := false.B
    wFull := false.B
    bValid := true.B
  }
  when(io.axi.bvalid && io.axi.bready) { bValid := false.B }
  io.axi.bvalid := bValid
  io.axi.bresp := okay

  private val inImem = awAddr >= LayerRegisters.IMEM.U
  private val imemOffset = (awAddr - LayerRegisters.IMEM.U)(addrBits - 1, 0)
  io.start := doWrite && awAddr(addrBits - 1, 2) === (LayerRegisters.CTRL >> 2).U && wStrb(0) && wData(0)
  // POSITION: END advances it by its a field; a host write sets it (a write wins in the same cycle).
  private val position = RegInit(0.U(RopeTable.POSITION_BITS.W))
  io.position := position
  when(io.endAdvance.valid) { position := position + io.endAdvance.bits }
  when(doWrite && awAddr(addrBits - 1, 2) === (LayerRegisters.POSITION >> 2).U && wStrb.andR) {
    position := wData(RopeTable.POSITION_BITS - 1, 0)
  }
  // Byte offset in the window: slot * (4 * Instruction.WORDS) + 4 * word.
  private val wordInSlot = imemOffset(InstructionSlot.wordBits + 1, 2)
  io.imemWrite.valid := doWrite && inImem && wordInSlot < Instruction.USED_WORDS.U
  io.imemWrite.bits.slot := (imemOffset >> (InstructionSlot.wordBits + 2))(slotBits - 1, 0)
  io.imemWrite.bits.word := wordInSlot
  io.imemWrite.bits.data := wData
  io.imemWrite.bits.strb := wStrb

  // ---- Read channel: one register per 32-bit word of the map.
  private val c = io.status.counters
  private def low(v: UInt) = v(31, 0)
  private def high(v: UInt) = v(63, 32)
  private val readable: Seq[(Int, UInt)] = Seq(
    LayerRegisters.STATUS -> Cat(io.status.kvOverflow, io.status.done, io.status.busy),
    LayerRegisters.PC -> io.status.pc,
    LayerRegisters.ID -> LayerRegisters.ID_VALUE.toLong.U(32.W),
    LayerRegisters.CYCLES -> low(c.cycles),
    (LayerRegisters.CYCLES + 4) -> high(c.cycles),
    LayerRegisters.XBAR_WRITES -> low(c.xbarWrites),
    (LayerRegisters.XBAR_WRITES + 4) -> high(c.xbarWrites),
    LayerRegisters.INSTRUCTIONS -> c.instructions,
    LayerRegisters.POSITION -> position
  ) ++ (0 until LayerStage.COUNTERS).flatMap { s =>
    Seq((LayerRegisters.STAGE_CYCLES + 8 * s) -> low(c.stageCycles(s)),
      (LayerRegisters.STAGE_CYCLES + 8 * s + 4) -> high(c.stageCycles(s)))
  }
  require(LayerRegisters.STATUS_BUSY == 1 && LayerRegisters.STATUS_DONE == 2 && LayerRegisters.STATUS_KV_OVERFLOW == 4,
    "STATUS bit order")
  private val rValid = RegInit(false.B)
  private val rData = RegInit(0.U(32.W))
  io.axi.arready := !rValid
  when(io.axi.arvalid && !rValid) {
    rValid := true.B
    val word = io.axi.araddr(addrBits - 1, 2)
    rData := MuxLookup(word, 0.U(32.W))(readable.map { case (off, v) => (off >> 2).U -> v.pad(32) })
  }
  when(io.axi.rvalid && io.axi.rready) { rValid := false.B }
  io.axi.rvalid := rValid
  io.axi.rdata := rData
  io.axi.rresp := okay
}
