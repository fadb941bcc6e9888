package pimforge.hw.sfu

import chisel3._
import chisel3.util.log2Ceil
import pimforge.golden.sfu.ActivationLut
import pimforge.params.{HwParams, ModelShape}

/**
 * One lane of the activation: table lookup with linear interpolation (GELU, GELU_TANH, SiLU) or
 * max(x, 0) (RELU). Table contents come from the Java ActivationLut, exactly as the golden model's.
 */
class ActivationRom(p: HwParams) extends Module {
  private val s = p.sfu
  private val d = p.sfuDerived
  val io = IO(new Bundle {
    val x = Input(SInt(s.actBits.W))
    val y = Output(SInt(s.actBits.W))
  })
  if (d.activation == ModelShape.Activation.RELU) {
    io.y := Mux(io.x < 0.S, 0.S, io.x)
  } else {
    val step = d.lutStepBits
    val table = VecInit(ActivationLut.entries(p).toSeq.map(v => v.S(d.lutEntryBits.W)))
    val u = (io.x.asUInt ^ (BigInt(1) << (s.actBits - 1)).U) // x + 2^(A-1) as unsigned
    val i = (u >> step).asUInt
    val y0 = table(i.pad(log2Ceil(table.length)))
    val y1 = table(i +& 1.U)
    val y = if (step == 0) y0
    else (y0 << step).asSInt +& (y1 -& y0) * (0.U(1.W) ## u(step - 1, 0)).asSInt
    io.y := FixedOps.saturate(FixedOps.roundShift(y, s.lutBits + step - s.actFracBits), s.actBits)
  }
}
