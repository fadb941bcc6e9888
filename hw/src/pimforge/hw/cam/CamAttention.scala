package pimforge.hw.cam

import chisel3._
import chisel3.util._
import pimforge.golden.cam.{CamOp, CamSoftmax, MatchAdc}
import pimforge.golden.softmax.SoftmaxOp
import pimforge.hw.softmax.Softmax
import pimforge.hw.stream.StreamUnitIO
import pimforge.params.HwParams
import pimforge.ports.StreamPorts

/**
 * CAM attention unit (golden model pimforge.golden.cam.CamAttentionModel; formats and packets in
 * the README "CAM attention unit", commands in pimforge.golden.cam.CamOp).
 *
 * Storage: the CAM, `tiles` words of `rowsPerTile` rows of d sign bits (one word read per search
 * step), a valid bit per row, V (and with re-scoring the full-precision keys) in memories of d/lanes
 * beats per row.
 * Query passes: Load (the row-limit header, then query beats; sign bits, full values when
 * re-scoring) -> Search (one tile per cycle: XNOR popcount per row of the rows below the limit, match-line ADC by table, per-tile top-m into a candidate register;
 * the candidates of the previous tile merge into the top-k list the same cycle) -> Flush (last
 * merge) -> [Rescore: survivor x beat, lanes MACs] -> softmax (the softmax unit over the k scores:
 * command, feed, collect) -> Mac (survivor x beat, lanes MACs into d accumulators) -> Out.
 */
class CamAttention(p: HwParams) extends Module {
  private val c = p.cam
  private val dv = p.camDerived
  require(dv != null, "CamAttention needs cam.enabled")
  private val lanes = c.lanes
  private val d = dv.headDim
  private val eb = dv.elementBeats
  private val k = c.topK
  private val r = c.rowsPerTile
  private val tiles = dv.tiles
  private val codeBits = c.matchAdcBits
  private val smP = CamSoftmax.params(p)
  private val sl = smP.softmax.lanes
  private val smIn = smP.softmax.inputBits
  private val outBits = smP.softmax.outputBits

  val io = IO(new StreamUnitIO(StreamPorts.cam(p)))
  private val sm = Module(new Softmax(smP))

  private object State extends ChiselEnum {
    val Idle, Config, SmCfgCmd, SmCfgFeed, Write, Clear, QLoad, Search, Flush, Rescore, SmCmd, SmFeed, SmCollect,
      Mac, Out = Value
  }
  private val state = RegInit(State.Idle)
  io.busy := state =/= State.Idle
  io.cmd.ready := state === State.Idle
  io.in.ready := state.isOneOf(State.Config, State.Write, State.Clear, State.QLoad)
  private def is(s: State.Type): Bool = state === s
  /** The low bits of a counter that index a Vec of n entries (no index bits for one entry). */
  private def sel(u: UInt, n: Int): UInt = if (n > 1) u(log2Ceil(n) - 1, 0) else 0.U

  private val ptrBits = log2Ceil(Seq(dv.writeBeats, dv.outBeats, dv.configBeats, dv.softmaxBeats,
    smP.softmaxDerived.configBeats, eb, tiles).max + 1)
  private val ptr = RegInit(0.U(ptrBits.W)) // beat or tile of the current pass
  private val inEnd = WireDefault(false.B)
  when(io.in.fire) { ptr := Mux(inEnd, 0.U, ptr + 1.U) }
  when(io.cmd.fire) {
    ptr := 0.U
    state := MuxLookup(io.cmd.bits, State.QLoad)(Seq(
      CamOp.CONFIGURE.U -> State.Config, CamOp.WRITE.U -> State.Write, CamOp.CLEAR.U -> State.Clear))
  }
  private def element(l: Int, bits: Int): SInt = io.in.bits.data(l)(bits - 1, 0).asSInt
  private def signBits: UInt = Cat(io.in.bits.data.reverse.map(_ > 0.S))

