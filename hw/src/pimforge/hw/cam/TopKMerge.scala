package pimforge.hw.cam

import chisel3._
import chisel3.util._

/**
 * Final top-k stage, one step per cycle: merges `in` (any order, distinct rows) into the sorted
 * list `old` (best first, rows before empty slots) and keeps the best `old.length`. Each entry's
 * place in the merged order is the number of entries ranking before it ({@link Candidate.before}):
 * for a kept entry `o` that is o plus the new entries before it (the list is sorted), for a new
 * entry the other new entries plus the list entries before it. Comparators: old.length * in.length
 * + in.length^2; slot r takes the one entry whose place is r (list entries r-in.length..r, or a new one).
 */
object TopKMerge {
  def apply(old: Vec[Candidate], in: Seq[Candidate]): Vec[Candidate] = {
    val k = old.length
    val w = in.length
    val newPlace = in.indices.map { j =>
      PopCount(in.indices.filter(_ != j).map(i => Candidate.before(in(i), in(j))) ++
        old.map(o => Candidate.before(o, in(j))))
    }
    val oldPlace = old.indices.map(o => o.U +& PopCount(in.map(n => Candidate.before(n, old(o)))))
    VecInit((0 until k).map { r =>
      val olds = (math.max(0, r - w) to r).map(o => (old(o).valid && oldPlace(o) === r.U) -> old(o))
      val news = in.indices.map(j => (in(j).valid && newPlace(j) === r.U) -> in(j))
      val choices = olds ++ news
      val out = Wire(chiselTypeOf(old(0)))
      out := Mux1H(choices.map(_._1), choices.map(_._2))
      out.valid := choices.map(_._1).reduce(_ || _)
      out
    })
  }
}
