package pimforge.hw.cam

import chisel3._

/**
 * First top-k stage: the `keep` best rows of one searched tile, best first, by `keep` chained
 * argmax trees (each excluding the rows already picked; one combinational step). Slots beyond the
 * tile's written rows come out empty.
 */
object TileTopM {
  def apply(rows: Seq[Candidate], keep: Int): Seq[Candidate] = {
    var remaining = rows
    (0 until keep).map { _ =>
      val best = VecInit(remaining).reduceTree((a, b) => Mux(Candidate.before(b, a), b, a))
      remaining = remaining.map { c =>
        val r = Wire(chiselTypeOf(c))
        r := c
        r.valid := c.valid && !(best.valid && c.idx === best.idx)
        r
      }
      best
    }
  }
}