  // ---- Configure: multiplier, shift; then the same values into the softmax unit's configure packet.
  private val cfg = Reg(Vec(2, UInt(smIn.W)))
  when(is(State.Config) && io.in.valid) {
    for (e <- 0 until 2) { when(ptr === (e / lanes).U) { cfg(e) := io.in.bits.data(e % lanes).asUInt.pad(smIn)(smIn - 1, 0) } }
    inEnd := ptr === (dv.configBeats - 1).U
    when(inEnd) { state := State.SmCfgCmd }
  }
  private val smCfgBeats = smP.softmaxDerived.configBeats

  // ---- Write: header (row), key beats (sign bits into a register, full values into keyMem), value beats.
  private val row = Reg(UInt(dv.indexBits.W))
  private val keyWord = Reg(Vec(eb, UInt(lanes.W)))
  private val cam = Mem(tiles, Vec(r, UInt(d.W)))
  private val rowValid = RegInit(VecInit(Seq.fill(tiles)(0.U(r.W))))
  private val valMem = Mem(dv.keys * eb, Vec(lanes, SInt(c.valueBits.W)))
  private val keyMem = if (c.rescore) Some(Mem(dv.keys * eb, Vec(lanes, SInt(c.keyBits.W)))) else None
  private val rowBits = log2Ceil(r)
  private def beatAddr(idx: UInt, beat: UInt): UInt = idx * eb.U + beat
  private def tileOf(r: UInt): UInt =
    if (isPow2(tiles)) r(log2Ceil(tiles) - 1, 0) else (r % tiles.U)(log2Ceil(tiles) - 1, 0)
  when(is(State.Write) && io.in.valid) {
    when(ptr === 0.U) { row := io.in.bits.data(0).asUInt(dv.indexBits - 1, 0) }
    when(ptr >= 1.U && ptr <= eb.U) {
      keyWord(sel(ptr - 1.U, eb)) := signBits
      keyMem.foreach(_.write(beatAddr(row, ptr - 1.U), VecInit((0 until lanes).map(l => element(l, c.keyBits)))))
    }
    when(ptr > eb.U) {
      valMem.write(beatAddr(row, ptr - 1.U - eb.U), VecInit((0 until lanes).map(l => element(l, c.valueBits))))
    }
    inEnd := ptr === (dv.writeBeats - 1).U
    when(inEnd) {
      // Row r lives in tile r mod T at position r / T: rows written in order spread over the tiles.
      val tile = if (tiles > 1) tileOf(row) else 0.U
      val within = if (tiles == 1) row(rowBits - 1, 0)
        else if (isPow2(tiles)) (row >> log2Ceil(tiles))(rowBits - 1, 0) else (row / tiles.U)(rowBits - 1, 0)
      cam.write(tile, VecInit(Seq.fill(r)(Cat(keyWord.reverse))), UIntToOH(within, r).asBools)
      rowValid(tile) := rowValid(tile) | UIntToOH(within, r)
      state := State.Idle
    }
  }
  when(is(State.Clear) && io.in.valid) {
    inEnd := true.B
    rowValid.foreach(_ := 0.U)
    state := State.Idle
  }

  // ---- Query load.
  private val qWord = Reg(Vec(eb, UInt(lanes.W)))
  private val qFull = Reg(Vec(eb, Vec(lanes, SInt(c.keyBits.W))))
  private val newCand = () => Wire(new Candidate(codeBits, dv.indexBits))
  private val emptyList = VecInit(Seq.fill(k) { val e = newCand(); e := 0.U.asTypeOf(e); e })
  private val list = RegInit(emptyList)
  private val keep = dv.perTileKeep
  private val candReg = Reg(Vec(keep, new Candidate(codeBits, dv.indexBits)))
  private val candValid = RegNext(is(State.Search), false.B)
  private val limit = Reg(UInt((dv.indexBits + 1).W)) // rows 0..limit-1 may survive (causal prefill)
  when(is(State.QLoad) && io.in.valid) {
    when(ptr === 0.U) { limit := io.in.bits.data(0).asUInt(dv.indexBits, 0) }
    when(ptr >= 1.U) {
      qWord(sel(ptr - 1.U, eb)) := signBits
      if (c.rescore) qFull(sel(ptr - 1.U, eb)) := VecInit((0 until lanes).map(l => element(l, c.keyBits)))
    }
    inEnd := ptr === eb.U
    when(inEnd) {
      state := State.Search
      list := emptyList
    }
  }

