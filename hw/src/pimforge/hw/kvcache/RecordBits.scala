package pimforge.hw.kvcache

import chisel3._
import chisel3.util._

/**
 * Packs fields LSB first into 64-bit beats of a record buffer (one field of up to 64 - 1 bits per
 * cycle); {@link #flush} writes the partial last beat zero padded. `beats` is the record's length
 * after the flush. Generator helper: its registers belong to the enclosing module.
 */
class RecordPacker(maxBeats: Int, busBits: Int) {
  private val beatBits = log2Ceil(maxBeats + 1)
  val buffer = Mem(maxBeats, UInt(busBits.W))
  private val bits = RegInit(0.U((2 * busBits).W))
  private val fill = RegInit(0.U(log2Ceil(2 * busBits).W))
  val beats = RegInit(0.U(beatBits.W))

  def clear(): Unit = {
    bits := 0.U
    fill := 0.U
    beats := 0.U
  }

  /** Appends the low `width` bits of `value` (width < busBits; higher bits of value must be 0). */
  def push(value: UInt, width: UInt): Unit = {
    val joined = (bits | (value << fill))(2 * busBits - 1, 0)
    val filled = fill +& width
    when(filled >= busBits.U) {
      buffer(beats) := joined(busBits - 1, 0)
      bits := joined >> busBits
      fill := filled - busBits.U
      beats := beats + 1.U
    }.otherwise {
      bits := joined
      fill := filled
    }
  }

  def flush(): Unit = {
    when(fill =/= 0.U) {
      buffer(beats) := bits(busBits - 1, 0)
      beats := beats + 1.U
    }
    bits := 0.U
    fill := 0.U
  }
}

/**
 * Takes the R beats of one read burst and hands out fields LSB first, one per cycle: a field of
 * `width` bits is available when `available` (set `take` to consume it). At most two beats are held.
 */
class RecordUnpacker(busBits: Int, axi: Axi4Master) {
  private val bits = RegInit(0.U((2 * busBits).W))
  private val avail = RegInit(0.U(log2Ceil(2 * busBits + 1).W))
  val beatsLeft = RegInit(0.U(9.W))

  /** Starts a record of `beats` beats (the burst's R beats follow). */
  def start(beats: UInt): Unit = {
    bits := 0.U
    avail := 0.U
    beatsLeft := beats
  }

  /** Connects R and the field interface; call once. Returns (field bits, available). */
  def fields(width: UInt, take: Bool): (UInt, Bool) = {
    val ok = avail >= width
    val taken = take && ok
    val afterTake = Mux(taken, avail - width, avail)
    val bitsAfter = Mux(taken, bits >> width, bits)
    axi.rready := beatsLeft =/= 0.U && avail <= busBits.U
    val beat = axi.rvalid && axi.rready
    when(beat) {
      bits := (bitsAfter | (axi.rdata << afterTake))(2 * busBits - 1, 0)
      avail := afterTake + busBits.U
      beatsLeft := beatsLeft - 1.U
    }.otherwise {
      bits := bitsAfter
      avail := afterTake
    }
    (bits, ok)
  }
}
