package pimforge.hw.layer

import chisel3._
import pimforge.layer.{Instruction, LayerPlan}

/** One instruction's fields, decoded from its words as laid out in pimforge.layer.Instruction. */
class InstrFields extends Bundle {
  val opcode = UInt(4.W)
  val stage = UInt(4.W)
  val waitMask = UInt(5.W)
  val cmd = UInt(3.W)
  val repeat = UInt(16.W)
  val src = UInt(16.W)
  val dst = UInt(16.W)
  val src2 = UInt(16.W)
  val len = UInt(16.W)
  val srcStep = UInt(16.W)
  val dstStep = UInt(16.W)
  val bank = UInt(16.W)
  val bankCount = UInt(8.W)
  val shift = UInt(8.W)
  val a = UInt(16.W)
  val b = UInt(16.W)
}

object InstrFields {
  /** Decodes the Instruction.USED_WORDS words of a slot (w0..w5, see Instruction.java). */
  def decode(w: Seq[UInt]): InstrFields = {
    require(w.length == Instruction.USED_WORDS)
    val f = Wire(new InstrFields)
    f.opcode := w(0)(3, 0)
    f.stage := w(0)(7, 4)
    f.waitMask := w(0)(12, 8)
    f.cmd := w(0)(15, 13)
    f.repeat := w(0)(31, 16)
    f.src := w(1)(15, 0)
    f.dst := w(1)(31, 16)
    f.src2 := w(2)(15, 0)
    f.len := w(2)(31, 16)
    f.srcStep := w(3)(15, 0)
    f.dstStep := w(3)(31, 16)
    f.bank := w(4)(15, 0)
    f.bankCount := w(4)(23, 16)
    f.shift := w(4)(31, 24)
    f.a := w(5)(15, 0)
    f.b := w(5)(31, 16)
    f
  }
}

/** What the dispatcher hands an engine: a start pulse with the instruction; the engine says busy. */
class EngineControl extends Bundle {
  val start = Input(Bool())
  val instr = Input(new InstrFields)
  val busy = Output(Bool())
}

/** A scratchpad word: lanes signed elements. */
class SpWord(plan: LayerPlan) extends Bundle {
  val elems = Vec(plan.lanes, SInt(plan.elementBits.W))
}

/** Scratchpad read port, engine side: the word at addr, combinationally. */
class SpReadPort(plan: LayerPlan) extends Bundle {
  val addr = Output(UInt(ScratchAddr.bits.W))
  val data = Input(Vec(plan.lanes, SInt(plan.elementBits.W)))
}

/** Scratchpad write port, engine side. */
class SpWritePort(plan: LayerPlan) extends Bundle {
  val en = Output(Bool())
  val addr = Output(UInt(ScratchAddr.bits.W))
  val data = Output(Vec(plan.lanes, SInt(plan.elementBits.W)))
}

/** Scratchpad addresses in instructions are 16-bit word indices (LayerPlan.MAX_SCRATCH_WORDS). */
object ScratchAddr {
  val bits: Int = Integer.numberOfTrailingZeros(LayerPlan.MAX_SCRATCH_WORDS)
}
