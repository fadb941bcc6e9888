package pimforge.hw.cam

import chisel3._
import chisel3.util._

/**
 * One search step of the CAM: every row of a tile against the query at once. Row i's match count
 * is popcount(XNOR(word_i, query)) over the d stored bits; the match-line ADC reads it through
 * `adcTable` (entry c = the code of count c, pimforge.golden.cam.MatchAdc); the candidate's key
 * index is `rowIndex(i)` (tile + i * T in the unit's layout), valid when `eligible(i)`.
 */
object TileSearch {
  def apply(words: Vec[UInt], eligible: UInt, query: UInt, rowIndex: Seq[UInt], adcTable: Seq[Int], codeBits: Int,
      indexBits: Int): Seq[Candidate] = {
    val adc = VecInit(adcTable.map(_.U(codeBits.W)))
    words.indices.map { i =>
      val cand = Wire(new Candidate(codeBits, indexBits))
      cand.valid := eligible(i)
      cand.code := adc(PopCount(~(words(i) ^ query)))
      cand.idx := rowIndex(i).pad(indexBits)(indexBits - 1, 0)
      cand
    }
  }
}
