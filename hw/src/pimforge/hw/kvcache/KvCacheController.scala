package pimforge.hw.kvcache

import chisel3._
import chisel3.util._
import pimforge.hw.stream.StreamUnitIO
import pimforge.kvcache.{KvCacheLayout, KvCacheModel, KvCacheOp, KvEvictionModel}
import pimforge.params.HwParams
import pimforge.params.KvCacheParams.Policy
import pimforge.ports.StreamPorts

/** Host streams plus the AXI4 master to the external memory that holds the sealed records. */
class KvCacheIO(p: HwParams) extends StreamUnitIO(StreamPorts.kvCache(p)) {
  val m_axi = new Axi4Master(KvCacheLayout.of(p).addressBits, KvCacheLayout.BUS_BITS)
  val overflow = Output(Bool()) // sticky: a token was refused (FULL at its budget)
}

/**
 * KV-cache controller for one layer and KV head (golden model: pimforge.kvcache.KvCacheModel; storage
 * format and widths: pimforge.kvcache.KvCacheLayout; commands: pimforge.kvcache.KvCacheOp).
 *
 * On chip: the slot table (valid, sealed, position, insertion order, H2O score, exponent-table
 * entry, record lengths), the full-precision buffer of the newest R tokens, the exponent table of
 * the sealed groups and the event counters. Off chip, through `m_axi`: the packed key and value
 * record of every sealed token. One element per cycle everywhere (one multiplier for scores, one
 * for the context); an eviction decision scans the slot table once (capacity cycles).
 */
class KvCacheController(p: HwParams) extends Module {
  private val lay = KvCacheLayout.of(p)
  private val kv = p.kvCache
  private val ev = KvEvictionModel.of(p, KvEvictionModel.RopeConvention.ORIGINAL) // register widths
  private val cap = lay.capacity
  private val d = lay.headDim
  private val g = lay.groupSize
  private val r = lay.fullPrecisionTokens
  private val lanes = lay.lanes
  private val inB = lay.inputBits
  private val kb = kv.keyBits
  private val vb = kv.valueBits
  private val ekb = lay.keyExponentBits
  private val evb = lay.valueExponentBits
  private val vecBeats = lay.vectorBeats(d)
  private val bus = KvCacheLayout.BUS_BITS
  private val slotBits = lay.slotBits
  private val chanBits = log2Ceil(d).max(1)
  private val ringBits = lay.ringBits
  private val posBits = lay.slotPositionBits
  private val orderBits = lay.slotOrderBits
  private val maxBeats = lay.keyMaxBeats.max(lay.valueMaxBeats)
  private val beatBits = lay.recordBeatBits
  private val outBits = lay.outBits
  private val hh = kv.policy == Policy.HEAVY_HITTER

  val io = IO(new KvCacheIO(p))

  private object S extends ChiselEnum {
    val Idle, LoadKv, Scan, Decide, SealFind, SealExp, SealTable, KBitmap, KCodes, KFlush, KWrite,
        VExp, VExpPush, VBitmap, VCodes, VFlush, VWrite, SealNext, Result, LoadQ, SlotStart, ProbBeat, Mac,
        ReadAr, RKBitmap, RKCodes, RVExp, RVBitmap, RVCodes, SlotEnd, ContextOut, CountersOut = Value
  }
  private val state = RegInit(S.Idle)
  private val op = RegInit(0.U(KvCacheOp.BITS.W))
  io.busy := state =/= S.Idle
  io.cmd.ready := state === S.Idle

  // ---- slot table
  private val valid = RegInit(VecInit(Seq.fill(cap)(false.B)))
  private val isSealed = RegInit(VecInit(Seq.fill(cap)(false.B)))
  private val position = Mem(cap, UInt(posBits.W))
  private val order = Mem(cap, UInt(orderBits.W))
  private val score = if (hh) Some(Mem(cap, UInt(lay.slotScoreBits.W))) else None
  private val groupOf = Mem(cap, UInt(slotBits.W))
  private val keyBeats = Mem(cap, UInt(beatBits.W))
  private val valueBeats = Mem(cap, UInt(beatBits.W))
  private val ringOf = Mem(cap, UInt(ringBits.W)) // full-precision buffer entry of an unsealed slot