  // ---- Search: tile ptr; match count = popcount(XNOR) over d bits, code by the ADC table; per-tile
  // best rows into candReg; candReg of the previous cycle merges into the list.
  private val tile = ptr(log2Ceil(tiles).max(1) - 1, 0)
  private val rowIndex = (0 until r).map(i => if (tiles > 1) tile +& (i * tiles).U else i.U) // row of position i
  private val belowLimit = Cat(rowIndex.reverse.map(_ < limit))
  private val rows = TileSearch(cam.read(tile), rowValid(tile) & belowLimit, Cat(qWord.reverse), rowIndex,
    MatchAdc.codes(d, codeBits).toSeq, codeBits, dv.indexBits)
  when(is(State.Search)) {
    candReg := VecInit(if (c.stages == 2) TileTopM(rows, keep) else rows)
    ptr := Mux(ptr === (tiles - 1).U, 0.U, ptr + 1.U)
    when(ptr === (tiles - 1).U) { state := State.Flush }
  }
  when(candValid) { list := TopKMerge(list, candReg) }
  private val slot = RegInit(0.U(log2Ceil(k + 1).W)) // survivor of the Rescore / Mac pass
  when(is(State.Flush)) {
    state := (if (c.rescore) State.Rescore else State.SmCmd)
    slot := 0.U
  }

  // ---- Rescore: exact dot product of the query with each survivor's stored key, lanes MACs per cycle.
  private val scores: Vec[SInt] = if (c.rescore) {
    val rescored = Reg(Vec(k, SInt(dv.scoreBits.W)))
    val dotAcc = Reg(SInt(dv.scoreBits.W))
    when(is(State.Rescore)) {
      val key = keyMem.get.read(beatAddr(list(sel(slot, k)).idx, ptr))
      val q = qFull(sel(ptr, eb))
      val partial = (0 until lanes).map(l => q(l) * key(l)).reduce(_ +& _)
      val sum = (Mux(ptr === 0.U, 0.S, dotAcc) +& partial)(dv.scoreBits - 1, 0).asSInt
      dotAcc := sum
      val beatEnd = ptr === (eb - 1).U
      ptr := Mux(beatEnd, 0.U, ptr + 1.U)
      when(beatEnd) {
        rescored(sel(slot, k)) := sum
        slot := slot + 1.U
        when(slot === (k - 1).U) { state := State.SmCmd }
      }
    }
    rescored
  } else VecInit(list.map(e => e.code.zext.pad(dv.scoreBits)))

