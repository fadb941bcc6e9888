package pimforge.layer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import pimforge.layer.ScratchLayout.ChannelConfig;
import pimforge.layer.ScratchLayout.SfuConfig;
import pimforge.golden.sfu.RopeTable;
import pimforge.params.Check;
import pimforge.params.HwParams;
import pimforge.params.ModelShape;
import pimforge.params.ParamError;

/**
 * Compiles one quantized layer for the layer top: a setup program (HOST_WEIGHTS of every static
 * bank, HOST_IN of the parameter block: biases, softmax and SFU configurations, gamma/beta) and a
 * layer program for {@code seqLen} tokens (HOST_IN of X, the layer, HOST_OUT of the output, END),
 * with wait masks from {@link ProgramBuilder}.
 *
 * <p>Dataflow (every tensor one row per token in the scratchpad, {@link ScratchLayout}):
 * <ul>
 *   <li>Attention input T = X (post-LN) or norm1(X) (pre-LN, SFU LOAD_NORM + NORM), copied to
 *       its per-channel bank-input scales (tw, SFU REQUANT_CHANNELS; {@link LayerQuantizer}).
 *   <li>Every product with weights is requantized per output channel (LOAD_CHANNELS of the
 *       table, then REQUANT_CHANNELS).
 *   <li>STRAIGHTFORWARD: Q, K, V = tw W + b (MVM over bank row blocks, bias on the first, the
 *       others ACCUMULATE), each requantized by the SFU. Per head: GATHER K_h^T and V_h into the
 *       head slot's runtime banks, scores = Q_h K_h^T (MVM), SOFTMAX rows (keys >= seqLen masked),
 *       context = P V_h (MVM, probabilities brought into inputBits by the MVM shift), SFU REQUANT
 *       into the head's columns of ctx.
 *   <li>DECOMPOSED: T is requantized into the weight range and gathered into the xT and x banks
 *       (the only runtime crossbar writes). Per head: Q_h W_K,h^T (MVM on the kT bank, input
 *       offset = the head's rows), requant, scores = (Q_h W_K,h^T) T^T (xT bank), softmax, P T
 *       (x bank), requant, (P T) W_V,h + b_V,h (the head's columns of the v bank), requant. K and
 *       V are never formed; the key bias is dropped (it shifts a score row uniformly).
 *   <li>Output projection, SFU RESIDUAL with X, norm; the FFN input copied to its per-channel
 *       bank-input scales (fq); FFN up (+ bias), requant to the activation format, ACTIVATE,
 *       requant to FFN-down's clipped input scale, FFN down, residual, norm (post-LN) or output
 *       (pre-LN); HOST_OUT.
 * </ul>
 */
public final class LayerCompiler {
  private LayerCompiler() {}

  /** The setup program and the layer program of one layer, without stream beats. */
  public record Programs(List<Instruction> setup, List<Instruction> layer) {}

  /**
   * The programs of a layer of this shape on {@code seqLen} tokens with zero data-dependent shift
   * and ALiBi fields: instruction for instruction what {@link #compile} emits for any weights apart
   * from those fields, so cycles, stage counters and events are exact without building (or
   * calibrating) a layer. Used by the schedules in the reports and by the cost model.
   */
  public static Programs programs(HwParams p, int seqLen) {
    checkSeqLen(p, seqLen);
    LayerPlan plan = LayerPlan.of(p);
    ScratchLayout sl = ScratchLayout.of(p, plan.lanes());
    return new Programs(LayerProgram.setup(plan, sl, new ProgramBuilder(p)),
        LayerProgram.layer(p, plan, sl, seqLen, LayerProgram.Shifts.ZERO, new ProgramBuilder(p)));
  }

  /** Compiles {@code layer} on the first {@code seqLen} tokens of its calibration input. */
  public static CompiledLayer compile(HwParams p, RandomLayers.RandomLayer layer, int seqLen) {
    checkSeqLen(p, seqLen);
    return compile(p, layer.quantized(), layer.quantized().quantizeInput(layer.input(seqLen), p.sfu().actBits()));
  }

