package pimforge.hw.layer

import chisel3._
import chisel3.util._
import pimforge.layer.{Engine, InstructionField, LayerStage}

/** Counter values as the register map shows them. */
class CounterValues extends Bundle {
  val cycles = UInt(64.W)
  val xbarWrites = UInt(64.W)
  val instructions = UInt(32.W)
  val stageCycles = Vec(LayerStage.COUNTERS, UInt(64.W))
}

/**
 * The performance counters of one run, all cleared by START: CYCLES counts the cycles the program
 * runs (the first cycle after START up to and including the cycle END completes), INSTRUCTIONS the
 * instructions issued (END counts when it completes), XBAR_WRITES the weights written into banks
 * (lanes per weight beat), STAGE_CYCLES[s] the cycles in which at least one busy engine works on an
 * instruction tagged s.
 */
class PerfCounters(lanes: Int) extends Module {
  val io = IO(new Bundle {
    val clear = Input(Bool())
    val running = Input(Bool())
    val issued = Input(Bool())
    val weightBeat = Input(Bool())
    val engineBusy = Input(Vec(Engine.COUNT, Bool()))
    val engineStage = Input(Vec(Engine.COUNT, UInt(InstructionField.STAGE.width.W)))
    val values = Output(new CounterValues)
  })
  private val cycles = RegInit(0.U(64.W))
  private val xbarWrites = RegInit(0.U(64.W))
  private val instructions = RegInit(0.U(32.W))
  private val stageCycles = RegInit(VecInit(Seq.fill(LayerStage.COUNTERS)(0.U(64.W))))
  when(io.clear) {
    cycles := 0.U
    xbarWrites := 0.U
    instructions := 0.U
    stageCycles.foreach(_ := 0.U)
  }.otherwise {
    when(io.running) { cycles := cycles + 1.U }
    when(io.weightBeat) { xbarWrites := xbarWrites + lanes.U }
    when(io.issued) { instructions := instructions + 1.U }
    for (s <- 0 until LayerStage.COUNTERS) {
      val active = io.engineBusy.zip(io.engineStage).map { case (b, st) => b && st === s.U }.reduce(_ || _)
      when(active) { stageCycles(s) := stageCycles(s) + 1.U }
    }
  }
  io.values.cycles := cycles
  io.values.xbarWrites := xbarWrites
  io.values.instructions := instructions
  io.values.stageCycles := stageCycles
}
