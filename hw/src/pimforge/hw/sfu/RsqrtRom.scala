package pimforge.hw.sfu

import chisel3._
import chisel3.util._
import pimforge.golden.sfu.RsqrtLut
import pimforge.params.HwParams

/**
 * rsqrt of a non-negative D: e = msb(D) / 2, R = table(floor(D * 2^k / 4^e) - 2^k) (see the Java
 * RsqrtLut); D = 0 gives R = 0. Combinational; the SFU registers the result.
 */
class RsqrtRom(p: HwParams) extends Module {
  private val s = p.sfu
  private val sd = p.sfuDerived
  private val k = s.rsqrtLutBits
  val io = IO(new Bundle {
    val d = Input(UInt(sd.dBits.W))
    val r = Output(UInt(sd.rsqrtEntryBits.W))
    val e = Output(UInt(log2Ceil(sd.dBits).max(1).W))
  })
  private val entries = RsqrtLut.entries(s).toSeq ++ Seq.fill(1 << k)(0L) // pad to 4 * 2^k
  private val table = VecInit(entries.map(v => v.U(sd.rsqrtEntryBits.W)))
  private val msb = Log2(io.d)
  private val e = msb >> 1
  private val mq = ((io.d << k) >> (e << 1))(k + 1, 0)
  io.e := e
  io.r := Mux(io.d === 0.U, 0.U, table(mq - (1 << k).U))
}
