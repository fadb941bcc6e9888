package pimforge.hw.layer

import chisel3._
import chisel3.util._
import pimforge.golden.BankOp
import pimforge.hw.stream.StreamUnitIO
import pimforge.layer.{Instruction, LayerPlan, Opcode}
import pimforge.params.HwParams
import pimforge.ports.StreamPorts

/**
 * The MATRIX engine over all PIM banks of the plan.
 *  - HOST_WEIGHTS: banks bank..bank+bankCount-1 one after the other: LoadWeights command, then the
 *    bank's weight beats straight from s_axis.
 *  - GATHER_WEIGHTS: bank `bank`: LoadWeights command, then weight beats gathered from the
 *    scratchpad (GatherBeat), one per cycle.
 *  - MVM, each iteration: one Multiply command to every selected bank at once, the input beats
 *    broadcast to all of them (so they compute in parallel), then their results drained bank by
 *    bank, each beat written to sp[dst' + o] (o counts result beats over the banks) after adding
 *    the old value and/or the bias sp[src2 + o] and saturating to elementBits.
 * An instruction with bankCount 0 (HOST_WEIGHTS, MVM) keeps the engine busy for one cycle.
 */
class MatrixEngine(p: HwParams, plan: LayerPlan) extends Module {
  private val lanes = plan.lanes
  private val elemBits = plan.elementBits
  private val nBanks = plan.banks.size
  private val d = p.derived
  private val gridRows = p.bank.tileGridRows
  private val gridCols = p.bank.tileGridCols
  private val rows = p.crossbar.rows
  private val cols = p.crossbar.cols
  private val inBeats = d.bankInputs / lanes
  private val outBeats = d.bankOutputs / lanes
  val io = IO(new Bundle {
    val ctl = new EngineControl
    val host = Flipped(Decoupled(new SpWord(plan)))
    val banks = Vec(nBanks, Flipped(new StreamUnitIO(StreamPorts.pimBank(p))))
    val gather = Vec(lanes, new SpReadPort(plan))
    val input = new SpReadPort(plan)
    val bias = new SpReadPort(plan)
    val old = new SpReadPort(plan)
    val write = new SpWritePort(plan)
    /** A weight beat entered a bank (XBAR_WRITES += lanes). */
    val weightBeat = Output(Bool())
  })
  private object State extends ChiselEnum {
    val Idle, Empty, WeightCmd, WeightStream, MulCmd, MulInput, MulDrain = Value
  }
  private val state = RegInit(State.Idle)
  private val iter = new Iterations
  private val ins = Reg(new InstrFields)
  private val gather = ins.opcode === Opcode.GATHER_WEIGHTS.code.U
  io.ctl.busy := state =/= State.Idle

  // Bank being loaded or drained; the weight stream position (grid row, grid col, row, word).
  private val bankSel = RegInit(0.U(17.W))
  private val lastSelected = ins.bank +& ins.bankCount - 1.U
  private val gRow = RegInit(0.U(log2Ceil(gridRows).max(1).W))
  private val gCol = RegInit(0.U(log2Ceil(gridCols).max(1).W))
  private val row = RegInit(0.U(log2Ceil(rows).max(1).W))
  private val word = RegInit(0.U(log2Ceil(cols / lanes).max(1).W))
  private val inBeat = RegInit(0.U(log2Ceil(inBeats + 1).W))
  private val outBeat = RegInit(0.U(log2Ceil(outBeats + 1).W))
  private val drained = RegInit(0.U(16.W))

  when(io.ctl.start) {
    val f = io.ctl.instr
    val isMvm = f.opcode === Opcode.MVM.code.U
    val isGather = f.opcode === Opcode.GATHER_WEIGHTS.code.U
    ins := f
    iter.begin(f, Mux(isMvm, f.repeat, 1.U))
    bankSel := f.bank
    state := Mux(!isGather && f.bankCount === 0.U, State.Empty, Mux(isMvm, State.MulCmd, State.WeightCmd))
  }
  when(state === State.Empty) { state := State.Idle }

  private def selected(k: Int): Bool = k.U >= ins.bank && k.U <= lastSelected
  private val sel = (0 until nBanks).map(k => bankSel === k.U)
  private val mulSel = (0 until nBanks).map(selected)
  private val allCmdReady = (0 until nBanks).map(k => !mulSel(k) || io.banks(k).cmd.ready).reduce(_ && _)
  private val allInReady = (0 until nBanks).map(k => !mulSel(k) || io.banks(k).in.ready).reduce(_ && _)

  // ---- Weight beats: from s_axis (HOST_WEIGHTS) or gathered from the scratchpad.
  private val gatherBeat = Module(new GatherBeat(p, plan))
  gatherBeat.io.instr := ins
  gatherBeat.io.in := (gRow * rows.U +& row)(gatherBeat.io.in.getWidth - 1, 0)
  gatherBeat.io.out := (gCol * cols.U +& word * lanes.U)(gatherBeat.io.out.getWidth - 1, 0)
  io.gather <> gatherBeat.io.read
  private val hostWeights = VecInit(io.host.bits.elems.map(_(d.streamElementBits - 1, 0).asSInt))
  private val weightData = Mux(gather, gatherBeat.io.weights, hostWeights)
  private val weightValid = Mux(gather, true.B, io.host.valid)
  private val selInReady = VecInit(io.banks.map(_.in.ready))(bankSel(log2Ceil(nBanks).max(1) - 1, 0)) &&
    bankSel < nBanks.U
  io.host.ready := state === State.WeightStream && !gather && selInReady
  private val weightFire = state === State.WeightStream && weightValid && selInReady
  io.weightBeat := weightFire

