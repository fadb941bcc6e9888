package pimforge.hw.xbar

import chisel3._
import chisel3.util._
import pimforge.params.HwParams

/**
 * Ports of the crossbar array macro: the memory cells and their analog column sums.
 *
 * `cells`: one row of one column word, `cellColumns * bitsPerCell` bits, cell column c at bits
 * [c*bitsPerCell, (c+1)*bitsPerCell). `sums`: one unsigned column sum per cell column, `sumBits`
 * each, column c at bits [c*sumBits, (c+1)*sumBits); valid the cycle after the step.
 */
class CrossbarArrayIO(p: HwParams) extends Bundle {
  private val g = CrossbarArray.Geometry(p)
  val clock = Input(Clock())
  val writeValid = Input(Bool())
  val writeRow = Input(UInt(g.rowBits.W))
  val writeWord = Input(UInt(g.wordBits.W))
  val writeCells = Input(UInt((g.cellColumns * g.cellBits).W))
  val stepValid = Input(Bool())
  val stepWord = Input(UInt(g.wordBits.W))
  /** Input bit plane, bit r drives word line r. */
  val stepPlane = Input(UInt(g.rows.W))
  val sums = Output(UInt((g.cellColumns * g.sumBits).W))
}

/**
 * Synthesizable reference model of the crossbar array: one memory of column words (every word
 * line's cells of a word in one entry), per cell column the sum over word lines of
 * (plane bit ? cell : 0). In silicon this is the analog
 * macro (cells plus bit-line current sums); synthesis black-boxes it, and co-simulation swaps in
 * the equivalent fast model of {@link CrossbarArraySimModel} (bit-plane AND + popcount).
 *
 * Timing: a step presented in cycle t has its sums on `sums` during cycle t + 1.
 */
class CrossbarArray(p: HwParams) extends RawModule {
  override def desiredName: String = CrossbarArray.ModuleName
  private val g = CrossbarArray.Geometry(p)
  // A raw module with flat port names: exactly the ports the fast model and the black box declare.
  val io = FlatIO(new CrossbarArrayIO(p))

  withClock(io.clock) {
    // One memory of column words, each holding every word line's cells of that word; a write
    // replaces one word line's cells (masked), a step reads the whole word.
    val cells = SyncReadMem(g.words, Vec(g.rows, UInt((g.cellColumns * g.cellBits).W)))
    val rowMask = VecInit((0 until g.rows).map(r => io.writeRow === r.U))
    when(io.writeValid) {
      cells.write(io.writeWord, VecInit(Seq.fill(g.rows)(io.writeCells)), rowMask)
    }
    val wordData = cells.read(io.stepWord, io.stepValid)
    val plane = RegEnable(io.stepPlane, io.stepValid)
    val sums = (0 until g.cellColumns).map { c =>
      val terms = (0 until g.rows).map { r =>
        Mux(plane(r), wordData(r)((c + 1) * g.cellBits - 1, c * g.cellBits), 0.U(g.cellBits.W))
      }
      VecInit(terms).reduceTree(_ +& _).pad(g.sumBits)(g.sumBits - 1, 0) // the sum fits sumBits
    }
    io.sums := Cat(sums.reverse)
  }
}

/**
 * The array as the tile instantiates it: a black box of the same name and ports, so that Chisel
 * elaborates the reference array once per design ({@code Emit} emits it beside the top) instead of
 * once per tile, and so that synthesis and co-simulation can bind either model to it.
 */
class CrossbarArrayBlackBox(p: HwParams) extends ExtModule {
  override def desiredName: String = CrossbarArray.ModuleName
  val io = FlatIO(new CrossbarArrayIO(p))
}

object CrossbarArray {
  /** The module name both models share, so that co-simulation can substitute one for the other. */
  val ModuleName = "CrossbarArray"

  /** Array dimensions derived from the parameter record (one place, used by both models). */
  final case class Geometry(rows: Int, words: Int, cellColumns: Int, cellBits: Int) {
    val rowBits: Int = log2Ceil(rows).max(1)
    val wordBits: Int = log2Ceil(words).max(1)
    /** Bits of a column sum: rows * (2^cellBits - 1) fits. */
    val sumBits: Int = log2Ceil(BigInt(rows) * ((1 << cellBits) - 1) + 1)
  }

  object Geometry {
    def apply(p: HwParams): Geometry = Geometry(p.crossbar.rows, p.derived.wordsPerTile,
      p.crossbar.lanes * p.precision.columnGroups * p.precision.slices, p.precision.bitsPerCell)
  }
}
