package pimforge.hw.xbar

import pimforge.params.HwParams

/**
 * Fast simulation model of {@link CrossbarArray}, as SystemVerilog text with the same module name
 * and ports. The array is stored as bit planes: per column word, cell column and cell bit one
 * `rows`-bit vector over the word lines, so a column sum is a popcount of (input plane AND cell bit
 * vector) per cell bit, weighted by 2^bit: a few machine words per column instead of one adder per
 * cell. Verilator evaluates it as word-wide AND + popcount.
 *
 * Equivalence with the reference: in every cycle after a step (when the tile uses `sums`) both
 * models give the same sums, including a write to the stepped word in the step's cycle (the
 * reference's read address is registered and its data read combinationally, so the write is seen;
 * here the sums are computed combinationally from the registered word and plane, likewise). In
 * cycles without a preceding step the fast model drives zero. `CrossbarArrayEquivalenceTest`
 * checks this in Verilator on random stimulus.
 */
object CrossbarArraySimModel {
  def source(p: HwParams, moduleName: String = CrossbarArray.ModuleName): String = {
    val g = CrossbarArray.Geometry(p)
    val cw = g.cellColumns * g.cellBits
    val sw = g.cellColumns * g.sumBits
    s"""// pimforge fast simulation model of the crossbar array (cells + column sums); not for synthesis.
       |// Same ports and cycle behaviour as the reference module in rtl/${CrossbarArray.ModuleName}.sv.
       |module $moduleName(
       |  input              clock,
       |  input              writeValid,
       |  input  [${g.rowBits - 1}:0] writeRow,
       |  input  [${g.wordBits - 1}:0] writeWord,
       |  input  [${cw - 1}:0] writeCells,
       |  input              stepValid,
       |  input  [${g.wordBits - 1}:0] stepWord,
       |  input  [${g.rows - 1}:0] stepPlane,
       |  output [${sw - 1}:0] sums
       |);
       |  localparam int ROWS = ${g.rows};
       |  localparam int WORDS = ${g.words};
       |  localparam int COLUMNS = ${g.cellColumns};
       |  localparam int CELL_BITS = ${g.cellBits};
       |  localparam int SUM_BITS = ${g.sumBits};
       |  logic [${g.wordBits - 1}:0] word;
       |  logic [ROWS-1:0] plane;
       |  logic stepped;
       |  always_ff @(posedge clock) begin
       |    stepped <= stepValid;
       |    if (stepValid) begin
       |      word <= stepWord;
       |      plane <= stepPlane;
       |    end
       |  end
       |  // Per cell column and cell bit, one bit plane per column word: bit r = that cell bit on word line r.
       |  for (genvar c = 0; c < COLUMNS; c++) begin : g_column
       |    for (genvar b = 0; b < CELL_BITS; b++) begin : g_bit
       |      logic [ROWS-1:0] bitPlane [WORDS];
       |      always_ff @(posedge clock) begin
       |        if (writeValid) bitPlane[writeWord][writeRow] <= writeCells[c * CELL_BITS + b];
       |      end
       |      wire [SUM_BITS-1:0] count = stepped ? SUM_BITS'($$countones(bitPlane[word] & plane)) : '0;
       |    end
       |    assign sums[c * SUM_BITS +: SUM_BITS] = ${(0 until g.cellBits).map(b => s"(g_bit[$b].count << $b)").mkString(" + ")};
       |  end
       |endmodule
       |""".stripMargin
  }
}
