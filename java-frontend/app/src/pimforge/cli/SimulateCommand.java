package pimforge.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import pimforge.cosim.BankCosim;
import pimforge.cosim.BankStimulus;
import pimforge.cosim.DecodeCosim;
import pimforge.cosim.KvCacheCosim;
import pimforge.cosim.LayerCosim;
import pimforge.cosim.LayerRun;
import pimforge.cosim.ModelCosim;
import pimforge.cosim.StreamRun;
import pimforge.cosim.VerilatorBuild;
import pimforge.golden.BankSchedule;
import pimforge.layer.CompiledLayer;
import pimforge.params.CamParams;
import pimforge.layer.Similarity;
import pimforge.layer.LayerCompiler;
import pimforge.layer.LayerPlan;
import pimforge.layer.LayerStage;
import pimforge.layer.LayerSupport;
import pimforge.layer.RandomLayers;
import java.util.List;
import pimforge.minilm.AccuracyEvaluation;
import pimforge.minilm.AccuracySentences;
import pimforge.minilm.CompiledEncoder;
import pimforge.minilm.MiniLmTokenizer;
import pimforge.minilm.MiniLmWeights;
import pimforge.params.Check;
import pimforge.kvcache.KvCacheLayout;
import pimforge.kvcache.KvCacheModel;
import pimforge.params.HwParams;
import pimforge.params.KvCacheParams;
import pimforge.params.ModelShape;
import pimforge.params.ParamError;

/**
 * {@code pimforge simulate}: builds the design in Verilator (cached by RTL hash) and compares it
 * with the golden model. The default top, LayerTop, runs one whole layer (seeded random weights
 * and input, quantized and compiled); PimBank runs seeded random vectors through one bank;
 * KvCacheController runs one layer and KV head's cache through a prefill and decode steps.
 */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    versionProvider = PimforgeCli.Version.class,
    description = "Co-simulate one layer (LayerTop), one PIM bank (PimBank) or one KV-cache controller "
        + "(KvCacheController) in Verilator against the bit-exact golden model. Exit code 1 on a mismatch.")
