package pimforge.hw.cam

import chisel3._

/** A row in the top-k selection: its match-line ADC code and key index; `valid` is false for an empty slot. */
class Candidate(codeBits: Int, indexBits: Int) extends Bundle {
  val valid = Bool()
  val code = UInt(codeBits.W)
  val idx = UInt(indexBits.W)
}

object Candidate {
  /**
   * `a` ranks before `b`: a is a row and b is empty, or a has the higher code, or equal codes and
   * the lower key index (ties to the lower index). A strict total order on rows; an empty slot
   * ranks before nothing.
   */
  def before(a: Candidate, b: Candidate): Bool =
    a.valid && (!b.valid || a.code > b.code || (a.code === b.code && a.idx < b.idx))
}
