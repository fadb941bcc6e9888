package pimforge.hw.xbar

import chisel3._
import pimforge.params.{AdcTransfer, Precision}

/** The column ADC as combinational logic; the transfer function is {@link AdcTransfer} (golden model twin). */
object Adc {
  def apply(columnSum: UInt, t: AdcTransfer): UInt = {
    if (t.lossless) columnSum
    else if (t.mode == Precision.AdcMode.CLIP) {
      Mux(columnSum > t.maxCode.U, t.maxCode.U, columnSum)
    } else {
      val half = if (t.shift == 0) 0 else 1 << (t.shift - 1)
      val code = (columnSum +& half.U) >> t.shift
      val saturated = Mux(code > t.maxCode.U, t.maxCode.U, code)
      (saturated << t.shift).asUInt
    }
  }
}
