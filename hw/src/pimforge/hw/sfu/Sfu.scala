package pimforge.hw.sfu

import chisel3._
import chisel3.util._
import pimforge.golden.sfu.{RopeTable, SfuOp}
import pimforge.hw.stream.{Beat, StreamUnitIO}
import pimforge.ports.StreamPorts
import pimforge.params.{HwParams, ModelShape}

/**
 * Special-function unit: requantization, residual add, LayerNorm/RMSNorm and the activation, with
 * the stream ports of every pimforge top (`cmd`, `in`, `out`, `busy`; see StreamPorts.java).
 * Commands and packets are documented in pimforge.golden.sfu.SfuOp; the golden model is
 * pimforge.golden.sfu.SfuModel. Element-wise ops stream one beat per cycle through one output
 * register stage; the norm stores the vector while summing x and x^2, computes D and its rsqrt
 * (one cycle each), then normalizes while draining.
 */
class Sfu(p: HwParams) extends Module {
  private val s = p.sfu
  private val d = p.sfuDerived
  private val lanes = s.lanes
  private val n = d.vectorLength
  private val nb = d.normBeats
  private val a = s.actBits

  val io = IO(new StreamUnitIO(StreamPorts.sfu(p)))

  private object State extends ChiselEnum {
    val Idle, Configure, LoadNorm, LoadChannels, Elementwise, Flush, NormLoad, NormStats, NormRsqrt, NormDrain = Value
  }
  private val state = RegInit(State.Idle)
  private val op = RegInit(0.U(SfuOp.BITS.W))
  private val cb = d.channelBeats
  // Beat counter of every packet (2*cb + 1 covers a channel table packet).
  private val count = RegInit(0.U(log2Ceil((2 * nb).max(2 * cb) + 1).W))
  io.busy := state =/= State.Idle
  io.cmd.ready := state === State.Idle
  // ROTATE: the first beat of the packet is a header holding the token position.
  private val ropeHeader = RegInit(false.B)
  private val ropePos = RegInit(0.U(RopeTable.POSITION_BITS.W))
  private val ropeTable = Option(RopeTable.of(p))
  private val beatsPerHead = (p.model.headDim / lanes).max(1)
  private val ropeBeat = RegInit(0.U(log2Ceil(beatsPerHead).max(1).W))
  when(io.cmd.fire) {
    op := io.cmd.bits
    count := 0.U
    ropeHeader := io.cmd.bits === SfuOp.ROTATE.U
    ropeBeat := 0.U
    state := MuxLookup(io.cmd.bits, State.Elementwise)(Seq(
      SfuOp.CONFIGURE.U -> State.Configure,
      SfuOp.LOAD_NORM.U -> State.LoadNorm,
      SfuOp.LOAD_CHANNELS.U -> State.LoadChannels,
      SfuOp.NORM.U -> State.NormLoad))
  }
  private val data = io.in.bits.data

  // ---- Runtime registers (CONFIGURE): word w is lane w % lanes of beat w / lanes.
  private val regM = RegInit(0.U(s.multiplierBits.W))
  private val regS = RegInit(0.U(d.requantShiftBits.W))
  private val regShA = RegInit(0.U(d.residualShiftBits.W))
  private val regShB = RegInit(0.U(d.residualShiftBits.W))
  private val regShOut = RegInit(0.U(d.residualOutShiftBits.W))
  private val configBeats = (d.configWords + lanes - 1) / lanes
  when(state === State.Configure && io.in.fire) {
    Seq[(UInt, Int)](regM -> 0, regS -> 1, regShA -> 2, regShB -> 3, regShOut -> 4).foreach { case (r, w) =>
      when(count === (w / lanes).U) { r := data(w % lanes).asUInt(r.getWidth - 1, 0) }
    }
    count := count + 1.U
    when(count === (configBeats - 1).U) { state := State.Idle }
  }

  // ---- Gamma/beta (LOAD_NORM): nb beats of gamma, then nb beats of beta.
  private val gammaMem = Mem(nb, Vec(lanes, SInt(s.gammaBits.W)))
  private val betaMem = Mem(nb, Vec(lanes, SInt(s.gammaBits.W)))
  private val gbBeat = VecInit(data.map(FixedOps.signedLow(_, s.gammaBits)))
  when(state === State.LoadNorm && io.in.fire) {
    when(count < nb.U) { gammaMem.write(count, gbBeat) }.otherwise { betaMem.write(count - nb.U, gbBeat) }
    count := count + 1.U
    when(count === (2 * nb - 1).U) { state := State.Idle }
  }

