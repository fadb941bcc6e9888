package pimforge.hw.layer

import chisel3._
import pimforge.layer.LayerPlan

/**
 * The layer's data memory: plan.scratchWords() words of plan.lanes() signed elements. Reads are
 * combinational (a word read in a cycle feeds a unit in that same cycle), writes take effect the
 * next cycle. A memory macro of its own so that synthesis can black-box it. Write ports are
 * applied in order; a correct program never writes one word from two engines in one cycle.
 */
class Scratchpad(plan: LayerPlan, readPorts: Int, writePorts: Int) extends Module {
  val io = IO(new Bundle {
    val read = Vec(readPorts, Flipped(new SpReadPort(plan)))
    val write = Vec(writePorts, Flipped(new SpWritePort(plan)))
  })
  private val addrBits = ScratchAddr.bits(plan)
  private val mem = Mem(plan.scratchWords, Vec(plan.lanes, SInt(plan.elementBits.W)))
  io.read.foreach(r => r.data := mem.read(r.addr(addrBits - 1, 0)))
  io.write.foreach(w => when(w.en) { mem.write(w.addr(addrBits - 1, 0), w.data) })
}
