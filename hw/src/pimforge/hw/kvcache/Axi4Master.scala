package pimforge.hw.kvcache

import chisel3._

/**
 * AXI4 master port (ARM IHI 0022, the subset a single-outstanding burst master needs): INCR
 * bursts of `dataBits`-wide beats, full-width transfers (AxSIZE = log2(dataBits / 8)), one
 * transaction in flight per direction, no IDs, no locks/caches/QoS. Signal names follow the
 * specification (awaddr, wdata, ...) so the port connects to an interconnect or a memory
 * controller by name.
 */
class Axi4Master(addrBits: Int, dataBits: Int) extends Bundle {
  val awvalid = Output(Bool())
  val awready = Input(Bool())
  val awaddr = Output(UInt(addrBits.W))
  val awlen = Output(UInt(8.W))
  val awsize = Output(UInt(3.W))
  val awburst = Output(UInt(2.W))
  val wvalid = Output(Bool())
  val wready = Input(Bool())
  val wdata = Output(UInt(dataBits.W))
  val wstrb = Output(UInt((dataBits / 8).W))
  val wlast = Output(Bool())
  val bvalid = Input(Bool())
  val bready = Output(Bool())
  val bresp = Input(UInt(2.W))
  val arvalid = Output(Bool())
  val arready = Input(Bool())
  val araddr = Output(UInt(addrBits.W))
  val arlen = Output(UInt(8.W))
  val arsize = Output(UInt(3.W))
  val arburst = Output(UInt(2.W))
  val rvalid = Input(Bool())
  val rready = Output(Bool())
  val rdata = Input(UInt(dataBits.W))
  val rresp = Input(UInt(2.W))
  val rlast = Input(Bool())
}

object Axi4Master {
  /** AxBURST = INCR. */
  val BurstIncr = 1
}
