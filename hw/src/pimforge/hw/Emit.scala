package pimforge.hw

import chisel3.RawModule
import circt.stage.ChiselStage
import pimforge.hw.bank.PimBank
import pimforge.hw.layer.LayerTop
import pimforge.hw.softmax.Softmax
import pimforge.hw.sfu.Sfu
import pimforge.params.HwParams

import java.nio.file.Path

/**
 * Entry point Java calls: elaborate a unit for a parameter record and write one SystemVerilog file
 * per module plus firtool's filelist.f into `outDir` (with --split-verilog, firtool writes into
 * Chisel's target dir; it also leaves a verification/ folder there that pimforge does not ship).
 */
object Emit {
  /** firtool options: reproducible (no randomization, no source locators), Yosys-readable SV. */
  val firtoolOptions: Array[String] = Array(
    "--disable-all-randomization",
    "--strip-debug-info",
    "--lowering-options=disallowLocalVariables,disallowPackedArrays,locationInfoStyle=none",
    "--split-verilog"
  )

  /** The generator of each top-level unit that exists today, by top module name. */
  def generator(top: String, p: HwParams): () => RawModule = top match {
    case "PimBank" => () => new PimBank(p)
    case "Softmax" => () => new Softmax(p)
    case "Sfu" => () => new Sfu(p)
    case "LayerTop" => () => new LayerTop(p)
    case other => throw new IllegalArgumentException(s"no generator for top module '$other'")
  }

  /** Writes the RTL of `top` into `outDir` (a scratch folder: never Mill's own out/). */
  def emit(top: String, p: HwParams, outDir: Path): Unit = {
    ChiselStage.emitSystemVerilogFile(generator(top, p)(), Array("--target-dir", outDir.toString), firtoolOptions)
  }
}
