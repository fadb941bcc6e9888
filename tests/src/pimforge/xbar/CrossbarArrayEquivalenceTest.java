package pimforge.xbar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import pimforge.check.RtlFiles;
import pimforge.cosim.BankConfigSampler;
import pimforge.cosim.CosimSeeds;
import pimforge.cosim.ToolRunner;
import pimforge.generate.DesignGenerator;
import pimforge.golden.Fixtures;
import pimforge.hw.xbar.CrossbarArray;
import pimforge.hw.xbar.CrossbarArraySimModel;
import pimforge.io.AtomicOutputDir;
import pimforge.params.BankParams;
import pimforge.params.CrossbarParams;
import pimforge.params.HwParams;
import pimforge.params.Precision;

/**
 * The fast simulation model of the crossbar array (bit-plane popcount, what every co-simulation
 * compiles) against the synthesizable reference (one adder per cell, what `generate` ships), in
 * one Verilator model: both instances get the same stimulus every cycle, and after every step their
 * column sums must be equal. The stimulus comes from an xorshift generator in the SystemVerilog
 * wrapper (seeded): first every (word line, column word) is written, then random writes and steps,
 * including writes to the word being stepped in the same cycle.
 */
class CrossbarArrayEquivalenceTest {
  private static final int CASES = 3;
  private static final long RANDOM_CYCLES = 20_000;