  // ---- full-precision buffer: entry e, tensor t (0 key, 1 value), beat b at row (2e + t) * vecBeats + b
  private val fp = Mem(r * 2 * vecBeats, Vec(lanes, SInt(inB.W)))
  private val fpSlot = Mem(r, UInt(slotBits.W))
  private val fpHead = RegInit(0.U(ringBits.W))
  private val fpCount = RegInit(0.U(log2Ceil(r + 1).W))
  private def ringAdd(a: UInt, n: UInt): UInt = {
    val s = a +& n
    Mux(s >= r.U, s - r.U, s)(ringBits - 1, 0)
  }
  private def fpElement(entry: UInt, tensor: UInt, c: UInt): SInt =
    fp((entry * 2.U + tensor) * vecBeats.U + c / lanes.U)(c % lanes.U)

  // ---- exponent table
  private val exponents = Mem(lay.exponentTableEntries, Vec(d, UInt(ekb.W)))
  private val refs = RegInit(VecInit(Seq.fill(lay.exponentTableEntries)(0.U(lay.exponentRefBits.W))))

  // ---- registers of the running command
  private val positionReg = RegInit(0.U(posBits.W))
  private val stored = RegInit(0.U(orderBits.W)) // tokens stored so far: the next insertion order
  private val occupancy = RegInit(0.U(log2Ceil(cap + 1).W))
  private val beat = RegInit(0.U(log2Ceil(2 * vecBeats + 1).W))
  private val idx = RegInit(0.U(slotBits.W)) // scanned / read slot
  private val freeSlot = RegInit(0.U(slotBits.W))
  private val freeFound = RegInit(false.B)
  private val best = RegInit(0.U(slotBits.W))
  private val bestFound = RegInit(false.B)
  private val bestOrder = RegInit(0.U(orderBits.W))
  private val bestScore = RegInit(0.U((if (hh) ev.scoreBits else 1).W))
  private val outcome = RegInit(0.U(2.W))
  private val resultSlot = RegInit(0.U(slotBits.W))
  private val evictedPos = RegInit(0.U(posBits.W))
  private val resultPos = RegInit(0.U(posBits.W))
  private val entry = RegInit(0.U(slotBits.W)) // exponent-table entry of the group being sealed
  private val c = RegInit(0.U((chanBits + 1).W)) // channel
  private val i = RegInit(0.U(log2Ceil(g + 1).W)) // token of the group / channel in a value group
  private val tok = RegInit(0.U(log2Ceil(g + 1).W)) // token of the group being sealed
  private val ring = RegInit(0.U(ringBits.W)) // full-precision entry of the token being sealed
  private val maxMag = RegInit(0.U(inB.W))
  private val keyExp = Reg(Vec(d, UInt(ekb.W)))
  private val valueExp = RegInit(0.U(evb.W))
  private val nonZero = Reg(Vec(d.max(g), Bool()))
  private val wPhase = RegInit(0.U(2.W))
  private val wBeat = RegInit(0.U(beatBits.W))
  private val awSent = RegInit(false.B) // this record's AW handshake done
  private val wSent = RegInit(false.B) // this record's last W beat accepted
  private val query = Reg(Vec(d, SInt(inB.W)))
  private val acc = RegInit(0.S(lay.scoreBits.W))
  private val context = RegInit(VecInit(Seq.fill(d)(0.S(lay.contextBits.W))))
  private val probs = Reg(Vec(lanes, UInt(lay.probabilityBits.W)))
  private val prob = RegInit(0.U(lay.probabilityBits.W))
  private val haveProbs = RegInit(false.B) // `probs` holds the beat of the current slot
  private val word = RegInit(0.U(log2Ceil(KvCacheModel.Counters.WORDS.max(d) + 1).W))