  /**
   * @param input the layer input [seqLen][hidden] in the input format (QuantizedLayer#quantizeInput)
   */
  public static CompiledLayer compile(HwParams p, QuantizedLayer layer, long[][] input) {
    int seqLen = input.length;
    checkSeqLen(p, seqLen);
    ModelShape m = p.model();
    for (long[] row : input) {
      if (row.length != m.hiddenSize()) {
        throw new IllegalArgumentException("input row of " + row.length + " elements, expected " + m.hiddenSize());
      }
    }
    LayerPlan plan = LayerPlan.of(p);
    ScratchLayout sl = ScratchLayout.of(p, plan.lanes());
    LayerProgram.Shifts shifts = new LayerProgram.Shifts(layer.shiftProb(), layer.alibi());
    List<Instruction> setup = LayerProgram.setup(plan, sl, new ProgramBuilder(p));
    List<Instruction> program = LayerProgram.layer(p, plan, sl, seqLen, shifts, new ProgramBuilder(p));
    for (List<Instruction> prog : List.of(setup, program)) {
      if (prog.size() > plan.programDepth()) {
        throw new IllegalStateException("program of " + prog.size() + " instructions exceeds programDepth "
            + plan.programDepth());
      }
    }
    return new CompiledLayer(setup, setupBeats(p, plan, sl, layer), program,
        CompiledLayer.rowsToBeats(input, plan.lanes()), seqLen, m.hiddenSize(), plan.lanes());
  }

  /**
   * A layer compiled for autoregressive decoding (kvCache.enabled): the prefill (setup and the
   * layer program on the first tokens, which also fills the KV caches) and one decode program that
   * serves every later token (its position comes from the POSITION register).
   *
   * @param prefill setup and prefill programs with their beats
   * @param decodeProgram the decode step, END advancing POSITION by 1
   * @param stepBeats s_axis beats of each decode step (one token's input row)
   */
  public record DecodeLayer(CompiledLayer prefill, List<Instruction> decodeProgram, List<List<long[]>> stepBeats) {}

  /**
   * Compiles {@code layer} for a prefill of the first {@code prefillTokens} rows of {@code input}
   * followed by one decode step per remaining row.
   *
   * @param input [tokens][hidden] in the input format (QuantizedLayer#quantizeInput)
   * @throws ParamError when kvCache.enabled is off or prefillTokens is out of range
   */
  public static DecodeLayer compileDecode(HwParams p, QuantizedLayer layer, long[][] input, int prefillTokens) {
    Check.that(p.kvCache().enabled(), "kvCache.enabled", "is false, must be true to compile a decode step");
    Check.range("--seq", prefillTokens, 1, Math.min(input.length, p.attention().maxSeqLen()));
    if (p.cam().enabled()) {
      // The prefill writes CAM row t for token t; decode writes the slot the cache chose. They agree
      // while the prefill evicts nothing (an empty cache fills slots 0, 1, ... in order).
      int slots = pimforge.kvcache.KvCacheLayout.of(p).capacity();
      Check.that(prefillTokens <= slots, "--seq", "is " + prefillTokens + ", allowed 1.." + slots
          + " with cam.enabled (the KV cache's slots: the CAM's prefill rows must be the cache's slots)");
    }
    CompiledLayer prefill = compile(p, layer, Arrays.copyOf(input, prefillTokens));
    LayerPlan plan = LayerPlan.of(p);
    ScratchLayout sl = ScratchLayout.of(p, plan.lanes());
    List<Instruction> decode = LayerProgram.decode(p, plan, sl,
        new LayerProgram.Shifts(layer.shiftProb(), layer.alibi()), new ProgramBuilder(p));
    if (decode.size() > plan.programDepth()) {
      throw new IllegalStateException("decode program of " + decode.size() + " instructions exceeds programDepth "
          + plan.programDepth());
    }
    List<List<long[]>> steps = new ArrayList<>();
    for (int t = prefillTokens; t < input.length; t++) {
      steps.add(CompiledLayer.rowsToBeats(new long[][] {input[t]}, plan.lanes()));
    }
    return new DecodeLayer(prefill, decode, steps);
  }

  /**
   * Instruction slots needed: the longest of the setup program, the layer program at maxSeqLen and
   * (kvCache.enabled) the decode program.
   */
  static int programDepth(HwParams p, LayerPlan plan, ScratchLayout sl) {
    int setup = LayerProgram.setup(plan, sl, ProgramBuilder.counting(p)).size();
    int layer = LayerProgram.layer(p, plan, sl, p.attention().maxSeqLen(), LayerProgram.Shifts.ZERO,
        ProgramBuilder.counting(p)).size();
    int decode = p.kvCache().enabled()
        ? LayerProgram.decode(p, plan, sl, LayerProgram.Shifts.ZERO, ProgramBuilder.counting(p)).size() : 0;
    return Math.max(Math.max(setup, layer), decode);
  }

