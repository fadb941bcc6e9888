package pimforge.layer;

/**
 * Opcodes of the layer top's instruction memory. A program is a list of {@link Instruction}s the
 * host writes over AXI4-Lite and starts with CTRL.START; it runs until END. Scratchpad addresses
 * are in words of {@code LayerPlan.lanes()} elements of {@code LayerPlan.elementBits()} signed bits.
 * "Iteration it" runs 0..repeat-1 with src' = src + it*srcStep, src2' = src2 + it*srcStep,
 * dst' = dst + it*dstStep. sat(v, n) saturates v to n-bit signed; satSym(v, n) to +-(2^(n-1)-1).
 */
public enum Opcode {
  /** Waits until every engine is idle, then sets STATUS.DONE and stops. */
  END(null, null),
  /** For each iteration: len beats from s_axis into sp[dst' ..]. */
  HOST_IN(Engine.HOST_IN, new HostStreamSpecs.HostIn()),
  /** For each iteration: sp[src' ..] len beats to m_axis; TLAST on the instruction's final beat. */
  HOST_OUT(Engine.HOST_OUT, new HostStreamSpecs.HostOut()),
  /**
   * Banks bank..bank+bankCount-1, one after the other: a LoadWeights packet (the bank's weight
   * stream, see PimBank) taken beat by beat from s_axis. Element values are taken mod 2^weightBits.
   */
  HOST_WEIGHTS(Engine.MATRIX, new WeightWriteSpecs.HostWeights()),
  /**
   * Bank {@code bank}: a LoadWeights packet gathered from the scratchpad (a runtime crossbar
   * write): weight (in, out) = in < len && out < src2 ? satSym(elem(src*lanes + in*a + out*b),
   * weightBits) : 0, where elem(e) is lane e % lanes of word e / lanes.
   */
  GATHER_WEIGHTS(Engine.MATRIX, new WeightWriteSpecs.GatherWeights()),
  /**
   * For each iteration: x = bankInputs zeros with x[a*lanes + e] = sp[src' ..] (len beats); if
   * shift > 0 x = (x + 2^(shift-1)) >> shift; x = satSym(x, inputBits), or with b&UNSIGNED_INPUT
   * x = min(max(x, 0), 2^inputBits - 1) and the banks multiply unsigned inputs. Every bank k of
   * bank..bank+bankCount-1 computes y_k = x W_k; word j of y_k goes to sp[dst' + k*outBeats + j]
   * (outBeats = bankOutputs / lanes) as sat(y + (b&ACCUMULATE ? old value : 0)
   * + (b&BIAS ? sp[src2 + k*outBeats + j] : 0), elementBits).
   */
  MVM(Engine.MATRIX, new MvmSpec()),
  /**
   * cmd = SoftmaxOp. Configure: sp[src ..] len beats as the configure packet. Row, each iteration
   * it: the row sp[src' ..] len beats, element e >= valid = a + it*b replaced by maskValue (b = 1:
   * causal rows), others less round((valid - 1 - e) * src2 >> shift) (the ALiBi bias, src2 = 0: none)
   * and clamped to [maskValue + 1, 2^(inputBits-1) - 1]; the probabilities (len beats) go to sp[dst' ..].
   */
  SOFTMAX(Engine.SOFTMAX, new SoftmaxSpec()),
  /**
   * cmd = SfuOp; input elements are sat(v, sfu.accBits). CONFIGURE, LOAD_NORM: sp[src ..] len
   * beats as the packet, no output. REQUANT, ACTIVATE, NORM, each iteration: sp[src' ..] len beats
   * in, len beats out to sp[dst' ..]. RESIDUAL, each iteration: beats sp[src'+i], sp[src2'+i]
   * alternating for i < len; len beats out to sp[dst' ..].
   */
  SFU(Engine.SFU, new SfuSpec()),
  /**
   * cmd = pimforge.kvcache.KvCacheOp (APPEND, SCORES, CONTEXT), on the controller of KV head
   * {@code bank}; only in a layer top with kvCache.enabled. in(x) = satSym(round(x >> shift),
   * kvCache inputBits); out(y) = sat(round(y >> a), elementBits). Each iteration it: APPEND: key
   * in(sp[src' ..]) and value in(sp[src2' ..]) (headDim elements each), the result words to sp[dst' ..];
   * SCORES: query in(sp[src' ..]), per slot out(score) to sp[dst' ..], an empty slot as the softmax
   * unit's mask value; CONTEXT: probabilities sp[src' ..] (one per slot, clamped to
   * 0..2^outputBits - 1), out(sum_s p_s v'_s) per channel to sp[dst' ..]. Durations depend on the
   * cache's contents (eviction, sealing, record lengths): {@link LayerTiming} does not cover KV.
   */
  KV(Engine.KV, new KvSpec()),
  /**
   * cmd = pimforge.golden.cam.CamOp on the CAM attention unit of KV head {@code bank}; only in a
   * layer top with cam.enabled. Key and query in: satSym(round(x >> shift), cam.keyBits); value in:
   * satSym(round(x >> a), cam.valueBits). CONFIGURE: sp[src ..] camDerived.configBeats beats
   * (softmax multiplier, shift). CLEAR: every row empty. WRITE, each iteration it: row = len + it,
   * or with b = 1 the slot of the KV APPEND result at sp[dst'] (element 1; a refused append, slot
   * -1, writes nothing); key sp[src' ..], value sp[src2' ..] (headDim elements each). QUERY, each
   * iteration it: query sp[src' ..] against rows 0..min(keys, len + it*b)-1 (b = 1: a causal
   * prefill), context sat(y << a, elementBits) to sp[dst' ..] (headDim elements, a <= 31).
   * Durations are CamSchedule's, a lower bound for a WRITE from an APPEND ({@link LayerTiming#exact}).
   */
  CAM(Engine.CAM, new CamSpec());

  private final Engine engine;
  private final OpcodeSpec spec;

  Opcode(Engine engine, OpcodeSpec spec) {
    this.engine = engine;
    this.spec = spec;
  }

  /** Duration, crossbar writes, footprint and golden execution (null for END). */
  OpcodeSpec spec() {
    return spec;
  }

  /** The engine that executes it (null for END, which the dispatcher handles). */
  public Engine engine() {
    return engine;
  }

  public int code() {
    return ordinal();
  }

  public static Opcode of(int code) {
    if (code < 0 || code >= values().length) {
      throw new IllegalArgumentException("no opcode " + code);
    }
    return values()[code];
  }
}