  // ---- counters (saturating)
  private val counterMax = (BigInt(1) << KvCacheLayout.COUNTER_BITS) - 1
  private def counter() = RegInit(0.U(KvCacheLayout.COUNTER_BITS.W))
  private val appendedCount, evictedCount, refusedCount, prunedCount, zeroCount, storedCount, bytesWritten, bytesRead =
    counter()
  private val overflow = RegInit(false.B)
  io.overflow := overflow
  private def bump(x: UInt, n: UInt): Unit = {
    val s = x +& n
    x := Mux(s > counterMax.U, counterMax.U, s)
  }

  // ---- output words, packed into beats
  private val outLane = RegInit(0.U(log2Ceil(lanes + 1).W))
  private val outData = RegInit(VecInit(Seq.fill(lanes)(0.S(outBits.W))))
  private val outPending = RegInit(false.B)
  private val outLast = RegInit(false.B)
  io.out.valid := outPending
  io.out.bits.data := outData
  io.out.bits.last := outLast
  when(io.out.fire) {
    outPending := false.B
    outData.foreach(_ := 0.S)
  }
  private val outFree = !outPending
  private def emit(w: SInt, last: Bool): Unit = {
    outData(outLane) := w
    when(outLane === (lanes - 1).U || last) {
      outPending := true.B
      outLast := last
      outLane := 0.U
    }.otherwise {
      outLane := outLane + 1.U
    }
  }

  // ---- AXI4 master: records of one slot, one burst at a time
  private val packer = new RecordPacker(maxBeats, bus)
  private val axi = io.m_axi
  axi.awvalid := false.B
  axi.awaddr := 0.U
  axi.awlen := 0.U
  axi.awsize := log2Ceil(bus / 8).U
  axi.awburst := Axi4Master.BurstIncr.U
  axi.wvalid := false.B
  axi.wdata := packer.buffer(wBeat)
  axi.wstrb := ((BigInt(1) << (bus / 8)) - 1).U
  axi.wlast := false.B
  axi.bready := false.B
  axi.arvalid := false.B
  axi.araddr := 0.U
  axi.arlen := 0.U
  axi.arsize := log2Ceil(bus / 8).U
  axi.arburst := Axi4Master.BurstIncr.U
  private val unpacker = new RecordUnpacker(bus, axi)
  private val pullWidth = WireDefault(1.U(5.W))
  private val pullTake = WireDefault(false.B)
  private val (pulled, pullOk) = unpacker.fields(pullWidth, pullTake)

  /**
   * Writes the packed record to `address`; returns true in the cycle its B response arrives. AW and
   * the W beats are offered together (AXI4 A3.3.1: a master must not wait for AWREADY before WVALID),
   * each channel completing on its own handshakes; then B.
   */
  private def writeRecord(address: UInt): Bool = {
    val done = WireDefault(false.B)
    switch(wPhase) {
      is(0.U) {
        axi.awvalid := !awSent
        axi.awaddr := address
        axi.awlen := packer.beats - 1.U
        axi.wvalid := !wSent
        axi.wlast := wBeat === packer.beats - 1.U
        val awNow = awSent || axi.awready
        val wLastNow = wSent || (axi.wready && axi.wlast)
        when(!awSent && axi.awready) { awSent := true.B }
        when(!wSent && axi.wready) {
          wBeat := wBeat + 1.U
          when(axi.wlast) { wSent := true.B }
        }
        when(awNow && wLastNow) { wPhase := 2.U }
      }
      is(2.U) {
        axi.bready := true.B
        when(axi.bvalid) {
          wPhase := 0.U
          awSent := false.B
          wSent := false.B
          wBeat := 0.U
          done := true.B
          bump(bytesWritten, packer.beats * (bus / 8).U)
        }
      }
    }
    done
  }