  // ---- MVM input beat q: sp[src' + q - a] for a <= q < a + len, else zeros; rounded, then
  // satSym to inputBits, or (UNSIGNED_INPUT) clamped to 0..2^inputBits - 1. The bank reads the low
  // inputBits bits of each element.
  private val inside = inBeat >= ins.a && inBeat < ins.a +& ins.len
  private val unsignedInput = (ins.b & Instruction.UNSIGNED_INPUT.U) =/= 0.U
  private val inBits = p.precision.inputBits
  io.input.addr := ScratchAddr.of(plan, iter.src + inBeat - ins.a)
  private val inputBeat = VecInit(io.input.data.map { v =>
    val r = ElementOps.roundShift(v, ins.shift)
    val u = ElementOps.clamp(r, 0, (BigInt(1) << inBits) - 1, inBits + 1)(inBits - 1, 0)
    val s = ElementOps.satSym(r, inBits).asUInt
    Mux(inside, Mux(unsignedInput, u, s), 0.U).asSInt.pad(d.streamElementBits)
  })

  // ---- Bank ports.
  for (k <- 0 until nBanks) {
    val b = io.banks(k)
    b.cmd.valid := (state === State.WeightCmd && sel(k)) || (state === State.MulCmd && mulSel(k) && allCmdReady)
    b.cmd.bits := Mux(state === State.MulCmd, Mux(unsignedInput, BankOp.MULTIPLY_UNSIGNED.U, BankOp.MULTIPLY.U),
      BankOp.LOAD_WEIGHTS.U)
    b.in.valid := (state === State.WeightStream && sel(k) && weightValid) ||
      (state === State.MulInput && mulSel(k) && allInReady)
    b.in.bits.data := Mux(state === State.MulInput, inputBeat, weightData)
    b.in.bits.last := false.B
    b.out.ready := state === State.MulDrain && sel(k)
  }

  // ---- Weight load sequencing.
  private val selCmdReady = VecInit(io.banks.map(_.cmd.ready))(bankSel(log2Ceil(nBanks).max(1) - 1, 0)) &&
    bankSel < nBanks.U
  when(state === State.WeightCmd && selCmdReady) {
    state := State.WeightStream
    gRow := 0.U
    gCol := 0.U
    row := 0.U
    word := 0.U
  }
  when(weightFire) {
    val lastWord = word === (cols / lanes - 1).U
    val lastRow = row === (rows - 1).U
    val lastCol = gCol === (gridCols - 1).U
    val lastGridRow = gRow === (gridRows - 1).U
    word := Mux(lastWord, 0.U, word + 1.U)
    when(lastWord) { row := Mux(lastRow, 0.U, row + 1.U) }
    when(lastWord && lastRow) { gCol := Mux(lastCol, 0.U, gCol + 1.U) }
    when(lastWord && lastRow && lastCol) { gRow := Mux(lastGridRow, 0.U, gRow + 1.U) }
    when(lastWord && lastRow && lastCol && lastGridRow) {
      bankSel := bankSel + 1.U
      state := Mux(gather || bankSel === lastSelected, State.Idle, State.WeightCmd)
    }
  }

  // ---- MVM sequencing.
  when(state === State.MulCmd && allCmdReady) {
    state := State.MulInput
    inBeat := 0.U
  }
  when(state === State.MulInput && allInReady) {
    inBeat := inBeat + 1.U
    when(inBeat === (inBeats - 1).U) {
      state := State.MulDrain
      bankSel := ins.bank
      outBeat := 0.U
      drained := 0.U
    }
  }
  private val selOut = VecInit(io.banks.map(_.out.bits.data))(bankSel(log2Ceil(nBanks).max(1) - 1, 0))
  private val selOutValid = VecInit(io.banks.map(_.out.valid))(bankSel(log2Ceil(nBanks).max(1) - 1, 0)) &&
    bankSel < nBanks.U
  private val drainFire = state === State.MulDrain && selOutValid
  io.old.addr := ScratchAddr.of(plan, iter.dst + drained)
  io.bias.addr := ScratchAddr.of(plan, ins.src2 + drained)
  private val accumulate = (ins.b & Instruction.ACCUMULATE.U) =/= 0.U
  private val addBias = (ins.b & Instruction.BIAS.U) =/= 0.U
  io.write.en := drainFire
  io.write.addr := ScratchAddr.of(plan, iter.dst + drained)
  io.write.data := VecInit((0 until lanes).map { l =>
    val sum = selOut(l).pad(elemBits + 2) +& Mux(accumulate, io.old.data(l), 0.S) +& Mux(addBias, io.bias.data(l), 0.S)
    ElementOps.sat(sum, elemBits)
  })
  when(drainFire) {
    drained := drained + 1.U
    val lastBeat = outBeat === (outBeats - 1).U
    outBeat := Mux(lastBeat, 0.U, outBeat + 1.U)
    when(lastBeat) {
      bankSel := bankSel + 1.U
      when(bankSel === lastSelected) {
        iter.next()
        state := Mux(iter.isLast, State.Idle, State.MulCmd)
      }
    }
  }
}
