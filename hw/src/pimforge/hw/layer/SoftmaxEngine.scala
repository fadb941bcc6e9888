package pimforge.hw.layer

import chisel3._
import chisel3.util._
import pimforge.hw.sfu.FixedOps
import pimforge.golden.softmax.SoftmaxOp
import pimforge.hw.stream.StreamUnitIO
import pimforge.layer.{Alibi, InstructionField, LayerPlan}
import pimforge.params.HwParams
import pimforge.ports.StreamPorts

/**
 * SOFTMAX: drives the softmax unit. cmd 0 (Configure) sends sp[src ..] len beats once (the low
 * inputBits of each element, TLAST on the final beat); any other cmd is Row: for each iteration
 * it the row sp[src' ..] (len beats; element e >= valid = a + it*b masked, b = 1 giving causal rows,
 * the others less the ALiBi penalty round((valid - 1 - e) * src2 >> shift), clamped to
 * [maskValue + 1, 2^(inputBits-1) - 1]) goes in while the probabilities of the previous beats come
 * out into sp[dst' ..] sign-extended. The next iteration's command follows the last output beat.
 * len = 0 keeps the engine busy for one cycle.
 */
class SoftmaxEngine(p: HwParams, plan: LayerPlan) extends Module {
  private val lanes = plan.lanes
  private val inBits = p.softmax.inputBits
  private val mask = p.softmaxDerived.maskValue
  val io = IO(new Bundle {
    val ctl = new EngineControl
    val unit = Flipped(new StreamUnitIO(StreamPorts.softmax(p)))
    val read = new SpReadPort(plan)
    val write = new SpWritePort(plan)
  })
  private object State extends ChiselEnum {
    val Idle, Empty, Cmd, Stream = Value
  }
  private val state = RegInit(State.Idle)
  private val iter = new Iterations
  private val ins = Reg(new InstrFields)
  private val inBeat = RegInit(0.U(16.W))
  private val inDone = RegInit(false.B)
  private val outBeat = RegInit(0.U(16.W))
  private val configure = ins.cmd === SoftmaxOp.CONFIGURE.U
  // Valid keys of the current iteration, a + it*b, kept as a running sum (17 bits: a and b are
  // 16-bit, and a row never holds more than 2^16 elements, so larger counts mask nothing).
  private val validBits = InstructionField.A.width + 1
  private val validMax = (BigInt(1) << validBits) - 1
  private val validKeys = Reg(UInt(validBits.W))
  require(p.softmaxDerived.rowBeats.toLong * lanes <= validMax, "softmax rows longer than the valid-key counter")
  private def satAdd(x: UInt, y: UInt): UInt = {
    val s = x +& y
    Mux(s > validMax.U, validMax.U(validBits.W), s(validBits - 1, 0))
  }
  io.ctl.busy := state =/= State.Idle
  when(io.ctl.start) {
    val f = io.ctl.instr
    ins := f
    iter.begin(f, Mux(f.cmd === SoftmaxOp.CONFIGURE.U, 1.U, f.repeat))
    validKeys := f.a
    state := Mux(f.len === 0.U, State.Empty, State.Cmd)
  }
  when(state === State.Empty) { state := State.Idle }

  io.unit.cmd.valid := state === State.Cmd
  io.unit.cmd.bits := Mux(configure, SoftmaxOp.CONFIGURE.U, SoftmaxOp.ROW.U)
  when(io.unit.cmd.fire) {
    state := State.Stream
    inBeat := 0.U
    inDone := false.B
    outBeat := 0.U
  }

  // ---- Scores in.
  private val lastIn = inBeat === ins.len - 1.U
  io.read.addr := ScratchAddr.of(plan, iter.src + inBeat)
  io.unit.in.valid := state === State.Stream && !inDone
  io.unit.in.bits.last := lastIn
  io.unit.in.bits.data := VecInit((0 until lanes).map { l =>
    val v = io.read.data(l)
    val elementIndex = if (lanes == 1) inBeat else inBeat ## l.U(log2Ceil(lanes).W)
    // ALiBi: minus round((valid - 1 - e) * src2 >> shift), only where e < valid (src2 = 0: none).
    val distance = (validKeys - 1.U - elementIndex)(validBits - 1, 0)
    val penalty = FixedOps.roundShift((distance * ins.src2).zext, ins.shift(Alibi.SHIFT_BITS - 1, 0))
    val biased = v -& penalty
    val row = Mux(elementIndex >= validKeys, mask.S(inBits.W),
      ElementOps.clamp(biased, mask + 1, (BigInt(1) << (inBits - 1)) - 1, inBits))
    Mux(configure, FixedOps.signedLow(v, inBits), row)
  })
  private val iterationEnd = WireDefault(false.B)
  when(io.unit.in.fire) {
    inBeat := inBeat + 1.U
    when(lastIn) {
      inDone := true.B
      when(configure) { iterationEnd := true.B }
    }
  }

  // ---- Probabilities out.
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
    validKeys := satAdd(validKeys, ins.b)
    state := Mux(iter.isLast, State.Idle, State.Cmd)
  }
}
