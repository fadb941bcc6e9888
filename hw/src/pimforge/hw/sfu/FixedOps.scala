package pimforge.hw.sfu

import chisel3._

/** Integer helpers, the RTL twins of pimforge.golden.sfu.Fixed. */
object FixedOps {
  /** (v + 2^(s-1)) >> s, round half up; s = 0 returns v. Result as wide as v plus one bit. */
  def roundShift(v: SInt, s: UInt): SInt = {
    val w = v.getWidth + 1
    val one = 1.S(2.W)
    val round = Mux(s === 0.U, 0.S(w.W), ((one << s) >> 1).asSInt)
    ((v.pad(w) +& round) >> s).asSInt
  }

  def roundShift(v: SInt, s: Int): SInt =
    if (s == 0) v else ((v +& (BigInt(1) << (s - 1)).S) >> s).asSInt

  /** Saturates to a signed range of `bits` bits. */
  def saturate(v: SInt, bits: Int): SInt = {
    val max = (BigInt(1) << (bits - 1)) - 1
    val min = -(BigInt(1) << (bits - 1))
    Mux(v > max.S, max.S(bits.W), Mux(v < min.S, min.S(bits.W), v(bits - 1, 0).asSInt))
  }

  /** The low `bits` bits of v as a signed number. */
  def signedLow(v: SInt, bits: Int): SInt = v(bits - 1, 0).asSInt
}
