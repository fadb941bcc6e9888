package pimforge.hw.layer

import chisel3._

/**
 * The iteration registers of an instruction (pimforge.layer.Opcode): iteration it and the
 * addresses src' = src + it*srcStep, src2' = src2 + it*srcStep, dst' = dst + it*dstStep, kept as
 * running sums as wide as the fields (ScratchAddr.bits; counts and strides 16-bit). Built inside an
 * engine module.
 */
class Iterations {
  val it: UInt = RegInit(0.U(16.W))
  val src: UInt = RegInit(0.U(ScratchAddr.bits.W))
  val src2: UInt = RegInit(0.U(ScratchAddr.bits.W))
  val dst: UInt = RegInit(0.U(ScratchAddr.bits.W))
  private val srcStep = RegInit(0.U(16.W))
  private val dstStep = RegInit(0.U(16.W))
  private val count = RegInit(1.U(16.W))

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