  // Byte addresses, computed at the port's full width (a narrower sum would wrap).
  private def keyAddress(slot: UInt): UInt = (slot * lay.keyStrideBytes.U).pad(lay.addressBits)
  private def valueAddress(slot: UInt): UInt =
    lay.valueBase.U(lay.addressBits.W) + (slot * lay.valueStrideBytes.U).pad(lay.addressBits)

  /** Counts one sealed entry: pruned, quantized to zero or stored. */
  private def countEntry(x: SInt, e: UInt, code: SInt): Unit = {
    when(KvQuantOps.pruned(x, e, kv.pruneThreshold)) { bump(prunedCount, 1.U) }
      .elsewhen(code === 0.S) { bump(zeroCount, 1.U) }
      .otherwise { bump(storedCount, 1.U) }
  }

  private val tail = ringAdd(fpHead, fpCount)
  private val sealSlot = fpSlot(ring)
  private val isScores = op === KvCacheOp.SCORES.U
  io.in.ready := false.B

  switch(state) {
    is(S.Idle) {
      when(io.cmd.fire) {
        op := io.cmd.bits
        beat := 0.U
        idx := 0.U
        word := 0.U
        state := MuxLookup(io.cmd.bits, S.CountersOut)(Seq(
          KvCacheOp.APPEND.U -> S.LoadKv, KvCacheOp.SCORES.U -> S.LoadQ, KvCacheOp.CONTEXT.U -> S.SlotStart))
        freeFound := false.B
        bestFound := false.B
        haveProbs := false.B
        context.foreach(_ := 0.S)
      }
    }

    // ---- APPEND: key then value beats into the buffer entry after the newest
    is(S.LoadKv) {
      io.in.ready := true.B
      when(io.in.fire) {
        fp(tail * (2 * vecBeats).U + beat) := VecInit(io.in.bits.data.map(x => x(inB - 1, 0).asSInt))
        beat := beat + 1.U
        when(beat === (2 * vecBeats - 1).U) { state := S.Scan }
      }
    }
    is(S.Scan) {
      val v = valid(idx)
      val ord = order(idx)
      when(!v && !freeFound) { freeSlot := idx; freeFound := true.B }
      val candidate = kv.policy match {
        case Policy.FULL => false.B
        case Policy.SLIDING_WINDOW => v && (!bestFound || ord < bestOrder)
        case Policy.SINKS_WINDOW => v && ord >= kv.sinkTokens.U && (!bestFound || ord < bestOrder)
        case Policy.HEAVY_HITTER =>
          val sc = score.get(idx)
          v && ord +& (kv.windowTokens - 1).U < stored &&
            (!bestFound || sc < bestScore || (sc === bestScore && ord < bestOrder))
      }
      when(candidate) {
        best := idx
        bestFound := true.B
        bestOrder := ord
        score.foreach(s => bestScore := s(idx))
      }
      idx := idx + 1.U
      when(idx === (cap - 1).U) { state := S.Decide }
    }
    is(S.Decide) {
      val hasRoom = occupancy < cap.U
      // FULL at its budget, no victim found (cannot happen while insertion orders do not wrap), or a
      // position past the model's maxPositions: refused, counted and flagged.
      val pastContext = positionReg >= lay.maxContext.U
      val refuse = (!hasRoom && ((kv.policy == Policy.FULL).B || !bestFound)) || pastContext
      val slot = Mux(hasRoom, freeSlot, best)
      resultPos := positionReg
      positionReg := Mux(pastContext, positionReg, positionReg + 1.U)
      bump(appendedCount, 1.U)
      when(refuse) {
        outcome := KvCacheOp.OUTCOME_REFUSED.U
        bump(refusedCount, 1.U)
        overflow := true.B
        state := S.Result
      }.otherwise {
        outcome := Mux(hasRoom, KvCacheOp.OUTCOME_STORED.U, KvCacheOp.OUTCOME_EVICTED.U)
        resultSlot := slot
        evictedPos := position(slot)
        when(!hasRoom) {
          bump(evictedCount, 1.U)
          when(isSealed(slot)) { refs(groupOf(slot)) := refs(groupOf(slot)) - 1.U }
        }.otherwise {
          occupancy := occupancy + 1.U
        }
        valid(slot) := true.B
        isSealed(slot) := false.B
        position(slot) := positionReg
        order(slot) := stored
        score.foreach(_(slot) := 0.U)
        ringOf(slot) := tail
        fpSlot(tail) := slot
        stored := stored + 1.U
        fpCount := fpCount + 1.U
        idx := 0.U
        state := Mux(fpCount === (r - 1).U, S.SealFind, S.Result)
      }
    }

    // ---- seal the oldest G tokens of the buffer
    is(S.SealFind) {
      entry := idx
      idx := idx + 1.U
      when(refs(idx) === 0.U) {
        state := S.SealExp
        c := 0.U
        i := 0.U
        ring := fpHead
        maxMag := 0.U
      }
    }
    is(S.SealExp) { // per channel c, the largest |key| over the G tokens (token i at entry `ring`)
      val m = KvQuantOps.magnitude(fpElement(ring, 0.U, c))
      val mm = Mux(m > maxMag, m, maxMag)
      ring := ringAdd(ring, 1.U)
      i := i + 1.U
      maxMag := mm
      when(i === (g - 1).U) {
        keyExp(c) := KvQuantOps.exponent(mm, kb, ekb)
        maxMag := 0.U
        i := 0.U
        ring := fpHead
        c := c + 1.U
        when(c === (d - 1).U) { state := S.SealTable }
      }
    }
    is(S.SealTable) {
      exponents(entry) := keyExp
      refs(entry) := g.U
      tok := 0.U
      ring := fpHead
      c := 0.U
      packer.clear()
      state := S.KBitmap
    }
    is(S.KBitmap) {
      val x = fpElement(ring, 0.U, c)
      val code = KvQuantOps.code(x, keyExp(c), kv.pruneThreshold, kb)
      countEntry(x, keyExp(c), code)
      packer.push((code =/= 0.S).asUInt, 1.U)
      c := c + 1.U
      when(c === (d - 1).U) { c := 0.U; state := S.KCodes }
    }
    is(S.KCodes) {
      val code = KvQuantOps.code(fpElement(ring, 0.U, c), keyExp(c), kv.pruneThreshold, kb)
      when(code =/= 0.S) { packer.push(KvQuantOps.field(code, kb), kb.U) }
      c := c + 1.U
      when(c === (d - 1).U) { c := 0.U; state := S.KFlush }
    }
    is(S.KFlush) {
      packer.flush()
      wPhase := 0.U
      state := S.KWrite
    }
    is(S.KWrite) {
      when(writeRecord(keyAddress(sealSlot))) {
        keyBeats(sealSlot) := packer.beats
        packer.clear()
        c := 0.U
        i := 0.U
        maxMag := 0.U
        state := S.VExp
      }
    }
    is(S.VExp) { // value group of channels c .. c+G-1: its exponent
      val m = KvQuantOps.magnitude(fpElement(ring, 1.U, c + i))
      val mm = Mux(m > maxMag, m, maxMag)
      maxMag := mm
      i := i + 1.U
      when(i === (g - 1).U) {
        valueExp := KvQuantOps.exponent(mm, vb, evb)
        i := 0.U
        state := S.VExpPush
      }
    }
    is(S.VExpPush) {
      packer.push(valueExp, evb.U)
      state := S.VBitmap
    }
    is(S.VBitmap) {
      val x = fpElement(ring, 1.U, c + i)
      val code = KvQuantOps.code(x, valueExp, kv.pruneThreshold, vb)
      countEntry(x, valueExp, code)
      packer.push((code =/= 0.S).asUInt, 1.U)
      i := i + 1.U
      when(i === (g - 1).U) { i := 0.U; state := S.VCodes }
    }
    is(S.VCodes) {
      val code = KvQuantOps.code(fpElement(ring, 1.U, c + i), valueExp, kv.pruneThreshold, vb)
      when(code =/= 0.S) { packer.push(KvQuantOps.field(code, vb), vb.U) }
      i := i + 1.U
      when(i === (g - 1).U) {
        i := 0.U
        maxMag := 0.U
        c := c + g.U
        state := Mux(c === (d - g).U, S.VFlush, S.VExp)
      }
    }
    is(S.VFlush) {
      packer.flush()
      wPhase := 0.U
      state := S.VWrite
    }
    is(S.VWrite) {
      when(writeRecord(valueAddress(sealSlot))) {
        valueBeats(sealSlot) := packer.beats
        isSealed(sealSlot) := true.B
        groupOf(sealSlot) := entry
        state := S.SealNext
      }
    }
    is(S.SealNext) {
      packer.clear()
      c := 0.U
      ring := ringAdd(ring, 1.U)
      tok := tok + 1.U
      when(tok === (g - 1).U) {
        fpHead := ringAdd(fpHead, g.U)
        fpCount := fpCount - g.U
        word := 0.U
        state := S.Result
      }.otherwise {
        state := S.KBitmap
      }
    }
    is(S.Result) {
      when(outFree) {
        val w = MuxLookup(word, resultPos.zext)(Seq(
          0.U -> outcome.zext,
          1.U -> Mux(outcome === KvCacheOp.OUTCOME_REFUSED.U, -1.S, resultSlot.zext),
          2.U -> Mux(outcome === KvCacheOp.OUTCOME_EVICTED.U, evictedPos.zext, -1.S)))
        val last = word === (KvCacheLayout.APPEND_RESULT_WORDS - 1).U
        emit(w, last)
        word := word + 1.U
        when(last) { state := S.Idle }
      }
    }

    // ---- SCORES / CONTEXT: one slot after the other
    is(S.LoadQ) {
      io.in.ready := true.B
      when(io.in.fire) {
        for (l <- 0 until lanes; b <- 0 until vecBeats if b * lanes + l < d) {
          when(beat === b.U) { query(b * lanes + l) := io.in.bits.data(l)(inB - 1, 0).asSInt }
        }
        beat := beat + 1.U
        when(beat === (vecBeats - 1).U) { state := S.SlotStart }
      }
    }
    is(S.SlotStart) {
      val lane = idx % lanes.U
      when(!isScores && !haveProbs) {
        state := S.ProbBeat
      }.otherwise {
        val p = probs(lane)
        val readIt = Mux(isScores, valid(idx), valid(idx) && p =/= 0.U)
        prob := p
        acc := 0.S
        c := 0.U
        if (hh) {
          when(!isScores && valid(idx)) {
            val s = score.get(idx) +& p
            val max = ((BigInt(1) << ev.scoreBits) - 1).U
            score.get(idx) := Mux(s > max, max, s)
          }
        }
        when(!readIt) {
          state := S.SlotEnd
        }.elsewhen(!isSealed(idx)) {
          state := S.Mac
        }.otherwise {
          state := S.ReadAr
        }
      }
    }
    is(S.ProbBeat) {
      io.in.ready := true.B
      when(io.in.fire) {
        probs := VecInit(io.in.bits.data.map(x => x(lay.probabilityBits - 1, 0)))
        haveProbs := true.B
        state := S.SlotStart
      }
    }
    is(S.Mac) { // unsealed slot: its entry of the full-precision buffer
      val x = fpElement(ringOf(idx), Mux(isScores, 0.U, 1.U), c)
      accumulate(x)
      c := c + 1.U
      when(c === (d - 1).U) { state := S.SlotEnd }
    }
    is(S.ReadAr) {
      axi.arvalid := true.B
      axi.araddr := Mux(isScores, keyAddress(idx), valueAddress(idx))
      val beats = Mux(isScores, keyBeats(idx), valueBeats(idx))
      axi.arlen := beats - 1.U
      when(axi.arready) {
        unpacker.start(beats)
        bump(bytesRead, beats * (bus / 8).U)
        c := 0.U
        i := 0.U
        state := Mux(isScores, S.RKBitmap, S.RVExp)
      }
    }
    is(S.RKBitmap) {
      pullTake := true.B
      when(pullOk) {
        nonZero(c) := pulled(0)
        c := c + 1.U
        when(c === (d - 1).U) { c := 0.U; state := S.RKCodes }
      }
    }
    is(S.RKCodes) {
      pullWidth := kb.U
      pullTake := nonZero(c)
      when(!nonZero(c) || pullOk) {
        val e = exponents(groupOf(idx))(c)
        val k = (KvQuantOps.codeOfField(pulled(kb - 1, 0), kb) << e)(inB, 0).asSInt
        accumulate(Mux(nonZero(c), k, 0.S))
        c := c + 1.U
        when(c === (d - 1).U) { state := S.SlotEnd }
      }
    }
    is(S.RVExp) {
      pullWidth := evb.U
      pullTake := true.B
      when(pullOk) {
        valueExp := pulled(evb - 1, 0)
        i := 0.U
        state := S.RVBitmap
      }
    }
    is(S.RVBitmap) {
      pullTake := true.B
      when(pullOk) {
        nonZero(i) := pulled(0)
        i := i + 1.U
        when(i === (g - 1).U) { i := 0.U; state := S.RVCodes }
      }
    }
    is(S.RVCodes) {
      pullWidth := vb.U
      pullTake := nonZero(i)
      when(!nonZero(i) || pullOk) {
        val v = (KvQuantOps.codeOfField(pulled(vb - 1, 0), vb) << valueExp)(inB, 0).asSInt
        accumulateAt(c + i, Mux(nonZero(i), v, 0.S))
        i := i + 1.U
        when(i === (g - 1).U) {
          i := 0.U
          c := c + g.U
          state := Mux(c === (d - g).U, S.SlotEnd, S.RVExp)
        }
      }
    }
    is(S.SlotEnd) {
      val lastSlot = idx === (cap - 1).U
      val done = WireDefault(true.B)
      when(isScores) {
        done := outFree
        when(outFree) { emit(Mux(valid(idx), acc, lay.maskScore.S(outBits.W)), lastSlot) }
      }
      when(done) {
        idx := idx + 1.U
        when(idx % lanes.U === (lanes - 1).U) { haveProbs := false.B }
        word := 0.U
        state := Mux(!lastSlot, S.SlotStart, Mux(isScores, S.Idle, S.ContextOut))
      }
    }
    is(S.ContextOut) {
      when(outFree) {
        val last = word === (d - 1).U
        emit(context(word), last)
        word := word + 1.U
        when(last) { state := S.Idle }
      }
    }
    is(S.CountersOut) {
      when(outFree) {
        val words = Seq(appendedCount, evictedCount, refusedCount, prunedCount, zeroCount, storedCount, bytesWritten,
          bytesRead, 0.U(KvCacheLayout.COUNTER_BITS.W) | occupancy, 0.U(KvCacheLayout.COUNTER_BITS.W) | overflow.asUInt)
        require(words.size == KvCacheModel.Counters.WORDS, s"${words.size} counter words")
        val last = word === (words.size - 1).U
        emit(VecInit(words.map(_.zext))(word), last)
        word := word + 1.U
        when(last) { state := S.Idle }
      }
    }
  }

  /** SCORES: acc += q_c * k_c; CONTEXT: context_c += p * v_c (channel c). */
  private def accumulate(x: SInt): Unit = {
    when(isScores) { acc := acc + query(c) * x }.otherwise { accumulateAt(c, x) }
  }

  private def accumulateAt(ch: UInt, x: SInt): Unit = {
    context(ch) := context(ch) + prob.zext * x
  }
}
