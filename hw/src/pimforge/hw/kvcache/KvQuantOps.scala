package pimforge.hw.kvcache

import chisel3._
import chisel3.util._

/**
 * The arithmetic of cascade pruning-quantization (golden: pimforge.kvcache.KvQuantizer), one entry
 * per call, combinational: exponent of a group, prune test, code, zero-free field and back.
 */
object KvQuantOps {
  /** bitLength(x): 0 for 0, else floor(log2 x) + 1. */
  def bitLength(x: UInt): UInt = Mux(x === 0.U, 0.U, Log2(x) +& 1.U)

  /** Smallest e >= 0 with maxMag <= 2^(bits-1) << e: max(0, bitLength(maxMag - 1) - (bits - 1)). */
  def exponent(maxMag: UInt, bits: Int, expBits: Int): UInt = {
    val need = bitLength(Mux(maxMag === 0.U, 0.U, maxMag - 1.U))
    Mux(need > (bits - 1).U, need - (bits - 1).U, 0.U)(expBits - 1, 0)
  }

  /** |x| as an unsigned value of the same width (|-2^(n-1)| = 2^(n-1) fits n unsigned bits). */
  def magnitude(x: SInt): UInt = Mux(x < 0.S, (-x).asUInt, x.asUInt)(x.getWidth - 1, 0)

  /** Pruned: |x| <= threshold << e. */
  def pruned(x: SInt, e: UInt, threshold: Int): Bool = magnitude(x) <= (threshold.U << e)

  /** sign(x) * ((|x| + 2^(e-1)) >> e), or 0 when pruned; a (bits + 1)-bit signed code. */
  def code(x: SInt, e: UInt, threshold: Int, bits: Int): SInt = {
    val mag = magnitude(x)
    val half = Mux(e === 0.U, 0.U, 1.U << (e - 1.U))
    val shifted = (mag +& half) >> e // at most 2^(bits-1): the caller's e covers the group's maximum
    val q = if (shifted.getWidth > bits + 1) shifted(bits, 0) else shifted.pad(bits + 1)
    val signed = Mux(x < 0.S, 0.S -& q.zext, q.zext)
    Mux(pruned(x, e, threshold), 0.S, signed)
  }

  /** The b-bit stored field of a non-zero code: code - 1 for positive codes, the code otherwise. */
  def field(code: SInt, bits: Int): UInt = Mux(code > 0.S, code - 1.S, code).asUInt(bits - 1, 0)

  /** The code of a b-bit field: field + 1 when non-negative (as a signed b-bit number). */
  def codeOfField(f: UInt, bits: Int): SInt = {
    val s = f(bits - 1, 0).asSInt
    Mux(s >= 0.S, s +& 1.S, s.pad(bits + 1))
  }
}
