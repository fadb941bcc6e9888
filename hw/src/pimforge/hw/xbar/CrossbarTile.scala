package pimforge.hw.xbar

import chisel3._
import chisel3.util._
import pimforge.params.{HwParams, Precision}

/** One weight row of one column word: `lanes` signed weights written into their cells. */
class TileWrite(p: HwParams) extends Bundle {
  val row = UInt(log2Ceil(p.crossbar.rows).max(1).W)
  val word = UInt(log2Ceil(p.derived.wordsPerTile).max(1).W)
  val weights = Vec(p.crossbar.lanes, SInt(p.precision.weightBits.W))
}

/** One compute step: apply one input bit plane to the word lines and read one column word. */
class TileStep(p: HwParams) extends Bundle {
  val word = UInt(log2Ceil(p.derived.wordsPerTile).max(1).W)
  val plane = Vec(p.crossbar.rows, Bool())
  /** First (most significant) plane of a word: start a new accumulation. */
  val first = Bool()
  /** The plane carries a negative weight (sign bit of two's-complement inputs). */
  val negate = Bool()
}

/**
 * Weight-stationary crossbar tile around a {@link CrossbarArray} macro. Each weight is split into `slices` cells of `bitsPerCell` bits
 * in `columnGroups` physical columns (OFFSET: w + 2^(W-1); DIFFERENTIAL: |w| in a positive or a
 * negative column). Per step, the input bit plane drives the rows of one column word (`lanes`
 * weight columns); every physical column's sum goes through its ADC, slices are shifted and added,
 * and a per-lane accumulator folds the planes most significant first (acc = 2 acc +- v).
 *
 * Timing: a step presented in cycle t is in `acc` from cycle t + 2. The OFFSET correction is left
 * to the bank, which knows the whole input vector.
 */
class CrossbarTile(p: HwParams) extends Module {
  private val prec = p.precision
  private val d = p.derived
  private val lanes = p.crossbar.lanes
  private val groups = prec.columnGroups
  private val slices = prec.slices
  private val cellBits = prec.bitsPerCell
  private val accBits = d.accumulatorBits
  private val adc = d.adc(prec)

  val io = IO(new Bundle {
    val write = Flipped(Valid(new TileWrite(p)))
    val step = Flipped(Valid(new TileStep(p)))
    val acc = Output(Vec(lanes, SInt(accBits.W)))
  })

  // The array macro (cells + column sums); its read data and plane are registered inside it.
  private val array = Module(new CrossbarArrayBlackBox(p)).io
  array.clock := clock
  private val geometry = CrossbarArray.Geometry(p)
  array.writeValid := io.write.valid
  array.writeRow := io.write.bits.row
  array.writeWord := io.write.bits.word
  array.writeCells := Cat(io.write.bits.weights.flatMap(w => weightCells(w)).reverse)
  array.stepValid := io.step.valid
  array.stepWord := io.step.bits.word
  array.stepPlane := io.step.bits.plane.asUInt
  private val stepValid = RegNext(io.step.valid, false.B)
  private val first = RegEnable(io.step.bits.first, io.step.valid)
  private val negate = RegEnable(io.step.bits.negate, io.step.valid)

  private val accs = Reg(Vec(lanes, SInt(accBits.W)))
  for (lane <- 0 until lanes) {
    val groupValues = (0 until groups).map { g =>
      val sliceValues = (0 until slices).map { s =>
        val cellIndex = (lane * groups + g) * slices + s
        val columnSum = array.sums((cellIndex + 1) * geometry.sumBits - 1, cellIndex * geometry.sumBits)
        (Adc(columnSum, adc) << (s * cellBits)).asUInt
      }
      sliceValues.reduce(_ +& _).zext
    }
    // Group 0 is the OFFSET column or the DIFFERENTIAL positive column; group 1 the negative one.
    val value = if (groups == 1) groupValues.head else groupValues(0) -& groupValues(1)
    val signedValue = Mux(negate, -value, value)
    val base = Mux(first, 0.S, accs(lane) << 1)
    when(stepValid) {
      accs(lane) := (base +& signedValue)(accBits - 1, 0).asSInt
    }
  }
  io.acc := accs

  /** Cells of one weight in column order group-major, slice-minor (slice 0 = least significant bits). */
  private def weightCells(w: SInt): Seq[UInt] = {
    val wBits = prec.weightBits
    prec.signedScheme match {
      case Precision.SignedScheme.OFFSET =>
        val stored = (w.asUInt ^ (BigInt(1) << (wBits - 1)).U(wBits.W)) // w + 2^(W-1) in W bits
        sliceBits(stored)
      case Precision.SignedScheme.DIFFERENTIAL =>
        val mostNegative = (-(BigInt(1) << (wBits - 1))).S(wBits.W)
        val clamped = Mux(w === mostNegative, prec.weightMin.S(wBits.W), w) // -2^(W-1) -> -(2^(W-1)-1)
        val magnitude = Mux(clamped < 0.S, (-clamped).asUInt, clamped.asUInt)(wBits - 2, 0)
        val zero = 0.U((wBits - 1).W)
        sliceBits(Mux(clamped > 0.S, magnitude, zero)) ++ sliceBits(Mux(clamped < 0.S, magnitude, zero))
    }
  }

  private def sliceBits(stored: UInt): Seq[UInt] = (0 until slices).map { s =>
    val lo = s * cellBits
    val hi = lo + prec.sliceBits(s) - 1
    stored(hi, lo).pad(cellBits)
  }
}