  // ---- Per-channel requantization table (LOAD_CHANNELS): beats alternate M, S; entry = pair * lanes + lane.
  private val chanM = Mem(cb, Vec(lanes, UInt(s.multiplierBits.W)))
  private val chanS = Mem(cb, Vec(lanes, UInt(d.requantShiftBits.W)))
  when(state === State.LoadChannels && io.in.fire) {
    val pair = count >> 1
    when(count(0) === 0.U) {
      chanM.write(pair, VecInit(data.map(_.asUInt(s.multiplierBits - 1, 0))))
    }.otherwise {
      chanS.write(pair, VecInit(data.map(_.asUInt(d.requantShiftBits - 1, 0))))
    }
    count := count + 1.U
    when(io.in.bits.last) { state := State.Idle }
  }
  // REQUANT_CHANNELS: beat `count` of the packet reads table row `count` (asynchronous read).
  private val rowM = chanM.read(count)
  private val rowS = chanS.read(count)

  // ---- Element-wise ops: combinational lane functions into a two-entry output queue.
  private val queue = Module(new Queue(new Beat(lanes, a), 2))
  private val residualA = Reg(Vec(lanes, SInt(s.residualBits.W)))
  private val residualPhaseB = RegInit(false.B)
  private val acts = Seq.fill(lanes)(Module(new ActivationRom(p)))
  private val results = VecInit((0 until lanes).map { l =>
    val requant = FixedOps.saturate(FixedOps.roundShift(FixedOps.signedLow(data(l), s.accBits) * regM.zext, regS), a)
    val requantCh = FixedOps.saturate(FixedOps.roundShift(FixedOps.signedLow(data(l), s.accBits) * rowM(l).zext,
      rowS(l)), a)
    val sum = (residualA(l) << regShA).asSInt +& (FixedOps.signedLow(data(l), s.residualBits) << regShB).asSInt
    val residual = FixedOps.saturate(FixedOps.roundShift(sum, regShOut), a)
    // MULTIPLY (gated FFN): the a-beat was kept in residualA; both operands are actBits activations.
    val prod = FixedOps.signedLow(residualA(l), a) * FixedOps.signedLow(data(l), a)
    val multiply = FixedOps.saturate(FixedOps.roundShift(prod, regShOut), a)
    // ROTATE (rotary embedding): x (kept in residualA) * cos + xRot * sin of this lane's element.
    val (cos, sin) = ropeTable match {
      case Some(t) =>
        val lane = Module(new RopeLane(t, lanes, l))
        lane.io.pos := ropePos
        lane.io.beatInHead := ropeBeat
        (lane.io.cos, lane.io.sin)
      case None => ((BigInt(1) << RopeTable.TRIG_FRAC_BITS).S(RopeTable.TRIG_BITS.W), 0.S(RopeTable.TRIG_BITS.W))
    }
    val turned = FixedOps.signedLow(residualA(l), a) * cos +& FixedOps.signedLow(data(l), a) * sin
    val rotate = FixedOps.saturate(FixedOps.roundShift(turned, RopeTable.TRIG_FRAC_BITS), a)
    acts(l).io.x := FixedOps.signedLow(data(l), a)
    MuxLookup(op, acts(l).io.y)(Seq(SfuOp.REQUANT.U -> requant, SfuOp.REQUANT_CHANNELS.U -> requantCh,
      SfuOp.RESIDUAL.U -> residual,
      SfuOp.MULTIPLY.U -> multiply, SfuOp.ROTATE.U -> rotate))
  })
  // Two-operand ops store the a-beat, then produce one output per b-beat.
  private val isResidual = op === SfuOp.RESIDUAL.U || op === SfuOp.MULTIPLY.U || op === SfuOp.ROTATE.U
  private val elementwise = state === State.Elementwise
  private val header = elementwise && ropeHeader
  private val storeA = elementwise && isResidual && !residualPhaseB && !ropeHeader
  queue.io.enq.valid := elementwise && io.in.valid && !storeA && !header
  when(header && io.in.valid) {
    ropePos := data(0).asUInt(RopeTable.POSITION_BITS - 1, 0)
    ropeHeader := false.B
  }
  queue.io.enq.bits.data := results
  queue.io.enq.bits.last := io.in.bits.last
  when(storeA && io.in.valid) {
    residualA := VecInit(data.map(FixedOps.signedLow(_, s.residualBits)))
  }
  when(elementwise && io.in.fire && residualPhaseB) {
    ropeBeat := Mux(ropeBeat === (beatsPerHead - 1).U, 0.U, ropeBeat + 1.U)
  }
  when(elementwise && io.in.fire && !header) {
    residualPhaseB := isResidual && !residualPhaseB
    count := count + 1.U
    when(io.in.bits.last) { state := State.Flush }
  }

