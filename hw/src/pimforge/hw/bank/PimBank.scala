package pimforge.hw.bank

import chisel3._
import chisel3.util._
import pimforge.golden.BankOp
import pimforge.hw.stream.StreamUnitIO
import pimforge.hw.xbar.CrossbarTile
import pimforge.ports.StreamPorts
import pimforge.params.{HwParams, Precision}

/**
 * PIM bank: a tileGridRows x tileGridCols grid of crossbar tiles computing y = x W.
 *
 * Host protocol (one command, then its beats on `in`, results on `out`):
 *  - LoadWeights: tileGridRows*tileGridCols*rows*wordsPerTile beats, tile by tile (row-major over
 *    the grid), within a tile row by row, within a row word by word; a beat holds `lanes` weights.
 *  - Multiply: bankInputs/lanes beats of inputs; the bank computes, then sends bankOutputs/lanes
 *    beats of results (tile column by tile column), `last` on the final beat. MultiplyUnsigned:
 *    the same with unsigned inputs (the top bit plane adds +2^(I-1) instead of subtracting).
 * Inputs are broadcast to every tile of their grid row; partial sums of a grid column are added.
 */
class PimBank(p: HwParams) extends Module {
  private val prec = p.precision
  private val xb = p.crossbar
  private val bk = p.bank
  private val d = p.derived
  private val lanes = xb.lanes
  private val rows = xb.rows
  private val words = d.wordsPerTile
  private val gridRows = bk.tileGridRows
  private val gridCols = bk.tileGridCols
  private val inputBits = prec.inputBits
  private val accBits = d.accumulatorBits

  val io = IO(new StreamUnitIO(StreamPorts.pimBank(p)))

  private val tiles = Seq.fill(gridRows, gridCols)(Module(new CrossbarTile(p)))

  private object State extends ChiselEnum {
    val Idle, LoadWeights, LoadInputs, Compute, Settle, Drain = Value
  }
  private val state = RegInit(State.Idle)
  io.busy := state =/= State.Idle
  io.cmd.ready := state === State.Idle
  private val unsignedInputs = RegInit(false.B)
  when(io.cmd.fire) {
    state := Mux(io.cmd.bits === BankOp.LOAD_WEIGHTS.U, State.LoadWeights, State.LoadInputs)
    unsignedInputs := io.cmd.bits === BankOp.MULTIPLY_UNSIGNED.U
  }

  // ---- Weight load: counters (tile, row, word) in stream order.
  private val wTile = RegInit(0.U(log2Ceil(gridRows * gridCols).max(1).W))
  private val wRow = RegInit(0.U(log2Ceil(rows).max(1).W))
  private val wWord = RegInit(0.U(log2Ceil(words).max(1).W))
  private val loadingWeights = state === State.LoadWeights && io.in.valid
  for (i <- 0 until gridRows; j <- 0 until gridCols) {
    val t = tiles(i)(j)
    t.io.write.valid := loadingWeights && wTile === (i * gridCols + j).U
    t.io.write.bits.row := wRow
    t.io.write.bits.word := wWord
    t.io.write.bits.weights := VecInit(io.in.bits.data.map(_(prec.weightBits - 1, 0).asSInt))
  }
  when(loadingWeights) {
    val lastWord = wWord === (words - 1).U
    val lastRow = wRow === (rows - 1).U
    wWord := Mux(lastWord, 0.U, wWord + 1.U)
    when(lastWord) { wRow := Mux(lastRow, 0.U, wRow + 1.U) }
    when(lastWord && lastRow) {
      wTile := Mux(wTile === (gridRows * gridCols - 1).U, 0.U, wTile + 1.U)
      when(wTile === (gridRows * gridCols - 1).U) { state := State.Idle }
    }
  }

