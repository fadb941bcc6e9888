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
  val writeCells = Input(UInt(g.cellsWidth.W))
  val stepValid = Input(Bool())
  val stepWord = Input(UInt(g.wordBits.W))
  /** Input bit plane, bit r drives word line r. */
  val stepPlane = Input(UInt(g.rows.W))
  val sums = Output(UInt(g.sumsWidth.W))
}

/**
 * Synthesizable reference model of the crossbar array, as SystemVerilog text: one memory of
 * `words * rows` entries (column word w, word line r at w * rows + r, each one word line's cells of
 * that word), the stepped word and input plane registered, and per cell column the sum over word
 * lines of (plane bit ? cell : 0). In silicon this is the analog macro (cells plus bit-line current
 * sums); synthesis black-boxes it, and co-simulation swaps in the equivalent fast model of
 * {@link CrossbarArraySimModel} (bit-plane AND + popcount).
 *
 * Written as loops rather than elaborated by Chisel: a 1024-row array with 128 cell columns is
 * 131k cell terms that firtool would flatten into a 12 MB netlist (most of a 2-minute generation);
 * the loop form is a few hundred bytes for any size.
 *
 * Timing: a step presented in cycle t has its sums on `sums` during cycle t + 1 (the sums read the
 * memory combinationally at the registered word, so a write to that word in cycle t is seen).
 */
object CrossbarArrayReference {
  def source(p: HwParams): String = {
    val g = CrossbarArray.Geometry(p)
    val entryBits = log2Ceil(g.words * g.rows).max(1)
    val pad = g.sumBits - g.cellBits
    val cell = s"cells[base + ${entryBits}'(r)][c * ${g.cellBits} +: ${g.cellBits}]"
    val term = if (pad > 0) s"{${pad}'d0, $cell}" else cell
    s"""// pimforge reference model of the crossbar array (cells + column sums): synthesizable.
       |// In silicon the analog macro; co-simulation uses the fast model in sim/${CrossbarArray.ModuleName}.sv.
       |// Geometry: ${g.rows} word lines, ${g.words} column words, ${g.cellColumns} cell columns of ${g.cellBits}-bit cells,
       |// ${g.sumBits}-bit column sums.
       |${g.moduleHeader(CrossbarArray.ModuleName)}  // Entry w * ${g.rows} + r: word line r's cells of column word w.
       |  reg [${g.cellsWidth - 1}:0] cells [0:${g.words * g.rows - 1}];
       |  reg [${g.wordBits - 1}:0] word;
       |  reg [${g.rows - 1}:0] plane;
       |  always @(posedge clock) begin
       |    if (writeValid) cells[${entryBits}'(writeWord) * ${entryBits}'(${g.rows}) + ${entryBits}'(writeRow)] <= writeCells;
       |    if (stepValid) begin
       |      word <= stepWord;
       |      plane <= stepPlane;
       |    end
       |  end
       |  wire [${entryBits - 1}:0] base = ${entryBits}'(word) * ${entryBits}'(${g.rows});
       |  genvar c;
       |  generate
       |    for (c = 0; c < ${g.cellColumns}; c = c + 1) begin : column
       |      reg [${g.sumBits - 1}:0] sum;
       |      always_comb begin
       |        sum = ${g.sumBits}'d0;
       |        for (int r = 0; r < ${g.rows}; r = r + 1)
       |          if (plane[r]) sum = sum + $term;
       |      end
       |      assign sums[c * ${g.sumBits} +: ${g.sumBits}] = sum;
       |    end
       |  endgenerate
       |endmodule
       |""".stripMargin
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
    /** Bits of one word line's cells of a column word (the write port) and of all column sums. */
    val cellsWidth: Int = cellColumns * cellBits
    val sumsWidth: Int = cellColumns * sumBits

    /**
     * SystemVerilog module header with the ports of {@link CrossbarArrayIO}, shared by the reference
     * and the fast simulation model so that either binds to the tile's black box.
     */
    def moduleHeader(moduleName: String): String =
      s"""module $moduleName(
         |  input              clock,
         |  input              writeValid,
         |  input  [${rowBits - 1}:0] writeRow,
         |  input  [${wordBits - 1}:0] writeWord,
         |  input  [${cellsWidth - 1}:0] writeCells,
         |  input              stepValid,
         |  input  [${wordBits - 1}:0] stepWord,
         |  input  [${rows - 1}:0] stepPlane,
         |  output [${sumsWidth - 1}:0] sums
         |);
         |""".stripMargin
  }

  object Geometry {
    def apply(p: HwParams): Geometry = Geometry(p.crossbar.rows, p.derived.wordsPerTile,
      p.crossbar.lanes * p.precision.columnGroups * p.precision.slices, p.precision.bitsPerCell)
  }
}
