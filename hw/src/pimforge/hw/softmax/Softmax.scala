package pimforge.hw.softmax

import chisel3._
import chisel3.util._
import pimforge.golden.softmax.{ExpLut, SoftmaxOp}
import pimforge.hw.stream.StreamUnitIO
import pimforge.ports.StreamPorts
import pimforge.params.HwParams

/**
 * Hybrid softmax over one row of raw attention scores per packet (golden model:
 * pimforge.golden.softmax.SoftmaxModel; formats in the README "Softmax unit").
 *
 * Host protocol (one command, then its beats on `in`, results on `out`):
 *  - Configure: configBeats beats holding multiplier, shift (zero padded); no result packet.
 *  - Row: up to rowBeats beats of `lanes` signed scores, `last` on the final one; a score equal to
 *    maskValue is masked (pad a short row with it). The unit answers with as many beats of
 *    unsigned probabilities, `last` on the final one.
 * Passes: Load (store the row, running max) -> Exp (distance, scale, LUT, sum; one beat per cycle)
 * -> Divide (restoring divider, reciprocalBits cycles) -> Drain (normalize while sending).
 */
class Softmax(p: HwParams) extends Module {
  private val s = p.softmax
  private val d = p.softmaxDerived
  private val lanes = s.lanes
  private val inBits = s.inputBits
  private val rowBeats = d.rowBeats
  private val addrBits = log2Ceil(rowBeats).max(1)
  private val countBits = log2Ceil(rowBeats + 1)

  val io = IO(new StreamUnitIO(StreamPorts.softmax(p)))

  private object State extends ChiselEnum {
    val Idle, Config, Load, Exp, Divide, Drain = Value
  }
  private val state = RegInit(State.Idle)
  io.busy := state =/= State.Idle
  io.cmd.ready := state === State.Idle
  io.in.ready := state === State.Config || state === State.Load

  private val ptr = RegInit(0.U(countBits.W)) // beat being loaded, exponentiated or sent
  private val beats = RegInit(0.U(countBits.W)) // beats of the current row
  private val max = RegInit(d.maskValue.S(inBits.W))
  private val addr = ptr(addrBits - 1, 0)
  when(io.cmd.fire) {
    state := Mux(io.cmd.bits === SoftmaxOp.CONFIGURE.U, State.Config, State.Load)
    ptr := 0.U
    max := d.maskValue.S(inBits.W)
  }

  // ---- Configure: element 0 = multiplier, element 1 = shift.
  private val multiplier = RegInit(0.U(s.scaleBits.W))
  private val shift = RegInit(0.U(d.shiftBits.W))
  when(state === State.Config && io.in.valid) {
    for (e <- 0 until d.configValues) {
      when(ptr === (e / lanes).U) {
        val v = io.in.bits.data(e % lanes).asUInt
        if (e == 0) multiplier := v(s.scaleBits - 1, 0) else shift := v(d.shiftBits - 1, 0)
      }
    }
    ptr := ptr + 1.U
    when(io.in.bits.last) { state := State.Idle }
  }

  // ---- Load: store the row, running max (the mask value is the smallest score, so it never wins).
  private val rowBuf = Mem(rowBeats, Vec(lanes, SInt(inBits.W)))
  when(state === State.Load && io.in.valid) {
    rowBuf.write(addr, io.in.bits.data)
    val beatMax = io.in.bits.data.reduce((a, b) => Mux(a > b, a, b))
    max := Mux(beatMax > max, beatMax, max)
    val end = io.in.bits.last || ptr === (rowBeats - 1).U
    ptr := Mux(end, 0.U, ptr + 1.U)
    when(end) {
      beats := ptr + 1.U
      state := State.Exp
    }
  }

  // ---- Exp + sum: t = ((max - s) * multiplier + half) >> shift; e = LUT[t], 0 beyond the table.
  private val lut = VecInit(ExpLut.entries(s).toSeq.map(v => v.U(d.expEntryBits.W)))
  private val expBuf = Mem(rowBeats, Vec(lanes, UInt(d.expEntryBits.W)))
  private val sum = RegInit(0.U(d.sumBits.W))
  private val half = ((1.U((d.productBits + 1).W) << shift)(d.productBits, 0) >> 1)(d.productBits - 1, 0)
  when(state === State.Load) { sum := 0.U }
  when(state === State.Exp) {
    val scores = rowBuf.read(addr)
    val es = VecInit(scores.map { sc =>
      val distance = (max -& sc).asUInt(inBits - 1, 0)
      val t = ((distance * multiplier) +& half) >> shift
      val inTable = t < s.expLutEntries.U
      Mux(sc === d.maskValue.S(inBits.W) || !inTable, 0.U, lut(t.pad(d.lutIndexBits)(d.lutIndexBits - 1, 0)))
    })
    expBuf.write(addr, es)
    sum := (sum +& es.reduce(_ +& _))(d.sumBits - 1, 0)
    val lastBeat = ptr === beats - 1.U
    ptr := Mux(lastBeat, 0.U, ptr + 1.U)
    when(lastBeat) { state := State.Divide }
  }

  // ---- Divide: R = floor(2^dividendLog2 / sum), one quotient bit per cycle. Quotient bits above
  // reciprocalBits are zero because sum >= 2^expLutBits (the max scores LUT[0] = 1.0), so the
  // partial remainder starts at 2^expLutBits. A fully masked row (sum 0) gives garbage R, but
  // every e is 0, so every probability is 0.
  private val rem = Reg(UInt((d.sumBits + 1).W))
  private val recip = Reg(UInt(d.reciprocalBits.W))
  private val step = Reg(UInt(log2Ceil(d.reciprocalBits + 1).W))
  when(state === State.Exp) {
    rem := (BigInt(1) << s.expLutBits).U
    step := 0.U
  }
  when(state === State.Divide) {
    val fits = rem >= sum
    val diff = Mux(fits, rem - sum, rem)
    rem := (diff << 1)(d.sumBits, 0)
    recip := Cat(recip(d.reciprocalBits - 2, 0), fits)
    step := step + 1.U
    when(step === (d.reciprocalBits - 1).U) { state := State.Drain }
  }

  // ---- Normalize + drain: p = min((e * R + half) >> normalizeShift, 2^outputBits - 1).
  private val top = (BigInt(1) << s.outputBits) - 1
  private val roundHalf = (BigInt(1) << (d.normalizeShift - 1)).U
  private val lastOut = ptr === beats - 1.U
  io.out.valid := state === State.Drain
  io.out.bits.last := lastOut
  io.out.bits.data := VecInit(expBuf.read(addr).map { e =>
    val q = ((e * recip) +& roundHalf) >> d.normalizeShift
    val prob = Mux(q > top.U, top.U(s.outputBits.W), q(s.outputBits - 1, 0))
    Cat(0.U(1.W), prob).asSInt
  })
  when(io.out.fire) {
    ptr := Mux(lastOut, 0.U, ptr + 1.U)
    when(lastOut) { state := State.Idle }
  }
}