  // ---- Input load: a shift register of bankInputs elements; sum(x) for the OFFSET correction.
  private val inputBeats = d.bankInputs / lanes
  private val x = Reg(Vec(d.bankInputs, SInt(inputBits.W)))
  private val xSumBits = inputBits + log2Ceil(d.bankInputs) + 1
  private val xSum = Reg(SInt(xSumBits.W))
  private val xBeat = RegInit(0.U(log2Ceil(inputBeats).max(1).W))
  private val loadingInputs = state === State.LoadInputs && io.in.valid
  private val beatInputs = io.in.bits.data.map(_(inputBits - 1, 0).asSInt)
  when(loadingInputs) {
    for (e <- 0 until d.bankInputs) {
      x(e) := (if (e + lanes < d.bankInputs) x(e + lanes) else beatInputs(e + lanes - d.bankInputs))
    }
    val beatSum = beatInputs.map(v => Mux(unsignedInputs, v.asUInt.zext.pad(xSumBits), v.pad(xSumBits)))
      .reduce(_ +& _)
    xSum := (Mux(xBeat === 0.U, 0.S, xSum) +& beatSum)(xSumBits - 1, 0).asSInt
    xBeat := Mux(xBeat === (inputBeats - 1).U, 0.U, xBeat + 1.U)
    when(xBeat === (inputBeats - 1).U) { state := State.Compute }
  }
  io.in.ready := state === State.LoadWeights || state === State.LoadInputs

  // ---- Compute: for each word, the input bit planes most significant first.
  private val cWord = RegInit(0.U(log2Ceil(words).max(1).W))
  private val cBit = RegInit((inputBits - 1).U(log2Ceil(inputBits).max(1).W))
  private val stepping = state === State.Compute
  private val firstPlane = cBit === (inputBits - 1).U
  private val lastPlane = cBit === 0.U
  for (i <- 0 until gridRows; j <- 0 until gridCols) {
    val t = tiles(i)(j)
    t.io.step.valid := stepping
    t.io.step.bits.word := cWord
    t.io.step.bits.first := firstPlane
    t.io.step.bits.negate := firstPlane && !unsignedInputs // two's complement: the sign bit weighs -2^(I-1)
    t.io.step.bits.plane := VecInit((0 until rows).map(r => x(i * rows + r).asUInt(cBit)))
  }
  private val lastStep = stepping && lastPlane && cWord === (words - 1).U
  when(stepping) {
    cBit := Mux(lastPlane, (inputBits - 1).U, cBit - 1.U)
    when(lastPlane) { cWord := Mux(cWord === (words - 1).U, 0.U, cWord + 1.U) }
  }

  // A word's accumulators are final two cycles after its last plane was stepped.
  private val wordDone = ShiftRegister(stepping && lastPlane, 2, false.B, true.B)
  private val doneWord = ShiftRegister(cWord, 2)
  private val computeDone = ShiftRegister(lastStep, 2, false.B, true.B)
  private val offsetCorrection: SInt = prec.signedScheme match {
    case Precision.SignedScheme.OFFSET => (xSum << (prec.weightBits - 1)).asSInt
    case Precision.SignedScheme.DIFFERENTIAL => 0.S
  }
  // One result memory per grid column: entry = word, lanes results.
  private val results = Seq.fill(gridCols)(Mem(words, Vec(lanes, SInt(accBits.W))))
  for (j <- 0 until gridCols) {
    val sums = VecInit((0 until lanes).map { l =>
      val partial = (0 until gridRows).map(i => tiles(i)(j).io.acc(l)).reduce(_ +& _)
      (partial -& offsetCorrection)(accBits - 1, 0).asSInt
    })
    when(wordDone) { results(j).write(doneWord, sums) }
  }
  // Settle: wait for the last word to pass the two-cycle tile pipeline into the result memories.
  when(lastStep) { state := State.Settle }
  when(computeDone) { state := State.Drain }

  // ---- Drain: grid column by grid column, word by word.
  private val oCol = RegInit(0.U(log2Ceil(gridCols).max(1).W))
  private val oWord = RegInit(0.U(log2Ceil(words).max(1).W))
  private val lastOut = oWord === (words - 1).U && oCol === (gridCols - 1).U
  io.out.valid := state === State.Drain
  io.out.bits.data := (if (gridCols == 1) results.head.read(oWord) else VecInit(results.map(_.read(oWord)))(oCol))
  io.out.bits.last := lastOut
  when(io.out.fire) {
    oWord := Mux(oWord === (words - 1).U, 0.U, oWord + 1.U)
    when(oWord === (words - 1).U) { oCol := Mux(lastOut, 0.U, oCol + 1.U) }
    when(lastOut) { state := State.Idle }
  }
}
