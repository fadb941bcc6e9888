package pimforge.hw.model

import chisel3._
import chisel3.util._
import pimforge.hw.layer.LayerTopPorts
import pimforge.layer.{LayerPlan, ModelRegisters}
import pimforge.params.{Check, HwParams}

/** A layer top as the model top instantiates it: same name and ports, elaborated once (Emit). */
class LayerTopBlackBox(plan: LayerPlan) extends ExtModule {
  override def desiredName: String = "LayerTop"
  val io = FlatIO(new LayerTopPorts(plan) {
    val clock = Input(Clock())
    val reset = Input(Bool())
  })
}

/**
 * The model top: every layer of the model stationary on its own layer top (the banks of LayerPlan
 * per layer), behind one AXI4-Lite slave and one pair of AXI-Streams. Layer i's m_axis feeds layer
 * i+1's s_axis, so a token stream runs through all layers; ROUTE picks which layer s_axis feeds
 * (weight loading, one layer at a time, or layer 0 for inference) and which layer's m_axis reaches
 * the host. CTRL.START starts the run range together; each layer waits on its HOST_IN for the
 * previous layer's output. Address map: pimforge.layer.ModelRegisters. Embedding lookup and the
 * final norm/pooling stay on the host.
 *
 * The AXI4-Lite splitter handles one write and one read at a time (AW and W may arrive in any order).
 */
class ModelTop(p: HwParams) extends Module {
  Check.that(!p.kvCache.enabled, "kvCache.enabled",
    "is true, allowed only with --top LayerTop (the model top does not route the layers' KV-cache memory ports yet)")
  Check.that(!p.cam.enabled, "cam.enabled",
    "is true, allowed only with --top LayerTop or CamAttention (CAM attention is not verified in the model top yet)")
  private val plan = LayerPlan.of(p)
  private val layers = p.model.numLayers
  private val layerBits = ModelRegisters.layerBits(plan)
  private val addrBits = ModelRegisters.addressBits(plan, layers)
  private val width = plan.lanes * plan.elementBits
  private val fieldBits = ModelRegisters.LAYER_FIELD_BITS

  val s_axil_awaddr = IO(Input(UInt(addrBits.W)))
  val s_axil_awvalid = IO(Input(Bool()))
  val s_axil_awready = IO(Output(Bool()))
  val s_axil_wdata = IO(Input(UInt(32.W)))
  val s_axil_wstrb = IO(Input(UInt(4.W)))
  val s_axil_wvalid = IO(Input(Bool()))
  val s_axil_wready = IO(Output(Bool()))
  val s_axil_bresp = IO(Output(UInt(2.W)))
  val s_axil_bvalid = IO(Output(Bool()))
  val s_axil_bready = IO(Input(Bool()))
  val s_axil_araddr = IO(Input(UInt(addrBits.W)))
  val s_axil_arvalid = IO(Input(Bool()))
  val s_axil_arready = IO(Output(Bool()))
  val s_axil_rdata = IO(Output(UInt(32.W)))
  val s_axil_rresp = IO(Output(UInt(2.W)))
  val s_axil_rvalid = IO(Output(Bool()))
  val s_axil_rready = IO(Input(Bool()))
  val s_axis_tdata = IO(Input(UInt(width.W)))
  val s_axis_tvalid = IO(Input(Bool()))
  val s_axis_tready = IO(Output(Bool()))
  val s_axis_tlast = IO(Input(Bool()))
  val m_axis_tdata = IO(Output(UInt(width.W)))
  val m_axis_tvalid = IO(Output(Bool()))
  val m_axis_tready = IO(Input(Bool()))
  val m_axis_tlast = IO(Output(Bool()))
  val irq = IO(Output(Bool()))

  private val tops = Seq.fill(layers)(Module(new LayerTopBlackBox(plan)))
  tops.foreach { t =>
    t.io.clock := clock
    t.io.reset := reset.asBool
  }

  // ---- Model registers.
  private val inLayer = RegInit(0.U(fieldBits.W))
  private val outLayer = RegInit((layers - 1).U(fieldBits.W))
  private val runFirst = RegInit(0.U(fieldBits.W))
  private val runLast = RegInit((layers - 1).U(fieldBits.W))
  private val startPulse = WireDefault(false.B)
  private val inRange = VecInit((0 until layers).map(l => l.U >= runFirst && l.U <= runLast))
  private val allDone = (0 until layers).map(l => !inRange(l) || tops(l).io.irq).reduce((a, b) => a && b)
  irq := allDone
  tops.zipWithIndex.foreach { case (t, l) => t.io.start_in := startPulse && inRange(l) }