  // ---- Softmax over the survivors' scores (empty slots masked), through the softmax unit.
  private val mask = smP.softmaxDerived.maskValue
  sm.io.cmd.valid := is(State.SmCmd) || is(State.SmCfgCmd)
  sm.io.cmd.bits := Mux(is(State.SmCmd), SoftmaxOp.ROW.U, SoftmaxOp.CONFIGURE.U)
  when(sm.io.cmd.fire) {
    state := Mux(is(State.SmCmd), State.SmFeed, State.SmCfgFeed)
    ptr := 0.U
  }
  private val smRow = VecInit((0 until dv.softmaxBeats).map { b =>
    VecInit((0 until sl).map { e =>
      val s = b * sl + e
      if (s < k) Mux(list(s).valid, scores(s).pad(smIn), mask.S(smIn.W)) else mask.S(smIn.W)
    })
  })
  private val smCfgRow = VecInit((0 until smCfgBeats).map { b =>
    VecInit((0 until sl).map(e => if (b * sl + e < 2) cfg(b * sl + e).asSInt else 0.S(smIn.W)))
  })
  private val feeding = is(State.SmFeed) || is(State.SmCfgFeed)
  private val feedBeats = Mux(is(State.SmFeed), dv.softmaxBeats.U, smCfgBeats.U)
  sm.io.in.valid := feeding
  sm.io.in.bits.data := Mux(is(State.SmFeed), smRow(sel(ptr, dv.softmaxBeats)), smCfgRow(sel(ptr, smCfgBeats)))
  sm.io.in.bits.last := ptr === feedBeats - 1.U
  when(sm.io.in.fire) {
    ptr := Mux(sm.io.in.bits.last, 0.U, ptr + 1.U)
    when(sm.io.in.bits.last) { state := Mux(is(State.SmFeed), State.SmCollect, State.Idle) }
  }
  private val probs = Reg(Vec(k, UInt(outBits.W)))
  sm.io.out.ready := is(State.SmCollect)
  when(sm.io.out.fire) {
    for (s <- 0 until k) {
      when(ptr === (s / sl).U) { probs(s) := sm.io.out.bits.data(s % sl).asUInt(outBits - 1, 0) }
    }
    ptr := Mux(sm.io.out.bits.last, 0.U, ptr + 1.U)
    when(sm.io.out.bits.last) {
      state := State.Mac
      slot := 0.U
    }
  }

  // ---- Mac: acc[j] += p_i * V[idx_i][j], one beat of lanes elements per cycle.
  private val acc = Reg(Vec(eb, Vec(lanes, SInt(dv.accBits.W))))
  when(is(State.SmFeed)) { acc.foreach(_.foreach(_ := 0.S)) }
  when(is(State.Mac)) {
    val v = valMem.read(beatAddr(list(sel(slot, k)).idx, ptr))
    val pr = Mux(list(sel(slot, k)).valid, probs(sel(slot, k)), 0.U).zext
    for (l <- 0 until lanes) { acc(sel(ptr, eb))(l) := (acc(sel(ptr, eb))(l) +& pr * v(l))(dv.accBits - 1, 0).asSInt }
    val beatEnd = ptr === (eb - 1).U
    ptr := Mux(beatEnd, 0.U, ptr + 1.U)
    when(beatEnd) {
      slot := slot + 1.U
      when(slot === (k - 1).U) { state := State.Out }
    }
  }

  // ---- Out: indices (-1 = empty), scores, probabilities, context = clamp((acc + 2^(O-1)) >> O).
  private val ob = dv.outBits
  private val hi = (BigInt(1) << (c.valueBits - 1)) - 1
  private def context(a: SInt): SInt = {
    val q = (a +& (BigInt(1) << (outBits - 1)).S) >> outBits
    Mux(q > hi.S, hi.S, Mux(q < (-hi - 1).S, (-hi - 1).S, q))(c.valueBits - 1, 0).asSInt.pad(ob)
  }
  private val kb = dv.topKBeats
  private val answer = VecInit((0 until dv.outBeats).map { b =>
    VecInit((0 until lanes).map { l =>
      val s = (b % kb) * lanes + l
      val e: SInt =
        if (b >= 3 * kb) context(acc(b - 3 * kb)(l))
        else if (s >= k) (if (b < kb) -1.S(ob.W) else 0.S(ob.W))
        else if (b < kb) Mux(list(s).valid, list(s).idx.zext.pad(ob), -1.S(ob.W))
        else if (b < 2 * kb) Mux(list(s).valid, scores(s).pad(ob), 0.S(ob.W))
        else probs(s).zext.pad(ob)
      e
    })
  })
  io.out.valid := is(State.Out)
  io.out.bits.data := answer(sel(ptr, dv.outBeats))
  io.out.bits.last := ptr === (dv.outBeats - 1).U
  when(io.out.fire) {
    ptr := Mux(io.out.bits.last, 0.U, ptr + 1.U)
    when(io.out.bits.last) { state := State.Idle }
  }
}
