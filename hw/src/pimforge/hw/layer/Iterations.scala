package pimforge.hw.layer

import chisel3._
import pimforge.layer.InstructionField

/**
 * The iteration registers of an instruction (pimforge.layer.Opcode): iteration it and the
 * addresses src' = src + it*srcStep, src2' = src2 + it*srcStep, dst' = dst + it*dstStep, kept as
 * running sums as wide as their instruction fields (the address width wraps like the ISA's).
 * Built inside an engine module.
 */
class Iterations {
  private def reg(f: InstructionField, init: Int): UInt = RegInit(init.U(f.width.W))
  val it: UInt = reg(InstructionField.REPEAT, 0)
  val src: UInt = reg(InstructionField.SRC, 0)
  val src2: UInt = reg(InstructionField.SRC2, 0)
  val dst: UInt = reg(InstructionField.DST, 0)
  private val srcStep = reg(InstructionField.SRC_STEP, 0)
  private val dstStep = reg(InstructionField.DST_STEP, 0)
  private val count = reg(InstructionField.REPEAT, 1)

  /** Iterations of this instruction (repeat, or 1 for packets sent once). */
  def begin(f: InstrFields, iterations: UInt): Unit = {
    it := 0.U
    src := f.src
    src2 := f.src2
    dst := f.dst
    srcStep := f.srcStep
    dstStep := f.dstStep
    count := iterations
  }

  def isLast: Bool = it === count - 1.U

  def next(): Unit = {
    it := it + 1.U
    src := src + srcStep
    src2 := src2 + srcStep
    dst := dst + dstStep
  }
}