  static LongStream seeds() {
    return CosimSeeds.seeds(CASES);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void fastModelEqualsReference(long seed) throws Exception {
    HwParams p = BankConfigSampler.sample(Fixtures.bank(Precision.DEFAULT, CrossbarParams.DEFAULT,
        BankParams.DEFAULT), seed, 4096);
    CrossbarArray.Geometry g = CrossbarArray.Geometry$.MODULE$.apply(p);
    String hint = CosimSeeds.replayHint(seed, CrossbarArrayEquivalenceTest.class);
    System.out.println("xbar equivalence seed=" + seed + " " + BankConfigSampler.describe(p)
        + " columns=" + g.cellColumns() + " cellBits=" + g.cellBits() + " words=" + g.words());
    Path work = Files.createTempDirectory("pimforge-xbar-eq-");
    try {
      Path design = new DesignGenerator("PimBank").generate(p, work.resolve("design")).dir();
      Files.writeString(work.resolve("CrossbarArrayFast.sv"), CrossbarArraySimModel.source(p, "CrossbarArrayFast"));
      Files.writeString(work.resolve(CrossbarArraySimModel.DpiFileName()), CrossbarArraySimModel.dpiSource());
      Files.writeString(work.resolve("XbarPair.sv"), wrapper(g));
      Files.writeString(work.resolve("harness.cpp"), HARNESS);
      List<String> cmd = new ArrayList<>(List.of("verilator", "--cc", "--exe", "--build", "-j", "2", "-O3",
          "--x-assign", "fast", "--x-initial", "fast", "--noassert", "-Wno-fatal", "--top-module", "XbarPair",
          "-Mdir", "obj", "-CFLAGS", "-O1"));
      RtlFiles.of(design.resolve("rtl")).forEach(f -> cmd.add(f.toAbsolutePath().toString()));
      cmd.addAll(List.of("CrossbarArrayFast.sv", "XbarPair.sv", CrossbarArraySimModel.DpiFileName(), "harness.cpp"));
      ToolRunner.Result build = ToolRunner.run(cmd, work, null, "verilator", 1200);
      assertEquals(0, build.exitCode(), "Verilator build failed: " + ToolRunner.tail(build.stderrText(), 20));

      long cycles = (long) g.rows() * g.words() + RANDOM_CYCLES;
      ToolRunner.Result run = ToolRunner.run(List.of(work.resolve("obj/VXbarPair").toString(),
          Long.toString(seed & 0xffffffffL), Long.toString(cycles)), work, null, "xbar-pair", 600);
      String out = run.stdoutText().trim();
      System.out.println("  " + out);
      assertEquals(0, run.exitCode(), out + " " + run.stderrText() + "; " + hint);
      assertTrue(out.startsWith("OK"), out + "; " + hint);
      long steps = Long.parseLong(out.replaceAll(".*steps=(\\d+).*", "$1"));
      assertTrue(steps > RANDOM_CYCLES / 4, "too few steps compared: " + out);
    } finally {
      AtomicOutputDir.deleteTree(work);
    }
  }

  /** Both models side by side, driven by an xorshift stimulus; `mismatch` is sticky. */
  private static String wrapper(CrossbarArray.Geometry g) {
    int cw = g.cellColumns() * g.cellBits();
    int sw = g.cellColumns() * g.sumBits();
    int randomBits = cw + g.rows() + 64;
    int chunks = (randomBits + 31) / 32;
    return String.join("\n",
        "module XbarPair(input clock, input reset, input [31:0] seed,",
        "    output reg mismatch, output reg [31:0] steps, output reg [31:0] firstMismatchCycle);",
        "  localparam int ROWS = " + g.rows() + ", WORDS = " + g.words() + ", CHUNKS = " + chunks + ";",
        "  logic [CHUNKS*32-1:0] rnd;",
        "  logic [63:0] state;",
        "  logic [31:0] cycle;",
        "  logic [31:0] initIndex; // sequential writes of every (row, word) first",
        "  wire initializing = initIndex < ROWS * WORDS;",
        "  always_ff @(posedge clock) begin",
        "    if (reset) begin",
        "      state <= {32'h9E3779B9, seed | 32'h1}; rnd <= '0; initIndex <= 0; cycle <= 0;",
        "    end else begin",
        "      automatic logic [63:0] x = state;",
        "      for (int i = 0; i < CHUNKS; i++) begin",
        "        x = x ^ (x << 13); x = x ^ (x >> 7); x = x ^ (x << 17);",
        "        rnd[i*32 +: 32] <= x[31:0] ^ x[63:32];",
        "      end",
        "      state <= x;",
        "      if (initializing) initIndex <= initIndex + 1;",
        "      cycle <= cycle + 1;",
        "    end",
        "  end",
        "  wire [31:0] r0 = rnd[" + (cw + g.rows()) + " +: 32];",
        "  wire [31:0] r1 = rnd[" + (cw + g.rows() + 32) + " +: 32];",
        "  wire writeValid = !reset && (initializing || r0[0]);",
        "  wire [" + (g.rowBits() - 1) + ":0] writeRow = initializing ? " + (g.rowBits()) + "'(initIndex / WORDS) : "
            + g.rowBits() + "'(r0[31:8] % ROWS);",
        "  wire [" + (g.wordBits() - 1) + ":0] writeWord = initializing ? " + g.wordBits() + "'(initIndex % WORDS) : "
            + g.wordBits() + "'(r1[15:0] % WORDS);",
        "  wire [" + (cw - 1) + ":0] writeCells = rnd[0 +: " + cw + "];",
        "  wire stepValid = !reset && !initializing && r0[1];",
        "  // half of the steps read the word being written in the same cycle",
        "  wire [" + (g.wordBits() - 1) + ":0] stepWord = r0[2] ? writeWord : " + g.wordBits() + "'(r1[31:16] % WORDS);",
        "  wire [ROWS-1:0] stepPlane = rnd[" + cw + " +: ROWS];",
        "  wire [" + (sw - 1) + ":0] sumsRef, sumsFast;",
        "  CrossbarArray ref_(.clock(clock), .writeValid(writeValid), .writeRow(writeRow),",
        "    .writeWord(writeWord), .writeCells(writeCells), .stepValid(stepValid), .stepWord(stepWord),",
        "    .stepPlane(stepPlane), .sums(sumsRef));",
        "  CrossbarArrayFast fast(.clock(clock), .writeValid(writeValid), .writeRow(writeRow),",
        "    .writeWord(writeWord), .writeCells(writeCells), .stepValid(stepValid), .stepWord(stepWord),",
        "    .stepPlane(stepPlane), .sums(sumsFast));",
        "  logic stepped;",
        "  always_ff @(posedge clock) begin",
        "    stepped <= stepValid;",
        "    if (reset) begin mismatch <= 0; steps <= 0; firstMismatchCycle <= 0; end",
        "    else if (stepped) begin",
        "      steps <= steps + 1;",
        "      if (sumsRef != sumsFast && !mismatch) begin mismatch <= 1; firstMismatchCycle <= cycle; end",
        "    end",
        "  end",
        "endmodule",
        "");
  }

  private static final String HARNESS = String.join("\n",
      "#include \"VXbarPair.h\"",
      "#include \"verilated.h\"",
      "#include <cstdio>",
      "#include <cstdlib>",
      "int main(int argc, char** argv) {",
      "  VXbarPair m;",
      "  m.seed = (uint32_t) strtoul(argv[1], nullptr, 10);",
      "  long cycles = strtol(argv[2], nullptr, 10);",
      "  m.reset = 1;",
      "  for (int i = 0; i < 2; i++) { m.clock = 0; m.eval(); m.clock = 1; m.eval(); }",
      "  m.reset = 0;",
      "  for (long c = 0; c < cycles; c++) { m.clock = 0; m.eval(); m.clock = 1; m.eval(); }",
      "  m.clock = 0; m.eval();",
      "  if (m.mismatch) { printf(\"MISMATCH first at cycle %u\\n\", m.firstMismatchCycle); return 1; }",
      "  printf(\"OK steps=%u cycles=%ld\\n\", m.steps, cycles);",
      "  return 0;",
      "}",
      "");
}
