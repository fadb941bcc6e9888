package pimforge.hw.layer

import chisel3._
import chisel3.util._
import pimforge.layer.LayerPlan

/**
 * HOST_IN: for each iteration, len beats from s_axis into sp[dst' ..], one beat per cycle while
 * s_axis is valid (TLAST is not looked at). len = 0 keeps the engine busy for one cycle.
 */
class HostInEngine(plan: LayerPlan) extends Module {
  val io = IO(new Bundle {
    val ctl = new EngineControl
    val in = Flipped(Decoupled(new SpWord(plan)))
    val write = new SpWritePort(plan)
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

  io.in.ready := state === State.Run
  io.write.en := io.in.fire
  io.write.addr := ScratchAddr.of(plan, iter.dst + beat)
  io.write.data := io.in.bits.elems
  when(io.in.fire) {
    val lastBeat = beat === len - 1.U
    beat := Mux(lastBeat, 0.U, beat + 1.U)
    when(lastBeat) {
      iter.next()
      when(iter.isLast) { state := State.Idle }
    }
  }
}
