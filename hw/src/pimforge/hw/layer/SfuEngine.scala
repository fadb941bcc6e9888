package pimforge.hw.layer

import chisel3._
import chisel3.util._
import pimforge.golden.sfu.{RopeTable, SfuOp}
import pimforge.hw.stream.StreamUnitIO
import pimforge.layer.{Instruction, LayerPlan}
import pimforge.params.HwParams
import pimforge.ports.StreamPorts

/**
 * SFU: drives the special-function unit with cmd = SfuOp; every input element is sat(v, accBits).
 * CONFIGURE, LOAD_NORM and LOAD_CHANNELS send sp[src ..] len beats once, no output. The others, for each
 * iteration: send sp[src' ..] len beats (RESIDUAL, MULTIPLY: sp[src'+i], sp[src2'+i] alternating, 2*len
 * beats; ROTATE first a header beat holding the position a + it), TLAST on the final beat, while the results come back into sp[dst' ..] sign-extended
 * (full duplex); the next iteration's command follows the last result beat. len = 0 keeps the
 * engine busy for one cycle.
 */
class SfuEngine(p: HwParams, plan: LayerPlan) extends Module {
  val io = IO(new Bundle {
    val ctl = new EngineControl
    val unit = Flipped(new StreamUnitIO(StreamPorts.sfu(p)))
    val read = new SpReadPort(plan)
    val write = new SpWritePort(plan)
    val positionBase = Input(UInt(RopeTable.POSITION_BITS.W)) // the POSITION register
  })
  private object State extends ChiselEnum {
    val Idle, Empty, Cmd, Stream = Value
  }
  private val state = RegInit(State.Idle)
  private val iter = new Iterations
  private val ins = Reg(new InstrFields)
  private val inBeat = RegInit(0.U(17.W))
  private val inDone = RegInit(false.B)
  private val outBeat = RegInit(0.U(16.W))
  private def packetOnly(cmd: UInt) =
    cmd === SfuOp.CONFIGURE.U || cmd === SfuOp.LOAD_NORM.U || cmd === SfuOp.LOAD_CHANNELS.U
  private val noOutput = packetOnly(ins.cmd)
  // RESIDUAL, MULTIPLY and ROTATE take two operands: beats of src' and src2' alternating. ROTATE
  // first sends a header beat holding the token position a + it (a running count, POSITION_BITS wide).
  private val rotate = ins.cmd === SfuOp.ROTATE.U
  private val residual = ins.cmd === SfuOp.RESIDUAL.U || ins.cmd === SfuOp.MULTIPLY.U || rotate
  private val position = RegInit(0.U(RopeTable.POSITION_BITS.W))
  io.ctl.busy := state =/= State.Idle
  when(io.ctl.start) {
    val f = io.ctl.instr
    ins := f
    iter.begin(f, Mux(packetOnly(f.cmd), 1.U, f.repeat))
    position := f.a + Mux((f.b & Instruction.POSITION_RELATIVE.U) =/= 0.U, io.positionBase, 0.U)
    state := Mux(f.len === 0.U, State.Empty, State.Cmd)
  }
  when(state === State.Empty) { state := State.Idle }

  io.unit.cmd.valid := state === State.Cmd
  io.unit.cmd.bits := ins.cmd(SfuOp.BITS - 1, 0)
  when(io.unit.cmd.fire) {
    state := State.Stream
    inBeat := 0.U
    inDone := false.B
    outBeat := 0.U
  }

  // ---- Input beats (RESIDUAL: a from src', b from src2', alternating).
  private val headerBeats = Mux(rotate, 1.U, 0.U)
  private val inBeats = Mux(residual, ins.len << 1, ins.len.pad(17)) + headerBeats
  private val lastIn = inBeat === inBeats - 1.U
  private val body = inBeat - headerBeats
  private val isHeader = rotate && inBeat === 0.U
  private val pair = Mux(residual, body >> 1, body)(15, 0)
  io.read.addr := ScratchAddr.of(plan, Mux(residual && body(0), iter.src2, iter.src) + pair)
  io.unit.in.valid := state === State.Stream && !inDone
  io.unit.in.bits.last := lastIn
  private val headerBeat = VecInit((0 until plan.lanes).map { l =>
    // The unit reads the low POSITION_BITS of element 0, not saturated like data elements.
    if (l == 0) position.pad(p.sfu.accBits)(p.sfu.accBits - 1, 0).asSInt else 0.S(p.sfu.accBits.W)
  })
  io.unit.in.bits.data := Mux(isHeader, headerBeat, VecInit(io.read.data.map(ElementOps.sat(_, p.sfu.accBits))))
  private val iterationEnd = WireDefault(false.B)
  when(io.unit.in.fire) {
    inBeat := inBeat + 1.U
    when(lastIn) {
      inDone := true.B
      when(noOutput) { iterationEnd := true.B }
    }
  }

  // ---- Result beats.
  private val lastOut = outBeat === ins.len - 1.U
  io.unit.out.ready := state === State.Stream
  io.write.en := io.unit.out.fire
  io.write.addr := ScratchAddr.of(plan, iter.dst + outBeat)
  io.write.data := VecInit(io.unit.out.bits.data.map(_.pad(plan.elementBits)))
  when(io.unit.out.fire) {
    outBeat := outBeat + 1.U
    when(lastOut) { iterationEnd := true.B }
  }

  when(iterationEnd) {
    iter.next()
    position := position + 1.U
    state := Mux(iter.isLast, State.Idle, State.Cmd)
  }
}
