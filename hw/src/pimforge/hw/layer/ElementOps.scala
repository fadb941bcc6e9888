package pimforge.hw.layer

import chisel3._
import chisel3.util._

/** Saturations of pimforge.layer.Opcode: sat(v, n) and satSym(v, n). */
object ElementOps {
  /** Saturates v to n-bit signed. */
  def sat(v: SInt, n: Int): SInt = clamp(v, -(BigInt(1) << (n - 1)), (BigInt(1) << (n - 1)) - 1, n)

  /** Saturates v to +-(2^(n-1) - 1). */
  def satSym(v: SInt, n: Int): SInt = clamp(v, -(BigInt(1) << (n - 1)) + 1, (BigInt(1) << (n - 1)) - 1, n)

  /** Clamps v to [lo, hi], result n bits wide (the bounds must fit n signed bits). */
  def clamp(v: SInt, lo: BigInt, hi: BigInt, n: Int): SInt = {
    val w = v.getWidth.max(n + 1)
    val x = v.pad(w)
    Mux(x > hi.S(w.W), hi.S(n.W), Mux(x < lo.S(w.W), lo.S(n.W), x(n - 1, 0).asSInt))
  }

  /**
   * (v + 2^(s-1)) >> s for s > 0, v for s = 0 (round half up). Shifts at or beyond v's width give
   * 0 already at s = width, so s is clamped there to keep the datapath narrow.
   */
  def roundShift(v: SInt, s: UInt): SInt = {
    val n = v.getWidth
    val sc = Mux(s > n.U, n.U, s)(log2Ceil(n + 1) - 1, 0)
    val w = n + 2
    val half = ((1.U(w.W) << sc)(w - 1, 0) >> 1).asSInt
    ((v.pad(w) + half) >> sc).asSInt
  }
}
