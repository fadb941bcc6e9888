package pimforge.hw.stream

import chisel3._
import chisel3.util._
import pimforge.ports.StreamPorts

/** Stream beat: `lanes` signed elements plus an end-of-packet flag (AXI-Stream TDATA/TLAST). */
class Beat(lanes: Int, bits: Int) extends Bundle {
  val data = Vec(lanes, SInt(bits.W))
  val last = Bool()
}

/**
 * Host ports of every unit top, built from the same {@link StreamPorts} record the co-simulation
 * harness is generated from: command, input and output streams, busy.
 */
class StreamUnitIO(ports: StreamPorts) extends Bundle {
  val cmd = Flipped(Decoupled(UInt(ports.cmdBits.max(1).W)))
  val in = Flipped(Decoupled(new Beat(ports.inLanes, ports.inBits)))
  val out = Decoupled(new Beat(ports.outLanes, ports.outBits))
  val busy = Output(Bool())
}
