package pimforge.hw.sfu

import chisel3._
import chisel3.util._
import pimforge.golden.sfu.RopeTable

/**
 * One lane of the rotary embedding: cos and sin of head element d at token position pos, exactly
 * as pimforge.golden.sfu.RopeTable.cosSin. The lane sees element d = beatInHead * lanes + lane of a
 * head; its frequency word comes from a ROM over beatInHead, the phase pos * word is kept modulo a
 * turn (the low PHASE_BITS bits of the product), and the nearest entry of the sine table gives sin,
 * a quarter turn later cos. Elements past rotaryDim get cos 1.0, sin 0.
 */
class RopeLane(table: RopeTable, lanes: Int, lane: Int) extends Module {
  private val beatsPerHead = table.headDim / lanes
  val io = IO(new Bundle {
    val pos = Input(UInt(RopeTable.POSITION_BITS.W))
    val beatInHead = Input(UInt(log2Ceil(beatsPerHead).max(1).W))
    val cos = Output(SInt(RopeTable.TRIG_BITS.W))
    val sin = Output(SInt(RopeTable.TRIG_BITS.W))
  })
  private val elements = (0 until beatsPerHead).map(j => j * lanes + lane)
  private val rotated = VecInit(elements.map(d => (table.frequencyIndex(d) >= 0).B))
  private val words = VecInit(elements.map { d =>
    val i = table.frequencyIndex(d)
    (if (i < 0) BigInt(0) else BigInt(table.frequencyWord(i))).U(RopeTable.PHASE_BITS.W)
  })
  private val sine = VecInit(RopeTable.sineTable().toSeq.map(v => v.S(RopeTable.TRIG_BITS.W)))
  private val word = words(io.beatInHead)
  private val phase = (io.pos * word)(RopeTable.PHASE_BITS - 1, 0)
  private val dropBits = RopeTable.PHASE_BITS - RopeTable.TABLE_BITS
  private val k = ((phase +& (BigInt(1) << (dropBits - 1)).U) >> dropBits)(RopeTable.TABLE_BITS - 1, 0)
  private val kCos = k + (1 << (RopeTable.TABLE_BITS - 2)).U(RopeTable.TABLE_BITS.W)
  private val one = (BigInt(1) << RopeTable.TRIG_FRAC_BITS).S(RopeTable.TRIG_BITS.W)
  io.cos := Mux(rotated(io.beatInHead), sine(kCos), one)
  io.sin := Mux(rotated(io.beatInHead), sine(k), 0.S)
}
