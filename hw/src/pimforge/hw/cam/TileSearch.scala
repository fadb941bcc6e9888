package pimforge.hw.cam

import chisel3._
import chisel3.util._

/**
 * One search step of the CAM: every row of a tile against the query at once. Row i's match count
 * is popcount(XNOR(word_i, query)) over the d stored bits; the match-line ADC reads it through
 * `adcTable` (entry c = the code of count c, pimforge.golden.cam.MatchAdc); the candidate's key
 * index is tile * rows + i, valid when the row holds a key.
 */
object TileSearch {
  def apply(words: Vec[UInt], written: UInt, query: UInt, tile: UInt, adcTable: Seq[Int], codeBits: Int,
      indexBits: Int): Seq[Candidate] = {
    val adc = VecInit(adcTable.map(_.U(codeBits.W)))
    val rowBits = log2Ceil(words.length)
    words.indices.map { i =>
      val cand = Wire(new Candidate(codeBits, indexBits))
      cand.valid := written(i)
      cand.code := adc(PopCount(~(words(i) ^ query)))
      cand.idx := (if (indexBits > rowBits) Cat(tile, i.U(rowBits.W)) else i.U).pad(indexBits)
      cand
    }
  }
}
