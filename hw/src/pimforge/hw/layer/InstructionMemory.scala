package pimforge.hw.layer

import chisel3._
import chisel3.util._
import pimforge.layer.{Instruction, LayerPlan}

/**
 * plan.programDepth() instruction slots of Instruction.USED_WORDS 32-bit words, written by the
 * host one word at a time (byte strobes honoured), read by the dispatcher one whole slot per cycle
 * (combinationally). A memory macro of its own so that synthesis can black-box it.
 */
/** Words of an instruction slot (Instruction.WORDS, a power of two) as an index width. */
object InstructionSlot {
  val wordBits: Int = {
    require(Integer.bitCount(Instruction.WORDS) == 1, "instruction slots are a power of two words")
    log2Ceil(Instruction.WORDS).max(1)
  }
}

class InstructionMemory(plan: LayerPlan) extends Module {
  private val slotBits = log2Ceil(plan.programDepth).max(1)
  val io = IO(new Bundle {
    val write = Input(Valid(new Bundle {
      val slot = UInt(slotBits.W)
      val word = UInt(InstructionSlot.wordBits.W)
      val data = UInt(32.W)
      val strb = UInt(4.W)
    }))
    val readSlot = Input(UInt(slotBits.W))
    val readWords = Output(Vec(Instruction.USED_WORDS, UInt(32.W)))
  })
  private val words = Seq.fill(Instruction.USED_WORDS)(Mem(plan.programDepth, Vec(4, UInt(8.W))))
  for ((m, j) <- words.zipWithIndex) {
    when(io.write.valid && io.write.bits.word === j.U) {
      m.write(io.write.bits.slot, io.write.bits.data.asTypeOf(Vec(4, UInt(8.W))), io.write.bits.strb.asBools)
    }
    io.readWords(j) := m.read(io.readSlot).asUInt
  }
}
