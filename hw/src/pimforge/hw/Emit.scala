package pimforge.hw

import chisel3.RawModule
import circt.stage.ChiselStage
import pimforge.hw.bank.PimBank
import pimforge.hw.kvcache.KvCacheController
import pimforge.hw.cam.CamAttention
import pimforge.hw.layer.LayerTop
import pimforge.hw.model.ModelTop
import pimforge.hw.softmax.Softmax
import pimforge.hw.xbar.{CrossbarArray, CrossbarArrayReference}
import pimforge.hw.sfu.Sfu
import pimforge.params.HwParams

import java.nio.file.{Files, Path}
import scala.jdk.CollectionConverters._

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
    case "CamAttention" =>
      if (!p.cam.enabled) throw new IllegalArgumentException("needs cam.enabled true")
      () => new CamAttention(p)
    case "LayerTop" => () => new LayerTop(p)
    case "ModelTop" => () => new ModelTop(p)
    case "KvCacheController" => () => new KvCacheController(p)
    case other => throw new IllegalArgumentException(s"no generator for top module '$other'")
  }

  /**
   * Modules a top instantiates as black boxes of the same name and ports, elaborated once here
   * instead of once per instance (a layer has tens of crossbar arrays, each thousands of nodes):
   * Chisel generators, except the crossbar array, whose reference model is SystemVerilog text
   * ({@link CrossbarArrayReference}).
   */
  def separatelyElaborated(top: String, p: HwParams): Seq[(String, Either[() => RawModule, String])] =
    separatelyElaboratedNames(top).map {
      case "LayerTop" => "LayerTop" -> Left(() => new LayerTop(p))
      case name => name -> Right(CrossbarArrayReference.source(p))
    }

  /** Names of the modules `top` instantiates as separately elaborated black boxes. */
  def separatelyElaboratedNames(top: String): Seq[String] = top match {
    case "PimBank" | "LayerTop" => Seq(CrossbarArray.ModuleName)
    case "ModelTop" => Seq("LayerTop", CrossbarArray.ModuleName)
    case _ => Seq.empty
  }

  /**
   * Writes the RTL of `top` into `outDir` (a scratch folder: never Mill's own out/): the top's
   * own emission plus each separately elaborated module, listed together in `outDir/filelist.f`.
   */
  def emit(top: String, p: HwParams, outDir: Path): Unit = {
    ChiselStage.emitSystemVerilogFile(generator(top, p)(), Array("--target-dir", outDir.toString), firtoolOptions)
    val list = outDir.resolve("filelist.f")
    val files = scala.collection.mutable.LinkedHashSet.from(readList(list))
    for ((name, unit) <- separatelyElaborated(top, p)) {
      val dir = Files.createTempDirectory(outDir, name + "-")
      unit match {
        case Left(gen) => ChiselStage.emitSystemVerilogFile(gen(), Array("--target-dir", dir.toString), firtoolOptions)
        case Right(text) =>
          Files.writeString(dir.resolve(name + ".sv"), text)
          Files.writeString(dir.resolve("filelist.f"), name + ".sv\n")
      }
      for (f <- readList(dir.resolve("filelist.f"))) {
        val target = outDir.resolve(f)
        val body = Files.readString(dir.resolve(f))
        if (Files.exists(target) && Files.readString(target) != body) {
          throw new IllegalStateException(s"module file $f differs between $top and $name") // a generator bug
        }
        Files.writeString(target, body)
        files += f
      }
    }
    Files.writeString(list, files.mkString("", "\n", "\n"))
  }

  private def readList(list: Path): Seq[String] =
    Files.readAllLines(list).asScala.map(_.trim).filter(l => l.nonEmpty && !l.startsWith("//")).toSeq
}