  // ---- AXI4-Lite write: latch AW and W, then forward to a layer or write a model register.
  private val awHeld = RegInit(false.B)
  private val wHeld = RegInit(false.B)
  private val awAddr = Reg(UInt(addrBits.W))
  private val wData = Reg(UInt(32.W))
  private val wStrb = Reg(UInt(4.W))
  private val awSent = RegInit(false.B)
  private val wSent = RegInit(false.B)
  private val bValid = RegInit(false.B)
  private val bResp = RegInit(0.U(2.W))
  s_axil_awready := !awHeld && !bValid
  s_axil_wready := !wHeld && !bValid
  when(s_axil_awvalid && s_axil_awready) { awHeld := true.B; awAddr := s_axil_awaddr }
  when(s_axil_wvalid && s_axil_wready) { wHeld := true.B; wData := s_axil_wdata; wStrb := s_axil_wstrb }
  private val wLayer = awAddr >> layerBits
  private val wOffset = awAddr(layerBits - 1, 0)
  private val writing = awHeld && wHeld && !bValid
  private val modelWrite = writing && wLayer >= layers.U
  when(modelWrite) {
    switch(wOffset) {
      is(ModelRegisters.CTRL.U) { startPulse := wStrb(0) && wData(0) }
      is(ModelRegisters.ROUTE.U) { inLayer := wData(fieldBits - 1, 0); outLayer := wData(31, fieldBits) }
      is(ModelRegisters.RUN_RANGE.U) { runFirst := wData(fieldBits - 1, 0); runLast := wData(31, fieldBits) }
    }
    bValid := true.B
    bResp := 0.U
  }
  for ((t, l) <- tops.zipWithIndex) {
    val selected = writing && wLayer === l.U
    t.io.s_axil_awaddr := wOffset
    t.io.s_axil_awvalid := selected && !awSent
    t.io.s_axil_wdata := wData
    t.io.s_axil_wstrb := wStrb
    t.io.s_axil_wvalid := selected && !wSent
    t.io.s_axil_bready := selected && awSent && wSent
    when(selected) {
      when(t.io.s_axil_awready) { awSent := true.B }
      when(t.io.s_axil_wready) { wSent := true.B }
      when(awSent && wSent && t.io.s_axil_bvalid) { bValid := true.B; bResp := t.io.s_axil_bresp }
    }
  }
  s_axil_bvalid := bValid
  s_axil_bresp := bResp
  when(bValid && s_axil_bready) {
    bValid := false.B
    awHeld := false.B
    wHeld := false.B
    awSent := false.B
    wSent := false.B
  }

  // ---- AXI4-Lite read: latch AR, then forward to a layer or read a model register.
  private val arHeld = RegInit(false.B)
  private val arAddr = Reg(UInt(addrBits.W))
  private val arSent = RegInit(false.B)
  private val rValid = RegInit(false.B)
  private val rData = Reg(UInt(32.W))
  private val rResp = RegInit(0.U(2.W))
  s_axil_arready := !arHeld
  when(s_axil_arvalid && s_axil_arready) { arHeld := true.B; arAddr := s_axil_araddr }
  private val rLayer = arAddr >> layerBits
  private val rOffset = arAddr(layerBits - 1, 0)
  private val reading = arHeld && !rValid
  when(reading && rLayer >= layers.U) {
    rData := MuxLookup(rOffset, 0.U)(Seq(
      ModelRegisters.STATUS.U -> Cat(allDone, 0.U(1.W)),
      ModelRegisters.ROUTE.U -> Cat(outLayer, inLayer),
      ModelRegisters.ID.U -> ModelRegisters.ID_VALUE.U(32.W),
      ModelRegisters.RUN_RANGE.U -> Cat(runLast, runFirst),
      ModelRegisters.LAYERS.U -> layers.U))
    rResp := 0.U
    rValid := true.B
  }
  for ((t, l) <- tops.zipWithIndex) {
    val selected = reading && rLayer === l.U
    t.io.s_axil_araddr := rOffset
    t.io.s_axil_arvalid := selected && !arSent
    t.io.s_axil_rready := selected && arSent
    when(selected) {
      when(t.io.s_axil_arready) { arSent := true.B }
      when(arSent && t.io.s_axil_rvalid) { rValid := true.B; rData := t.io.s_axil_rdata; rResp := t.io.s_axil_rresp }
    }
  }
  s_axil_rvalid := rValid
  s_axil_rdata := rData
  s_axil_rresp := rResp
  when(rValid && s_axil_rready) {
    rValid := false.B
    arHeld := false.B
    arSent := false.B
  }

  // ---- Streams: s_axis feeds layer inLayer; layer i's m_axis feeds layer i+1 (unless the host
  // feeds it) or the host (layer outLayer).
  s_axis_tready := false.B
  for ((t, l) <- tops.zipWithIndex) {
    val fromHost = inLayer === l.U
    if (l == 0) {
      t.io.s_axis_tvalid := fromHost && s_axis_tvalid
      t.io.s_axis_tdata := s_axis_tdata
      t.io.s_axis_tlast := s_axis_tlast
    } else {
      val prev = tops(l - 1).io
      t.io.s_axis_tvalid := Mux(fromHost, s_axis_tvalid, prev.m_axis_tvalid && outLayer =/= (l - 1).U)
      t.io.s_axis_tdata := Mux(fromHost, s_axis_tdata, prev.m_axis_tdata)
      t.io.s_axis_tlast := Mux(fromHost, s_axis_tlast, prev.m_axis_tlast)
    }
    when(fromHost) { s_axis_tready := t.io.s_axis_tready }
    val toHost = outLayer === l.U
    val nextTakes = if (l + 1 < layers) inLayer =/= (l + 1).U && tops(l + 1).io.s_axis_tready else false.B
    t.io.m_axis_tready := Mux(toHost, m_axis_tready, nextTakes)
  }
  private def fromOutLayer[T <: Data](f: LayerTopPorts => T, none: T): T =
    MuxLookup(outLayer, none)(tops.zipWithIndex.map { case (t, l) => l.U -> f(t.io) })
  m_axis_tvalid := fromOutLayer(_.m_axis_tvalid, false.B)
  m_axis_tdata := fromOutLayer(_.m_axis_tdata, 0.U(width.W))
  m_axis_tlast := fromOutLayer(_.m_axis_tlast, false.B)
}
