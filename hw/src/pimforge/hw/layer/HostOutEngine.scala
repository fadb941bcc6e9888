package pimforge.hw.layer

import chisel3._
import chisel3.util._
import pimforge.layer.LayerPlan

/**
 * HOST_OUT: for each iteration, sp[src' ..] len beats to m_axis, one beat per cycle while m_axis
 * is ready, TLAST on the instruction's final beat. len = 0 keeps the engine busy for one cycle.
 */
class HostOutEngine(plan: LayerPlan) extends Module {
  val io = IO(new Bundle {
    val ctl = new EngineControl
    val out = Decoupled(new Bundle {
      val word = new SpWord(plan)
      val last = Bool()
    })
    val read = new SpReadPort(plan)
  })
  private object State extends ChiselEnum {
    val Idle, Empty, Run = Value
  }
  private val state = RegInit(State.Idle)
  private val iter = new Iterations
  private val len = RegInit(0.U(16.W))
  private val beat = RegInit(0.U(16.W))
  io.ctl.busy := state =/= State.Idle
  when(io.ctl.start) {
    iter.begin(io.ctl.instr, io.ctl.instr.repeat)
    len := io.ctl.instr.len
    beat := 0.U
    state := Mux(io.ctl.instr.len === 0.U, State.Empty, State.Run)
  }
  when(state === State.Empty) { state := State.Idle }

  private val lastBeat = beat === len - 1.U
  io.read.addr := ScratchAddr.of(plan, iter.src + beat)
  io.out.valid := state === State.Run
  io.out.bits.word.elems := io.read.data
  io.out.bits.last := lastBeat && iter.isLast
  when(io.out.fire) {
    beat := Mux(lastBeat, 0.U, beat + 1.U)
    when(lastBeat) {
      iter.next()
      when(iter.isLast) { state := State.Idle }
    }
  }
}
