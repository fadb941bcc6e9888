package pimforge.hw.layer

import chisel3._
import chisel3.util._
import pimforge.layer.{Engine, InstructionField, LayerPlan, Opcode}

/**
 * Runs the program: from START it fetches the instruction at PC (combinationally) and issues it
 * when its engine is idle and every engine of its wait mask is idle, at most one per cycle, in
 * program order. END (and any opcode without an engine) completes in the first cycle in which all
 * engines are idle: the run stops and DONE is set. An engine sees an issued instruction as a start
 * pulse and is busy from the next cycle on.
 */
class Dispatcher(plan: LayerPlan) extends Module {
  private val slotBits = log2Ceil(plan.programDepth).max(1)
  val io = IO(new Bundle {
    val start = Input(Bool())
    val fetchSlot = Output(UInt(slotBits.W))
    val fetched = Input(new InstrFields)
    val engineBusy = Input(Vec(Engine.COUNT, Bool()))
    val engineStart = Output(Vec(Engine.COUNT, Bool()))
    val engineStage = Output(Vec(Engine.COUNT, UInt(InstructionField.STAGE.width.W)))
    val running = Output(Bool())
    val done = Output(Bool())
    val clearCounters = Output(Bool())
    val issued = Output(Bool())
    val endAdvance = Output(Valid(UInt(InstructionField.A.width.W))) // END completes: POSITION += a
  })
  private val running = RegInit(false.B)
  private val done = RegInit(false.B)
  private val pc = RegInit(0.U(slotBits.W))
  io.fetchSlot := pc
  io.running := running
  io.done := done

  private val op = io.fetched.opcode
  // Engine of each opcode, from Opcode.engine() (END has none).
  private val engineOf = Opcode.values.toSeq.filter(_.engine != null).map(o => o.code -> o.engine.bit)
  private val hasEngine = engineOf.map { case (code, _) => op === code.U }.reduce(_ || _)
  private val busyMask = io.engineBusy.asUInt
  private val targetIdle = engineOf.map { case (code, e) => op === code.U && !io.engineBusy(e) }.reduce(_ || _)
  private val issue = running && hasEngine && targetIdle && (io.fetched.waitMask(Engine.COUNT - 1, 0) & busyMask) === 0.U
  private val finish = running && !hasEngine && busyMask === 0.U
  for (e <- 0 until Engine.COUNT) {
    io.engineStart(e) := issue && engineOf.filter(_._2 == e).map { case (code, _) => op === code.U }.reduce(_ || _)
  }
  // The stage tag of each engine's current instruction, for STAGE_CYCLES.
  private val stage = RegInit(VecInit(Seq.fill(Engine.COUNT)(0.U(InstructionField.STAGE.width.W))))
  for (e <- 0 until Engine.COUNT) {
    when(io.engineStart(e)) { stage(e) := io.fetched.stage }
  }
  io.engineStage := stage
  io.issued := issue || finish
  io.clearCounters := io.start && !running
  when(issue) { pc := pc + 1.U }
  io.endAdvance.valid := finish && op === Opcode.END.code.U
  io.endAdvance.bits := io.fetched.a
  when(finish) {
    running := false.B
    done := true.B
  }
  when(io.start && !running) {
    running := true.B
    done := false.B
    pc := 0.U
  }
}