  // ---- Norm: load (x into memory, S1, S2), D, rsqrt, drain.
  private val xMem = Mem(nb, Vec(lanes, SInt(a.W)))
  private val s1 = Reg(SInt(d.sumBits.W))
  private val s2 = Reg(UInt(d.sumSqBits.W))
  private val xBeat = VecInit(data.map(FixedOps.signedLow(_, a)))
  when(state === State.NormLoad && io.in.fire) {
    xMem.write(count, xBeat)
    val beatSum = xBeat.map(_.pad(d.sumBits)).reduce(_ +& _)
    val beatSq = xBeat.map(x => (x * x).asUInt.pad(d.sumSqBits)).reduce(_ +& _)
    s1 := (Mux(count === 0.U, 0.S, s1) +& beatSum)(d.sumBits - 1, 0).asSInt
    s2 := (Mux(count === 0.U, 0.U, s2) +& beatSq)(d.sumSqBits - 1, 0)
    count := count + 1.U
    when(count === (nb - 1).U) { state := State.NormStats }
  }
  private val layerNorm = d.norm == ModelShape.Norm.LAYERNORM
  private val s1Used: SInt = if (layerNorm) s1 else 0.S
  private val dReg = Reg(UInt(d.dBits.W))
  when(state === State.NormStats) {
    val ns2 = (s2 * n.U).zext
    dReg := (if (layerNorm) (ns2 - s1 * s1).asUInt else ns2.asUInt)(d.dBits - 1, 0)
    state := State.NormRsqrt
    count := 0.U
  }
  private val rsqrt = Module(new RsqrtRom(p))
  rsqrt.io.d := dReg
  private val rReg = Reg(UInt(d.rsqrtEntryBits.W))
  private val eReg = Reg(UInt(rsqrt.io.e.getWidth.W))
  when(state === State.NormRsqrt) {
    rReg := rsqrt.io.r
    eReg := rsqrt.io.e
    state := State.NormDrain
  }
  private val drainX = xMem.read(count)
  private val drainG = gammaMem.read(count)
  private val drainB = betaMem.read(count)
  private val normBeat = VecInit((0 until lanes).map { l =>
    val num = (drainX(l) * n.S) -& s1Used
    val z = FixedOps.saturate(FixedOps.roundShift(num * rReg.zext, eReg +& d.zShiftBase.U), s.normBits)
    val t = (z * drainG(l)) +& (drainB(l) << d.zFracBits).asSInt
    FixedOps.saturate(FixedOps.roundShift(t, d.outShift), a)
  })
  private val draining = state === State.NormDrain
  private val lastDrain = count === (nb - 1).U

  // ---- Ports.
  io.in.ready := MuxLookup(state, false.B)(Seq(
    State.Configure -> true.B,
    State.LoadNorm -> true.B,
    State.LoadChannels -> true.B,
    State.NormLoad -> true.B,
    State.Elementwise -> (storeA || header || queue.io.enq.ready)))
  io.out.valid := Mux(draining, true.B, queue.io.deq.valid)
  io.out.bits.data := Mux(draining, normBeat, queue.io.deq.bits.data)
  io.out.bits.last := Mux(draining, lastDrain, queue.io.deq.bits.last)
  queue.io.deq.ready := io.out.ready && !draining
  when(draining && io.out.fire) {
    count := count + 1.U
    when(lastDrain) { state := State.Idle }
  }
  when(state === State.Flush && queue.io.deq.fire && queue.io.deq.bits.last) { state := State.Idle }
}
