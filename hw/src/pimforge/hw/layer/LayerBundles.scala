package pimforge.hw.layer

import chisel3._
import pimforge.layer.{Instruction, InstructionField, LayerPlan}
import scala.collection.immutable.SeqMap

/**
 * One instruction's fields, built from the field table pimforge.layer.InstructionField (names,
 * widths, word and bit positions are defined there once, as for the Java encoder and the C
 * header). Fields are read by name: f.src, f.len, ...
 */
class InstrFields extends Record {
  val elements: SeqMap[String, UInt] =
    SeqMap(InstructionField.values.toSeq.map(f => f.key -> UInt(f.width.W)): _*)

  def apply(f: InstructionField): UInt = elements(f.key)

  def opcode: UInt = apply(InstructionField.OPCODE)
  def cmd: UInt = apply(InstructionField.CMD)
  def stage: UInt = apply(InstructionField.STAGE)
  def waitMask: UInt = apply(InstructionField.WAIT_MASK)
  def repeat: UInt = apply(InstructionField.REPEAT)
  def len: UInt = apply(InstructionField.LEN)
  def src: UInt = apply(InstructionField.SRC)
  def dst: UInt = apply(InstructionField.DST)
  def src2: UInt = apply(InstructionField.SRC2)
  def bank: UInt = apply(InstructionField.BANK)
  def srcStep: UInt = apply(InstructionField.SRC_STEP)
  def dstStep: UInt = apply(InstructionField.DST_STEP)
  def a: UInt = apply(InstructionField.A)
  def b: UInt = apply(InstructionField.B)
  def bankCount: UInt = apply(InstructionField.BANK_COUNT)
  def shift: UInt = apply(InstructionField.SHIFT)
}

object InstrFields {
  /** Decodes the Instruction.USED_WORDS words of a slot by the field table. */
  def decode(w: Seq[UInt]): InstrFields = {
    require(w.length == Instruction.USED_WORDS)
    val f = Wire(new InstrFields)
    for (field <- InstructionField.values) {
      f(field) := w(field.word)(field.offset + field.width - 1, field.offset)
    }
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

/** Scratchpad addresses in instructions are word indices below LayerPlan.MAX_SCRATCH_WORDS. */
object ScratchAddr {
  val bits: Int = Integer.numberOfTrailingZeros(LayerPlan.MAX_SCRATCH_WORDS)
}