  static void checkSeqLen(HwParams p, int seqLen) {
    int max = p.attention().maxSeqLen();
    if (seqLen < 1 || seqLen > max) {
      throw new ParamError("seqLen", "is " + seqLen + ", allowed 1.." + max + " (attention.maxSeqLen)");
    }
  }

  private static List<long[]> setupBeats(HwParams p, LayerPlan plan, ScratchLayout sl, QuantizedLayer q) {
    List<long[]> beats = new ArrayList<>();
    int bankIn = p.derived().bankInputs();
    int bankOut = p.derived().bankOutputs();
    for (LayerPlan.BankBlock b : plan.banks()) {
      if (!b.runtime()) {
        int[][] w = staticMatrix(p, q, b.role());
        int[][] block = new int[bankIn][bankOut];
        for (int r = 0; r < bankIn && b.blockRow() * bankIn + r < w.length; r++) {
          int row = b.blockRow() * bankIn + r;
          for (int c = 0; c < bankOut && b.blockCol() * bankOut + c < w[row].length; c++) {
            block[r][c] = w[row][b.blockCol() * bankOut + c];
          }
        }
        beats.addAll(BankWeightStream.of(p, block));
      }
    }
    int lanes = plan.lanes();
    long[] params = new long[sl.paramWords() * lanes];
    put(params, sl, "bias.q", q.bq());
    if (sl.has("bias.k")) {
      put(params, sl, "bias.k", q.bk());
    }
    put(params, sl, "bias.v", q.bv());
    put(params, sl, "bias.o", q.bo());
    if (sl.has("bias.qRot")) {
      RopeTable rope = RopeTable.of(p);
      put(params, sl, "bias.qRot", RotaryWeights.partnerBias(q.bq(), rope));
      put(params, sl, "bias.kRot", RotaryWeights.partnerBias(q.bk(), rope));
    }
    put(params, sl, "bias.ffnUp", q.bUp());
    if (sl.has("bias.ffnGate")) {
      put(params, sl, "bias.ffnGate", q.bGate());
    }
    put(params, sl, "bias.ffnDown", q.bDown());
    put(params, sl, "softmaxConfig", q.softmax().packet(p));
    if (sl.has("camConfig")) {
      int words = p.camDerived().configBeats() * lanes;
      long[] packets = new long[p.model().numHeads() * words];
      for (int h = 0; h < p.model().numHeads(); h++) {
        System.arraycopy(pimforge.golden.cam.CamPackets.configure(p, q.camSoftmax()[h]), 0, packets, h * words, words);
      }
      put(params, sl, "camConfig", packets);
    }
    for (SfuConfig c : SfuConfig.values()) {
      if (q.sfu().containsKey(c)) {
        put(params, sl, "cfg." + c, q.sfu(c).values());
      }
    }
    for (ChannelConfig c : ChannelConfig.values()) {
      if (c.usedBy(p)) {
        put(params, sl, "chan." + c, q.channels(c).packet(lanes));
      }
    }
    put(params, sl, "norm1", concat(q.gamma1(), q.beta1()));
    put(params, sl, "norm2", concat(q.gamma2(), q.beta2()));
    for (int w = 0; w < sl.paramWords(); w++) {
      beats.add(Arrays.copyOfRange(params, w * lanes, (w + 1) * lanes));
    }
    return beats;
  }

  private static int[][] staticMatrix(HwParams p, QuantizedLayer q, String role) {
    return switch (role) {
      case "q" -> q.wq();
      case "k" -> q.wk();
      case "kT" -> transpose(q.wk());
      case "v" -> q.wv();
      case "o" -> q.wo();
      case "qRot" -> RotaryWeights.partnerColumns(q.wq(), RopeTable.of(p));
      case "kRot" -> RotaryWeights.partnerColumns(q.wk(), RopeTable.of(p));
      case "ffnUp" -> q.wUp();
      case "ffnGate" -> q.wGate();
      case "ffnDown" -> q.wDown();
      default -> throw new IllegalArgumentException("no static matrix for role " + role + " ("
          + p.attention().schedule() + ")");
    };
  }

  private static int[][] transpose(int[][] w) {
    int[][] t = new int[w[0].length][w.length];
    for (int i = 0; i < w.length; i++) {
      for (int o = 0; o < w[0].length; o++) {
        t[o][i] = w[i][o];
      }
    }
    return t;
  }

  private static void put(long[] params, ScratchLayout sl, String region, long[] values) {
    System.arraycopy(values, 0, params, sl.at(region) * (params.length / sl.paramWords()), values.length);
  }

  private static long[] concat(long[] a, long[] b) {
    long[] c = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }
}
