package pimforge.hw.layer

import chisel3._
import chisel3.util._
import pimforge.layer.LayerPlan
import pimforge.params.HwParams

/**
 * One weight beat of GATHER_WEIGHTS, combinationally: for beat (inRow, outCol) of the bank's
 * LoadWeights stream, weight l is (in, out) = (inRow, outCol + l) of
 * in < len && out < src2 ? satSym(elem(src*lanes + in*a + out*b), weightBits) : 0,
 * elem(e) = lane e % lanes of word e / lanes. One scratchpad read port per lane.
 */
class GatherBeat(p: HwParams, plan: LayerPlan) extends Module {
  private val lanes = plan.lanes
  private val laneBits = log2Ceil(lanes)
  private val inBits = log2Ceil(p.derived.bankInputs + 1)
  private val outBits = log2Ceil(p.derived.bankOutputs + 1)
  val io = IO(new Bundle {
    val instr = Input(new InstrFields)
    val in = Input(UInt(inBits.W))
    val out = Input(UInt(outBits.W))
    val read = Vec(lanes, new SpReadPort(plan))
    val weights = Output(Vec(lanes, SInt(p.derived.streamElementBits.W)))
  })
  private val f = io.instr
  private val rowStart = (f.src << laneBits) +& io.in * f.a
  for (l <- 0 until lanes) {
    val out = io.out +& l.U
    val e = rowStart +& out * f.b
    io.read(l).addr := ScratchAddr.of(plan, e >> laneBits)
    val elem = if (lanes == 1) io.read(l).data(0) else io.read(l).data(e(laneBits - 1, 0))
    val valid = io.in < f.len && out < f.src2
    io.weights(l) := Mux(valid, ElementOps.satSym(elem, p.precision.weightBits), 0.S).pad(p.derived.streamElementBits)
  }
}
