package pimforge.hw.layer

import chisel3._
import chisel3.util._
import pimforge.hw.stream.StreamUnitIO
import pimforge.kvcache.{KvCacheLayout, KvCacheOp}
import pimforge.layer.LayerPlan
import pimforge.params.HwParams
import pimforge.ports.StreamPorts

/**
 * KV: drives the KV-cache controller of head `bank` (one per KV head, pimforge.hw.kvcache;
 * semantics in pimforge.layer.Opcode.KV, golden pimforge.layer.KvSpec). Per iteration: the command,
 * then the input beats from the scratchpad (APPEND: the key from src', then the value from src2';
 * SCORES: the query; CONTEXT: the probability row), requantized on the way in, while the result
 * beats go back to sp[dst' ..], requantized on the way out. The next iteration's command follows
 * the last result beat.
 */
class KvEngine(p: HwParams, plan: LayerPlan) extends Module {
  private val lay = KvCacheLayout.of(p)
  private val ports = StreamPorts.kvCache(p)
  private val heads = p.model.numKvHeads
  private val lanes = plan.lanes
  private val vec = lay.vectorBeats(lay.headDim)
  private val slots = lay.vectorBeats(lay.capacity)
  private val resultBeats = lay.vectorBeats(KvCacheLayout.APPEND_RESULT_WORDS)
  val io = IO(new Bundle {
    val ctl = new EngineControl
    val units = Vec(heads, Flipped(new StreamUnitIO(ports)))
    val read = new SpReadPort(plan)
    val write = new SpWritePort(plan)
    val head = Output(UInt(log2Ceil(p.model.numKvHeads).max(1).W)) // controller in use (memory port owner)
  })
  private object State extends ChiselEnum {
    val Idle, Cmd, Stream = Value
  }
  private val state = RegInit(State.Idle)
  private val iter = new Iterations
  private val ins = Reg(new InstrFields)
  private val inBeat = RegInit(0.U(16.W))
  private val outBeat = RegInit(0.U(16.W))
  io.ctl.busy := state =/= State.Idle
  when(io.ctl.start) {
    ins := io.ctl.instr
    iter.begin(io.ctl.instr, io.ctl.instr.repeat)
    state := State.Cmd
  }

  private val append = ins.cmd === KvCacheOp.APPEND.U
  private val scores = ins.cmd === KvCacheOp.SCORES.U
  private val inBeats = Mux(append, (2 * vec).U, Mux(scores, vec.U, slots.U))
  private val outBeats = Mux(append, resultBeats.U, Mux(scores, slots.U, vec.U))
  private val head = ins.bank(log2Ceil(heads).max(1) - 1, 0)
  io.head := head

  // ---- The selected controller's streams; the others see no traffic.
  private val cmdValid = state === State.Cmd
  private val inValid = state === State.Stream && inBeat < inBeats
  private val outReady = state === State.Stream
  private val cmdReady = VecInit(io.units.map(_.cmd.ready))(head)
  private val inReady = VecInit(io.units.map(_.in.ready))(head)
  private val out = io.units(head).out
  for ((u, h) <- io.units.zipWithIndex) {
    val sel = head === h.U
    u.cmd.valid := cmdValid && sel
    u.cmd.bits := ins.cmd
    u.in.valid := inValid && sel
    u.in.bits.last := inBeat === inBeats - 1.U
    u.out.ready := outReady && sel
  }
  when(cmdValid && cmdReady) {
    state := State.Stream
    inBeat := 0.U
    outBeat := 0.U
  }

  // ---- In: requantize K, V, q (satSym(roundShift(x, shift), inputBits)) or clamp probabilities.
  io.read.addr := ScratchAddr.of(plan, Mux(append && inBeat >= vec.U, iter.src2 + inBeat - vec.U, iter.src + inBeat))
  private val pMax = (BigInt(1) << lay.probabilityBits) - 1
  private val inData = VecInit(io.read.data.map { v =>
    val q = ElementOps.satSym(ElementOps.roundShift(v, ins.shift), lay.inputBits)
    val pr = ElementOps.clamp(v, 0, pMax, lay.probabilityBits + 1)
    Mux(ins.cmd === KvCacheOp.CONTEXT.U, pr.pad(ports.inBits), q.pad(ports.inBits))
  })
  io.units.foreach(_.in.bits.data := inData)
  when(inValid && inReady) { inBeat := inBeat + 1.U }

  // ---- Out: sat(roundShift(y, a), elementBits); an empty slot's score becomes the softmax mask.
  private val mask = p.softmaxDerived.maskValue
  io.write.en := out.valid && outReady
  io.write.addr := ScratchAddr.of(plan, iter.dst + outBeat)
  io.write.data := VecInit(out.bits.data.map { y =>
    val shifted = ElementOps.sat(Mux(append, y, ElementOps.roundShift(y, ins.a)), plan.elementBits)
    Mux(scores && y === lay.maskScore.S, mask.S(plan.elementBits.W), shifted)
  })
  when(out.valid && outReady) {
    outBeat := outBeat + 1.U
    when(outBeat === outBeats - 1.U) {
      iter.next()
      state := Mux(iter.isLast, State.Idle, State.Cmd)
    }
  }
}
