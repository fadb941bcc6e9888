package pimforge.hw.layer

import chisel3._
import chisel3.util._
import pimforge.golden.cam.CamOp
import pimforge.hw.stream.StreamUnitIO
import pimforge.layer.LayerPlan
import pimforge.params.HwParams
import pimforge.ports.StreamPorts

/**
 * CAM: drives the CAM attention unit of KV head `bank` (one per KV head, pimforge.hw.cam;
 * semantics in pimforge.layer.Opcode.CAM, golden pimforge.layer.CamSpec). Per iteration: the
 * command, then the packet from the scratchpad (WRITE: the row header, the key from src', the
 * value from src2'; QUERY: the row-limit header, the query from src'; CONFIGURE: the packet at src;
 * CLEAR: one zero beat), requantized on the way in. A QUERY's answer streams back; only its
 * context beats are kept (sat(y << a, elementBits) to sp[dst' ..]). A WRITE with b = 1 reads its
 * row from a KV APPEND result at sp[dst'] in the command cycle and sends nothing when it is
 * negative (a refused append).
 */
class CamEngine(p: HwParams, plan: LayerPlan) extends Module {
  private val dv = p.camDerived
  private val ports = StreamPorts.cam(p)
  private val heads = p.model.numKvHeads
  private val vec = dv.elementBeats
  private val answerBeats = dv.outBeats
  private val contextFirst = answerBeats - vec // indices, scores, probabilities come first
  val io = IO(new Bundle {
    val ctl = new EngineControl
    val units = Vec(heads, Flipped(new StreamUnitIO(ports)))
    val read = new SpReadPort(plan)
    val write = new SpWritePort(plan)
  })
  private object State extends ChiselEnum {
    val Idle, Cmd, Stream = Value
  }
  private val state = RegInit(State.Idle)
  private val iter = new Iterations
  private val ins = Reg(new InstrFields)
  private val inBeat = RegInit(0.U(16.W))
  private val outBeat = RegInit(0.U(16.W))
  private val header = Reg(SInt(ports.inBits.W)) // row (WRITE) or row limit (QUERY)
  private def low(u: UInt): SInt = u.pad(ports.inBits)(ports.inBits - 1, 0).asSInt
  io.ctl.busy := state =/= State.Idle || io.units.map(_.busy).reduce(_ || _)
  private val once = io.ctl.instr.cmd === CamOp.CONFIGURE.U || io.ctl.instr.cmd === CamOp.CLEAR.U
  when(io.ctl.start) {
    ins := io.ctl.instr
    iter.begin(io.ctl.instr, Mux(once, 1.U, io.ctl.instr.repeat))
    state := State.Cmd
  }

  private val write = ins.cmd === CamOp.WRITE.U
  private val query = ins.cmd === CamOp.QUERY.U
  private val config = ins.cmd === CamOp.CONFIGURE.U
  private val inBeats = Mux(write, (1 + 2 * vec).U, Mux(query, (1 + vec).U, Mux(config, dv.configBeats.U, 1.U)))
  private val outBeats = Mux(query, answerBeats.U, 0.U)
  private val head = ins.bank(log2Ceil(heads).max(1) - 1, 0)

  // ---- Command: the row of an indirect WRITE comes from the APPEND result word at dst'.
  private val indirect = write && ins.b === pimforge.layer.CamSpec.ROW_FROM_APPEND.U
  private val appendSlot = io.read.data(pimforge.layer.CamSpec.APPEND_SLOT_ELEMENT)
  private val skip = state === State.Cmd && indirect && appendSlot < 0.S
  private val limit = {
    val l = ins.len +& iter.it * ins.b
    Mux(l > dv.keys.U, dv.keys.U, l)
  }
  private val cmdValid = state === State.Cmd && !skip
  private val cmdReady = VecInit(io.units.map(_.cmd.ready))(head)
  private val inValid = state === State.Stream && inBeat < inBeats
  private val outReady = state === State.Stream
  private val out = io.units(head).out
  for ((u, h) <- io.units.zipWithIndex) {
    val sel = head === h.U
    u.cmd.valid := cmdValid && sel
    u.cmd.bits := ins.cmd(CamOp.BITS - 1, 0)
    u.in.valid := inValid && sel
    u.in.bits.last := inBeat === inBeats - 1.U
    u.out.ready := outReady && sel
  }
  private val inReady = VecInit(io.units.map(_.in.ready))(head)
  private def nextIteration(): Unit = {
    iter.next()
    state := Mux(iter.isLast, State.Idle, State.Cmd)
  }
  when(skip) { nextIteration() }
  when(cmdValid && cmdReady) {
    state := State.Stream
    inBeat := 0.U
    outBeat := 0.U
    header := Mux(indirect, low(appendSlot.asUInt), Mux(write, low(ins.len +& iter.it), low(limit)))
  }

  // ---- In: header, then key / query satSym(roundShift(x, shift), keyBits), value with a, valueBits.
  private val valueBeat = write && inBeat > vec.U
  io.read.addr := ScratchAddr.of(plan, Mux(state === State.Cmd, iter.dst,
    Mux(config, iter.src + inBeat, Mux(valueBeat, iter.src2 + inBeat - 1.U - vec.U, iter.src + inBeat - 1.U))))
  private val inData = VecInit(io.read.data.map { v =>
    val k = ElementOps.satSym(ElementOps.roundShift(v, ins.shift), p.cam.keyBits)
    val w = ElementOps.satSym(ElementOps.roundShift(v, ins.a), p.cam.valueBits)
    Mux(config, v.pad(ports.inBits)(ports.inBits - 1, 0).asSInt, Mux(valueBeat, w.pad(ports.inBits), k.pad(ports.inBits)))
  })
  private val headerBeat = VecInit(Seq(header) ++ Seq.fill(plan.lanes - 1)(0.S(ports.inBits.W)))
  private val zeros = VecInit(Seq.fill(plan.lanes)(0.S(ports.inBits.W)))
  private val clear = ins.cmd === CamOp.CLEAR.U
  io.units.foreach(_.in.bits.data := Mux(clear, zeros, Mux((write || query) && inBeat === 0.U, headerBeat, inData)))
  when(inValid && inReady) {
    inBeat := inBeat + 1.U
    when(inBeat === inBeats - 1.U && !query) { nextIteration() }
  }

  // ---- Out (QUERY): the context beats, sat(y << a, elementBits); the other answer beats are dropped.
  private val shiftA = ins.a(4, 0)
  io.write.en := out.valid && outReady && outBeat >= contextFirst.U
  io.write.addr := ScratchAddr.of(plan, iter.dst + outBeat - contextFirst.U)
  io.write.data := VecInit(out.bits.data.map(y => ElementOps.sat((y << shiftA).asSInt, plan.elementBits)))
  when(out.valid && outReady) {
    outBeat := outBeat + 1.U
    when(outBeat === outBeats - 1.U) { nextIteration() }
  }
}
