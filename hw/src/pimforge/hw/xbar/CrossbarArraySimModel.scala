package pimforge.hw.xbar

import pimforge.params.HwParams

/**
 * Fast simulation model of {@link CrossbarArray}: SystemVerilog with the same module name and
 * ports, whose cells and column sums live in C++ behind DPI-C. The C++ side stores the array as
 * bit planes (per column word, cell column and cell bit one `rows`-bit vector over the word lines),
 * so a column sum is a popcount of (input plane AND bit vector) per cell bit, weighted by 2^bit: a
 * few machine words per column instead of one adder per cell, and one copy of the code however many
 * arrays the design has.
 *
 * Cycle behaviour equals the reference in every cycle after a step (when the tile uses `sums`):
 * at a clock edge the write is applied first, then the stepped word is summed, so a write to the
 * stepped word in the step's cycle is seen, as through the reference's registered read address. In
 * cycles without a preceding step the model drives zero. `CrossbarArrayEquivalenceTest` checks this
 * in Verilator on random stimulus.
 */
object CrossbarArraySimModel {
  /** File name of the C++ half, beside the SystemVerilog model in `sim/`. */
  val DpiFileName = "crossbar_array_dpi.cpp"

  def source(p: HwParams, moduleName: String = CrossbarArray.ModuleName): String = {
    val g = CrossbarArray.Geometry(p)
    s"""// pimforge fast simulation model of the crossbar array (cells + column sums); not for synthesis.
       |// Same ports and cycle behaviour as the reference module in rtl/${CrossbarArray.ModuleName}.sv;
       |// the array itself is C++ ($DpiFileName).
       |${g.moduleHeader(moduleName)}  import "DPI-C" function chandle pimforge_xbar_new(input int rows, input int words, input int columns,
       |      input int cellBits, input int sumBits);
       |  import "DPI-C" function void pimforge_xbar_write(input chandle array, input int row, input int word,
       |      input bit [${g.cellsWidth - 1}:0] cells);
       |  import "DPI-C" function void pimforge_xbar_sums(input chandle array, input int word,
       |      input bit [${g.rows - 1}:0] plane, output bit [${g.sumsWidth - 1}:0] sums);
       |  chandle array;
       |  initial array = pimforge_xbar_new(${g.rows}, ${g.words}, ${g.cellColumns}, ${g.cellBits}, ${g.sumBits});
       |  logic stepped;
       |  logic [${g.sumsWidth - 1}:0] columnSums;
       |  always_ff @(posedge clock) begin
       |    automatic bit [${g.sumsWidth - 1}:0] next;
       |    if (writeValid) pimforge_xbar_write(array, int'(writeRow), int'(writeWord), writeCells);
       |    stepped <= stepValid;
       |    if (stepValid) begin
       |      pimforge_xbar_sums(array, int'(stepWord), stepPlane, next);
       |      columnSums <= next;
       |    end
       |  end
       |  assign sums = stepped ? columnSums : '0;
       |endmodule
       |""".stripMargin
  }

  /** The C++ half: storage and popcount sums of every array instance (one object per instance). */
  val dpiSource: String =
    """// pimforge fast simulation model of the crossbar array: storage and column sums (DPI-C).
      |#include <cstddef>
      |#include <cstdint>
      |#include <vector>
      |#include "svdpi.h"
      |
      |namespace {
      |struct Array {
      |  int rows, words, columns, cellBits, sumBits, rowWords;
      |  // planes[((word * columns + column) * cellBits + bit) * rowWords + k]: word lines 64k..64k+63
      |  std::vector<uint64_t> planes;
      |  uint64_t* plane(int word, int column, int bit) {
      |    return &planes[(((std::size_t) word * columns + column) * cellBits + bit) * rowWords];
      |  }
      |};
      |inline int bitOf(const svBitVecVal* v, int i) { return (v[i >> 5] >> (i & 31)) & 1; }
      |}  // namespace
      |
      |extern "C" void* pimforge_xbar_new(int rows, int words, int columns, int cellBits, int sumBits) {
      |  Array* a = new Array{rows, words, columns, cellBits, sumBits, (rows + 63) / 64, {}};
      |  a->planes.assign((std::size_t) words * columns * cellBits * a->rowWords, 0);
      |  return a;
      |}
      |
      |extern "C" void pimforge_xbar_write(void* handle, int row, int word, const svBitVecVal* cells) {
      |  Array* a = static_cast<Array*>(handle);
      |  uint64_t mask = uint64_t(1) << (row & 63);
      |  for (int c = 0; c < a->columns; c++) {
      |    for (int b = 0; b < a->cellBits; b++) {
      |      uint64_t& w = a->plane(word, c, b)[row >> 6];
      |      w = bitOf(cells, c * a->cellBits + b) ? (w | mask) : (w & ~mask);
      |    }
      |  }
      |}
      |
      |extern "C" void pimforge_xbar_sums(void* handle, int word, const svBitVecVal* plane, svBitVecVal* sums) {
      |  Array* a = static_cast<Array*>(handle);
      |  uint64_t in[64];  // rows <= 4096
      |  for (int k = 0; k < a->rowWords; k++) {
      |    uint64_t lo = plane[2 * k];
      |    uint64_t hi = 2 * k + 1 < (a->rows + 31) / 32 ? plane[2 * k + 1] : 0;
      |    in[k] = lo | (hi << 32);
      |  }
      |  int sumWords = (a->columns * a->sumBits + 31) / 32;
      |  for (int i = 0; i < sumWords; i++) sums[i] = 0;
      |  for (int c = 0; c < a->columns; c++) {
      |    uint64_t sum = 0;
      |    for (int b = 0; b < a->cellBits; b++) {
      |      const uint64_t* cells = a->plane(word, c, b);
      |      uint64_t count = 0;
      |      for (int k = 0; k < a->rowWords; k++) count += __builtin_popcountll(cells[k] & in[k]);
      |      sum += count << b;
      |    }
      |    for (int i = 0; i < a->sumBits; i++) {
      |      int at = c * a->sumBits + i;
      |      if ((sum >> i) & 1) sums[at >> 5] |= svBitVecVal(1) << (at & 31);
      |    }
      |  }
      |}
      |""".stripMargin
}