final class SimulateCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  DesignOptions design;

  @Option(names = "--seed", defaultValue = "1", description = "Seed of weights, inputs and stalls (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--top", paramLabel = "MODULE", defaultValue = LayerRun.TOP,
      description = "LayerTop (one whole layer, default), ModelTop (the layers chained), PimBank (one bank) or "
          + "KvCacheController (one layer and KV head's KV cache).")
  String top;

  @Option(names = "--layers", paramLabel = "N",
      description = "ModelTop: co-simulate the first N layers of the model (1..model layers, default: all).")
  Integer layers;

  @Option(names = "--weights", paramLabel = "real",
      description = "real: co-simulate the model top with the model's real weights on a tokenized sentence "
          + "(all-minilm-l6-v2, which ships its weights) and compare with the float reference.")
  String weights;

  @Option(names = "--text", paramLabel = "\"...\"",
      description = "--weights real: the sentence (default: a built-in one); at most attention.maxSeqLen tokens.")
  String text;

  /** The sentence --weights real runs when --text does not say. */
  static final String DEFAULT_TEXT = "Processing in memory keeps the weights of every layer where they are stored.";

  @Option(names = "--seq", paramLabel = "N",
      description = "LayerTop: tokens (1..attention.maxSeqLen, default: " + DEFAULT_SEQ + " or maxSeqLen if smaller); "
          + "KvCacheController: prefill tokens P (0..model.maxPositions, default " + DEFAULT_SEQ + ").")
  Integer seqLen;

  @Option(names = "--decode", paramLabel = "N",
      description = "LayerTop: after a prefill of --seq tokens, N decode steps, each the same compiled decode program "
          + "over the KV caches (sets kvCache.enabled; a decoder model with STRAIGHTFORWARD attention). "
          + "KvCacheController: decode steps after the prefill (P + N <= model.maxPositions, default: "
          + DEFAULT_DECODE + ").")
  Integer decode;

  /** Decode steps of the KV-cache controller when --decode does not say. */
  static final int DEFAULT_DECODE = 8;

  @Option(names = "--kv-policy", paramLabel = "POLICY",
      description = "With LayerTop --decode or KvCacheController: overrides kvCache.policy (FULL, SLIDING_WINDOW, "
          + "SINKS_WINDOW, HEAVY_HITTER).")
  String kvPolicy;

  @Option(names = "--attention", paramLabel = "KIND",
      description = "LayerTop: dense (scores, softmax and context on the crossbars and the softmax unit) or cam (each "
          + "head's in the CAM attention unit of its KV head: sets cam.enabled and cam.lanes = crossbar.lanes; needs "
          + "STRAIGHTFORWARD attention). Default: the design's cam.enabled.")
  String attention;

  @Option(names = "--input", paramLabel = "<x.json>",
      description = "LayerTop: the layer input from a file, a JSON array of token vectors (seq x model.hiddenSize"
          + " floats) instead of the seeded random one; the weights stay those of --seed.")
  Path input;

  @Option(names = "--dump", paramLabel = "<out.json>",
      description = "LayerTop: write the input and the hardware, golden-model and float-reference outputs"
          + " (seq x hidden floats each) to this JSON file.")
  Path dump;

  /** Tokens simulated when neither --seq nor --input says: short, so that a first run takes seconds. */
  static final int DEFAULT_SEQ = 16;

  @Option(names = "--vectors", defaultValue = "16", description = "PimBank: random input vectors after the corner cases (default: ${DEFAULT-VALUE}).")
  int vectors;

  @Option(names = "--stalls", defaultValue = "0", paramLabel = "PERCENT",
      description = "Percent of cycles the host withholds valid/ready (0..90, default: ${DEFAULT-VALUE}).")
  int stallPercent;

  @Option(names = "--waves", paramLabel = "<out.fst>", description = "Write an FST waveform (builds a traced simulator).")
  Path waves;

  @Option(names = "--cache", paramLabel = "DIR", defaultValue = "verilog-out/.cosim-cache",
      description = "Where Verilator builds are cached (default: ${DEFAULT-VALUE}).")
  Path cache;

  @Override
  public Integer call() throws Exception {
    Check.range("--stalls", stallPercent, 0, 90);
    Check.range("--vectors", vectors, 0, 100000);
    HwParams p = withAttention(design.params());
    if (weights != null) {
      if (!weights.equals("real")) {
        throw new ParamError("--weights", "is '" + weights + "', allowed real");
      }
      return realModel(p);
    }
    if (text != null) {
      throw new ParamError("--text", "applies to --weights real only");
    }
    if (top.equals(LayerRun.TOP) && decode != null) {
      return decodeSteps(p);
    }
    if (top.equals(LayerRun.TOP) && kvPolicy != null) {
      throw new ParamError("--kv-policy", "applies with --decode (LayerTop) or --top " + KvCacheCosim.TOP + " only");
    }
    if (!top.equals(LayerRun.TOP) && !top.equals(KvCacheCosim.TOP) && (decode != null || kvPolicy != null)) {
      throw new ParamError(decode != null ? "--decode" : "--kv-policy", "applies to --top LayerTop or --top "
          + KvCacheCosim.TOP + " only");
    }
    return switch (top) {
      case LayerRun.TOP -> layer(p);
      case "PimBank" -> bank(p);
      case ModelCosim.TOP -> model(p);
      case KvCacheCosim.TOP -> kvCache(p);
      default -> throw new ParamError("--top", "is '" + top + "', allowed LayerTop, ModelTop, PimBank, "
          + KvCacheCosim.TOP);
    };
  }

  /** The design with --attention applied (cam: cam.enabled, cam.lanes = crossbar.lanes). */
  private HwParams withAttention(HwParams p) {
    if (attention == null) {
      return p;
    }
    if (!top.equals(LayerRun.TOP)) {
      throw new ParamError("--attention", "applies to --top LayerTop only");
    }
    CamParams c = p.cam();
    return switch (attention) {
      case "dense" -> p.withCam(c.withEnabled(false));
      case "cam" -> p.withCam(c.withEnabled(true).withLanes(p.crossbar().lanes()));
      default -> throw new ParamError("--attention", "is '" + attention + "', allowed dense, cam");
    };
  }

  /** How the layer's attention runs, for the summary line. */
  private static String attentionKind(HwParams p) {
    if (!p.cam().enabled()) {
      return p.attention().schedule() + " attention";
    }
    CamParams c = p.cam();
    return String.format("CAM attention (top-%d of %d rows in tiles of %d, %d-bit match ADC, %d stage%s%s)", c.topK(),
        p.camDerived().keys(), c.rowsPerTile(), c.matchAdcBits(), c.stages(), c.stages() > 1 ? "s" : "",
        c.rescore() ? ", re-scored" : "");
  }

  private String replayHint(String extra) {
    return "replay: pimforge simulate --model " + design.model + (design.hw != null ? " --hw " + design.hw : "")
        + " --top " + top + " --seed " + seed + " --stalls " + stallPercent
        + (attention != null ? " --attention " + attention : "") + extra;
  }

  private int layer(HwParams p) throws Exception {
    int maxSeq = p.attention().maxSeqLen();
    double[][] userInput = input == null ? null
        : LayerIo.readTokens("--input", input, p.model().hiddenSize(), maxSeq);
    int seq = userInput != null ? userInput.length : seqLen == null ? Math.min(DEFAULT_SEQ, maxSeq) : seqLen;
    if (seq < 1 || seq > maxSeq) {
      throw new ParamError("--seq", "is " + seq + ", allowed 1.." + maxSeq + " (attention.maxSeqLen)");
    }
    if (userInput != null && seqLen != null && seqLen != seq) {
      throw new ParamError("--seq", "is " + seqLen + ", but --input holds " + seq + " tokens; give one of them");
    }
    LayerSupport.require(p);
    LayerPlan plan = LayerPlan.of(p);
    RandomLayers.RandomLayer random = RandomLayers.of(p, seed);
    double[][] x = userInput != null ? userInput : random.input(seq);
    CompiledLayer compiled = LayerCompiler.compile(p, random.quantized(),
        random.quantized().quantizeInput(x, p.sfu().actBits()));
    var o = spec.commandLine().getOut();
    VerilatorBuild.Simulator sim = LayerCosim.build(p, cache, waves != null);
    String hint = replayHint(input != null ? " --input " + input : " --seq " + seq);
    LayerCosim.Outcome out = LayerCosim.run(p, sim, compiled, new StreamRun.Stalls(stallPercent, seed), waves, hint);

    o.printf("design %s, LayerTop: %d banks of %dx%d, %s, %s, %s, seq %d, seed %d%s%n", p.model().name(),
        plan.banks().size(), p.derived().bankInputs(), p.derived().bankOutputs(), attentionKind(p),
        p.model().family() == ModelShape.Family.DECODER ? "causal decoder" : "bidirectional encoder",
        p.model().preNorm() ? "pre-norm" : "post-norm", seq, seed, input != null ? ", input from " + input : "");
    o.printf("bit-exact: %s%n", out.bitExact() ? "yes" : "NO, first mismatch: " + out.firstMismatch());
    o.println("cycles per stage (hardware counters; schedule in parentheses where it differs):");
    for (LayerStage s : LayerStage.values()) {
      long hw = out.measured().stage(s);
      long sched = out.schedule().stage(s);
      if (hw != 0 || sched != 0) {
        o.printf("  %-11s %10d%s%n", s, hw, hw == sched ? "" : " (" + sched + ")");
      }
    }
    o.printf("total %d cycles (schedule %d), %d instructions, crossbar writes %d weights (golden model %d)%n",
        out.measured().cycles(), out.schedule().cycles(), out.measured().instructions(), out.measured().xbarWrites(),
        out.goldenCrossbarWrites());
    o.printf("setup (static weights, parameters): %d cycles, %d weights written%n", out.setup().cycles(),
        out.setup().xbarWrites());
    if (stallPercent == 0) {
      o.printf("counters match the schedule: %s%n", out.countersMatch() ? "yes" : "NO, " + out.counterMismatch());
    }
    double[][] want = random.floatLayer().forward(x);
    double[][] got = random.quantized().dequantizeOutput(compiled.expectedOutput(p));
    o.printf(Locale.ROOT, "golden model vs float layer: cosine %.5f, max |error| %.4f%n", Similarity.cosine(got, want),
        Similarity.maxAbsError(got, want));
    if (dump != null) {
      double[][] hw = random.quantized().dequantizeOutput(compiled.toMatrix(out.hardwareBeats()));
      LayerIo.writeOutputs(dump, p.model().name(), seed, x, hw, got, want, out.bitExact());
      o.println("outputs written to " + dump);
    }
    o.printf("simulated %.0f cycles/s (build %.1f s%s)%n", out.cyclesPerSecond(), sim.buildSeconds(),
        sim.buildSeconds() == 0 ? ", cached" : "");
    if (waves != null) {
      o.println("waves: " + waves);
    }
    boolean ok = out.bitExact() && (stallPercent > 0 || out.countersMatch());
    if (!ok) {
      spec.commandLine().getErr().println(hint);
    }
    return ok ? 0 : 1;
  }

  /**
   * Prefill plus --decode steps on one layer top with the KV-cache controllers (DecodeCosim): per
   * step cycles, cache occupancy, tokens evicted or refused and bytes moved. A FULL cache that
   * refuses tokens is reported as an error naming kvCache.budgetTokens (exit 2).
   */
  /**
   * The design's kvCache with --kv-policy (when given) as its policy and {@code enabled} as its
   * layer-top switch; the record validates the combination.
   */
  private HwParams withKvCache(HwParams base, boolean enabled) {
    KvCacheParams k = base.kvCache();
    KvCacheParams.Policy policy = k.policy();
    if (kvPolicy != null) {
      try {
        policy = KvCacheParams.Policy.valueOf(kvPolicy);
      } catch (IllegalArgumentException e) {
        throw new ParamError("--kv-policy", "is '" + kvPolicy + "', allowed FULL, SLIDING_WINDOW, SINKS_WINDOW, "
            + "HEAVY_HITTER");
      }
    }
    return base.withKvCache(new KvCacheParams(policy, k.budgetTokens(), k.sinkTokens(), k.windowTokens(),
        k.keyBits(), k.valueBits(), k.groupSize(), k.pruneThreshold(), k.fullPrecisionTokens(), enabled));
  }

  private int decodeSteps(HwParams base) throws Exception {
    if (input != null || dump != null) {
      throw new ParamError(input != null ? "--input" : "--dump", "does not apply with --decode");
    }
    HwParams p = withKvCache(base, true);
    KvCacheParams k = p.kvCache();
    KvCacheParams.Policy policy = k.policy();
    LayerSupport.require(p);
    int maxSeq = p.attention().maxSeqLen();
    int prefill = seqLen == null ? Math.min(DEFAULT_SEQ, maxSeq) : seqLen;
    Check.range("--seq", prefill, 1, maxSeq);
    Check.range("--decode", decode, 1, p.model().maxPositions() - prefill);
    var o = spec.commandLine().getOut();
    VerilatorBuild.Simulator sim = LayerCosim.build(p, cache, waves != null);
    String hint = replayHint(" --seq " + prefill + " --decode " + decode + " --kv-policy " + policy);
    DecodeCosim.Outcome out = DecodeCosim.run(p, sim, seed, prefill, decode, new StreamRun.Stalls(stallPercent, seed),
        waves, hint);
    var kl = pimforge.kvcache.KvCacheLayout.of(p);
    o.printf("design %s, LayerTop with %d KV-cache controllers: %s, budget %d tokens (capacity %d), keys %d bits, "
            + "values %d bits, groups of %d, full-precision window %d, prune <= %d steps; seed %d%n", p.model().name(),
        p.model().numKvHeads(), policy, k.budgetTokens(), kl.capacity(), k.keyBits(), k.valueBits(), k.groupSize(),
        k.fullPrecisionTokens(), k.pruneThreshold(), seed);
    o.printf("attention: %s%n", attentionKind(p));
    o.printf("bit-exact (every phase and the KV memory image): %s%n",
        out.bitExact() ? "yes" : "NO, first mismatch: " + out.firstMismatch());
    o.printf("prefill of %d tokens: %d cycles%n", prefill, out.prefillCycles());
    o.println("decode steps (KV figures summed over the KV heads, counts since the start):");
    o.println("  position   cycles  occupancy  evicted  refused  bytes written  bytes read  cosine vs full cache");
    long refused = 0;
    for (DecodeCosim.Step s : out.steps()) {
      o.printf(Locale.ROOT, "  %8d %8d %10d %8d %8d %14d %11d %21.4f%n", s.position(), s.cycles(), s.occupancy(),
          s.evicted(), s.refused(), s.bytesWritten(), s.bytesRead(), s.cosineVsFullCache());
      refused = s.refused();
    }
    o.printf("simulated %.0f cycles/s (build %.1f s%s)%n", out.simulatedCycles() / Math.max(1e-9, out.simSeconds()),
        sim.buildSeconds(), sim.buildSeconds() == 0 ? ", cached" : "");
    if (!out.bitExact()) {
      spec.commandLine().getErr().println(hint);
      return 1;
    }
    if (refused > 0) {
      throw new ParamError("kvCache.budgetTokens", "is " + k.budgetTokens() + ": the FULL policy refused "
          + refused / p.model().numKvHeads() + " tokens past it in each KV head (STATUS.KV_OVERFLOW set); allowed at most "
          + k.budgetTokens() + " cached tokens: raise it or choose an evicting --kv-policy");
    }
    return 0;
  }

  /** The model top (or its first --layers layers): seeded random layers, each its own weights. */
  private int model(HwParams full) throws Exception {
    if (input != null || dump != null) {
      throw new ParamError(input != null ? "--input" : "--dump", "applies to --top LayerTop only");
    }
    int n = layers == null ? full.model().numLayers() : layers;
    Check.range("--layers", n, 1, full.model().numLayers());
    HwParams p = full.withModel(full.model().withNumLayers(n));
    int maxSeq = p.attention().maxSeqLen();
    int seq = seqLen == null ? Math.min(DEFAULT_SEQ, maxSeq) : seqLen;
    Check.range("--seq", seq, 1, maxSeq);
    LayerSupport.require(p);
    LayerPlan plan = LayerPlan.of(p);
    java.util.List<CompiledLayer> compiled = new java.util.ArrayList<>();
    for (int l = 0; l < n; l++) {
      compiled.add(LayerCompiler.compile(p, RandomLayers.of(p, seed * 31 + l), seq));
    }
    var o = spec.commandLine().getOut();
    VerilatorBuild.Simulator sim = ModelCosim.build(p, cache, waves != null);
    String hint = replayHint(" --layers " + n + " --seq " + seq);
    ModelCosim.Outcome out = ModelCosim.run(p, sim, compiled, new StreamRun.Stalls(stallPercent, seed), waves, hint);
    o.printf("design %s, ModelTop: %d layers x %d banks of %dx%d, %s attention, seq %d, seed %d%n",
        p.model().name(), n, plan.banks().size(), p.derived().bankInputs(), p.derived().bankOutputs(),
        p.attention().schedule(), seq, seed);
    o.printf("bit-exact (last layer's output vs chained golden models): %s%n",
        out.bitExact() ? "yes" : "NO, first mismatch: " + out.firstMismatch());
    printLayerCounters(o, out);
    return finishModelRun(o, out, sim, hint);
  }

  /** Each layer's counters, and whether they match the schedules (without stalls). */
  private void printLayerCounters(java.io.PrintWriter o, ModelCosim.Outcome out) {
    for (int l = 0; l < out.layerCounters().size(); l++) {
      LayerRun.Counters c = out.layerCounters().get(l);
      o.printf("  layer %d: %d cycles from START (waiting for its input included), %d instructions, %d crossbar "
          + "writes%n", l, c.cycles(), c.instructions(), c.xbarWrites());
    }
    if (stallPercent == 0) {
      o.printf("counters match the schedules: %s%n", out.scheduleMismatch() == null ? "yes" : "NO, "
          + out.scheduleMismatch());
    }
  }

  /** The simulation speed line; exit code 0 when bit-exact and (without stalls) on schedule. */
  private int finishModelRun(java.io.PrintWriter o, ModelCosim.Outcome out, VerilatorBuild.Simulator sim,
      String hint) {
    o.printf("simulated %d cycles at %.0f cycles/s (build %.1f s%s)%n", out.totalCycles(), out.cyclesPerSecond(),
        sim.buildSeconds(), sim.buildSeconds() == 0 ? ", cached" : "");
    boolean ok = out.bitExact() && (stallPercent > 0 || out.scheduleMismatch() == null);
    if (!ok) {
      spec.commandLine().getErr().println(hint);
    }
    return ok ? 0 : 1;
  }

  /** The model top's first --layers layers with the real MiniLM weights on one tokenized sentence. */
  private int realModel(HwParams full) throws Exception {
    if (!full.model().name().equals(MiniLmWeights.PRESET)) {
      throw new ParamError("--weights", "is real, but " + full.model().name() + " ships no weights (allowed for "
          + MiniLmWeights.PRESET + ")");
    }
    int n = layers == null ? full.model().numLayers() : layers;
    Check.range("--layers", n, 1, full.model().numLayers());
    int maxSeq = full.attention().maxSeqLen();
    int[] ids;
    try (MiniLmTokenizer tok = new MiniLmTokenizer(1 << 16)) {
      ids = tok.encode(text == null ? DEFAULT_TEXT : text);
    }
    if (ids.length > maxSeq) {
      throw new ParamError("--text", "is " + ids.length + " tokens after tokenization, allowed 1.." + maxSeq
          + " (attention.maxSeqLen)");
    }
    if (seqLen != null) {
      Check.range("--seq", seqLen, 2, ids.length);
      int[] cut = java.util.Arrays.copyOf(ids, seqLen);
      cut[seqLen - 1] = ids[ids.length - 1]; // keep the closing [SEP]
      ids = cut;
    }
    var o = spec.commandLine().getOut();
    MiniLmWeights w = MiniLmWeights.load();
    List<int[]> calibration;
    try (MiniLmTokenizer tok = new MiniLmTokenizer()) {
      calibration = AccuracyEvaluation.tokenize(tok, AccuracySentences.CALIBRATION);
    }
    CompiledEncoder encoder = new CompiledEncoder(w, full, calibration);
    CompiledEncoder.LayerPrograms programs = encoder.compileLayers(ids, n);
    HwParams p = full.withModel(full.model().withNumLayers(n));
    VerilatorBuild.Simulator sim = ModelCosim.build(p, cache, waves != null);
    String hint = replayHint(" --weights real --layers " + n + (text != null ? " --text \"" + text + "\"" : "")
        + (seqLen != null ? " --seq " + seqLen : ""));
    ModelCosim.Outcome out = ModelCosim.run(p, sim, programs.layers(), new StreamRun.Stalls(stallPercent, seed),
        waves, hint);
    CompiledLayer last = programs.layers().get(n - 1);
    double[][] hw = CompiledEncoder.dequantize(last.toMatrix(out.outBeats()), programs.outputExp());
    float[][] ref = encoder.floatHiddenState(ids, n);
    double[][] want = new double[ref.length][];
    for (int t = 0; t < ref.length; t++) {
      want[t] = new double[ref[t].length];
      for (int e = 0; e < ref[t].length; e++) {
        want[t][e] = ref[t][e];
      }
    }
    o.printf("design %s, ModelTop with real weights: %d of %d layers, %d tokens: %s%n", p.model().name(), n,
        full.model().numLayers(), ids.length, text == null ? DEFAULT_TEXT : text);
    o.printf("bit-exact (vs %s, layers chained): %s%n", CompiledEncoder.DATAPATH,
        out.bitExact() ? "yes" : "NO, first mismatch: " + out.firstMismatch());
    printLayerCounters(o, out);
    o.printf(Locale.ROOT, "hardware vs float reference after layer %d: cosine %.5f, max |error| %.4f%n", n - 1,
        Similarity.cosine(hw, want), Similarity.maxAbsError(hw, want));
    return finishModelRun(o, out, sim, hint);
  }

  private int bank(HwParams p) throws Exception {
    if (input != null || dump != null) {
      throw new ParamError(input != null ? "--input" : "--dump", "applies to --top LayerTop only");
    }
    var o = spec.commandLine().getOut();
    VerilatorBuild.Simulator sim = BankCosim.build(p, cache, waves != null);
    String hint = replayHint(" --vectors " + vectors);
    BankCosim.Outcome out = BankCosim.run(p, sim, BankStimulus.random(p, seed, vectors),
        new StreamRun.Stalls(stallPercent, seed), waves, hint);

    BankSchedule s = BankSchedule.of(p);
    o.printf("design %s, PimBank %dx%d tiles of %dx%d, seed %d%n", p.model().name(),
        p.bank().tileGridRows(), p.bank().tileGridCols(), p.crossbar().rows(), p.crossbar().cols(), seed);
    o.printf("bit-exact: %s%n", out.bitExact() ? "yes" : "NO, first mismatch: " + out.firstMismatch());
    o.printf("cycles per stage (schedule): weight load %d, input load %d, compute %d, settle %d, drain %d%n",
        s.weightLoadCycles(), s.inputLoadCycles(), s.computeCycles(), s.settleCycles(), s.drainCycles());
    o.printf("cycles measured: weight load %d, multiply %s (schedule %d), total %d%n",
        out.weightLoadCycles(), summarize(out.multiplyCycles()), s.multiplyCycles(), out.totalCycles());
    o.printf("simulated %.0f cycles/s (build %.1f s%s)%n", out.cyclesPerSecond(), sim.buildSeconds(),
        sim.buildSeconds() == 0 ? ", cached" : "");
    if (waves != null) {
      o.println("waves: " + waves);
    }
    if (!out.bitExact()) {
      spec.commandLine().getErr().println(hint);
    }
    return out.bitExact() ? 0 : 1;
  }

  /** The KV-cache controller of one layer and KV head: P prefill appends, then N decode steps. */
  private int kvCache(HwParams base) throws Exception {
    if (input != null || dump != null || layers != null) {
      throw new ParamError(input != null ? "--input" : dump != null ? "--dump" : "--layers",
          "does not apply to --top " + KvCacheCosim.TOP);
    }
    HwParams p = kvPolicy == null ? base : withKvCache(base, false);
    int maxPos = p.model().maxPositions();
    int prefill = seqLen == null ? Math.min(DEFAULT_SEQ, maxPos) : seqLen;
    Check.range("--seq", prefill, 0, maxPos);
    int steps = decode == null ? Math.min(DEFAULT_DECODE, maxPos - prefill) : decode;
    if (steps < 0 || steps > maxPos - prefill) {
      throw new ParamError("--decode", "is " + steps + ", allowed 0.." + (maxPos - prefill)
          + " (model.maxPositions " + maxPos + " minus --seq " + prefill + ")");
    }
    if (prefill + steps == 0) {
      throw new ParamError("--decode", "is 0 with --seq 0, allowed 1.." + maxPos + " (nothing to simulate)");
    }
    KvCacheLayout layout = KvCacheLayout.of(p);
    KvCacheParams kv = p.kvCache();
    var o = spec.commandLine().getOut();
    VerilatorBuild.Simulator sim = VerilatorBuild.build(p, pimforge.ports.StreamPorts.kvCache(p), cache, waves != null);
    String hint = replayHint(" --seq " + prefill + " --decode " + steps + (kvPolicy != null ? " --kv-policy " + kvPolicy : ""));
    KvCacheCosim.Outcome out = KvCacheCosim.run(p, sim, prefill, steps, seed, new StreamRun.Stalls(stallPercent, seed),
        waves, hint);
    boolean exact = stallPercent == 0;
    o.printf("design %s, %s (one layer, one KV head): %s, %d slots, budget %d, sinks %d, window %d, head dim %d, "
        + "keys %d b / values %d b, groups of %d, full-precision window %d, prune <= %d steps, seed %d%n",
        p.model().name(), KvCacheCosim.TOP, kv.policy(), layout.capacity(), kv.budgetTokens(), kv.sinkTokens(),
        kv.windowTokens(), layout.headDim(), kv.keyBits(), kv.valueBits(), kv.groupSize(), kv.fullPrecisionTokens(),
        kv.pruneThreshold(), seed);
    o.println("probabilities: a plain softmax of the scores in double precision, rounded to "
        + layout.probabilityBits() + " fraction bits (not the softmax unit)");
    o.printf("bit-exact (APPEND results, scores, context, counters, external memory image): %s%n",
        out.bitExact() ? "yes" : "NO, first mismatch: " + out.firstMismatch());
    if (prefill > 0) {
      long meas = out.prefill().stream().mapToLong(KvCacheCosim.Cycles::measured).sum();
      long sched = out.prefill().stream().mapToLong(KvCacheCosim.Cycles::schedule).sum();
      KvCacheModel.Counters c = out.afterPrefill();
      o.printf("prefill: %d APPENDs, %d cycles%s; then occupancy %d, evicted %d, refused %d, %d B written, %d B read%n",
          prefill, meas, exact ? " (schedule " + sched + ")" : "", c.occupancy(), c.evicted(), c.refused(),
          c.bytesWritten(), c.bytesRead());
    }
    if (steps > 0) {
      o.println("decode steps (cycles measured" + (exact ? ", the schedule in parentheses where it differs" : "")
          + "; counters from the hardware after the step; bytes moved in the step):");
      o.println(" step  pos  APPEND  SCORES  CONTEXT     total  occupancy  evicted  refused  B written  B read");
      KvCacheModel.Counters before = out.afterPrefill() != null ? out.afterPrefill()
          : new KvCacheModel.Counters(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
      for (int i = 0; i < out.steps().size(); i++) {
        KvCacheCosim.Step st = out.steps().get(i);
        KvCacheModel.Counters c = st.counters();
        o.println(String.format(Locale.ROOT, "%5d %4d %7d %7d %8d %9s %10d %8d %8d %10d %7d", i, st.append()[3],
            st.appendCycles().measured(), st.scoresCycles().measured(), st.contextCycles().measured(),
            st.measured() + (exact && st.measured() != st.schedule() ? "(" + st.schedule() + ")" : ""),
            c.occupancy(), c.evicted(), c.refused(), c.bytesWritten() - before.bytesWritten(),
            c.bytesRead() - before.bytesRead()));
        before = c;
      }
      long meas = out.steps().stream().mapToLong(KvCacheCosim.Step::measured).sum();
      long sched = out.steps().stream().mapToLong(KvCacheCosim.Step::schedule).sum();
      o.printf(Locale.ROOT, "decode: %d steps, %.1f cycles per step%s%n", steps, meas / (double) steps,
          exact ? String.format(Locale.ROOT, " (schedule %.1f)", sched / (double) steps) : "");
    }
    if (exact) {
      o.printf("cycles match the schedule (KvCacheSchedule): %s%n",
          out.scheduleMismatch() == null ? "yes" : "NO, " + out.scheduleMismatch());
    }
    o.printf("simulated %d cycles at %.0f cycles/s (build %.1f s%s)%n", out.totalCycles(), out.cyclesPerSecond(),
        sim.buildSeconds(), sim.buildSeconds() == 0 ? ", cached" : "");
    if (waves != null) {
      o.println("waves: " + waves);
    }
    boolean ok = out.bitExact() && (!exact || out.scheduleMismatch() == null);
    if (!ok) {
      spec.commandLine().getErr().println(hint);
      return 1;
    }
    KvCacheModel.Counters last = out.steps().isEmpty() ? out.afterPrefill() : out.steps().get(out.steps().size() - 1)
        .counters();
    if (last.overflow() != 0) {
      spec.commandLine().getErr().println("error: kvCache.budgetTokens: is " + kv.budgetTokens() + ", allowed at least "
          + (prefill + steps) + " (--seq + --decode) with policy FULL: the hardware set its overflow bit and refused "
          + last.refused() + " tokens, the first at position " + out.firstRefusedPosition());
      return UserErrorHandler.USER_ERROR;
    }
    return 0;
  }

  private static String summarize(java.util.List<Long> cycles) {
    long min = cycles.stream().mapToLong(Long::longValue).min().orElse(0);
    long max = cycles.stream().mapToLong(Long::longValue).max().orElse(0);
    return min == max ? Long.toString(min) : min + ".." + max;
  }
}
