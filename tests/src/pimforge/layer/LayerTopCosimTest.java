package pimforge.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import pimforge.cosim.CosimSeeds;
import pimforge.cosim.LayerRun;
import pimforge.cosim.StreamRun;
import pimforge.cosim.VerilatorBuild;
import pimforge.golden.BankSchedule;
import pimforge.golden.sfu.SfuOp;
import pimforge.golden.sfu.SfuSchedule;
import pimforge.golden.softmax.SoftmaxConfig;
import pimforge.params.HwParams;

/**
 * LayerTop in Verilator on hand-written programs, one per engine feature and one with every engine
 * running at once: m_axis beats bit for bit against {@link OpcodeReference} (the unit golden
 * models executing the instructions in order), and every performance counter exactly against
 * {@link LayerTiming}; then again with the host stalling both streams (same results). The phases
 * of a run share one simulator process, so banks and scratchpad carry over.
 */
class LayerTopCosimTest {
  private static final HwParams P = LayerConfigs.small();
  private static final LayerPlan PLAN = LayerPlan.of(P);
  private static final int LANES = PLAN.lanes();
  /** Beats of a bank input and of a bank result, of a softmax row and of an SFU norm vector. */
  private static final int IN_BEATS = P.derived().bankInputs() / LANES;
  private static final int OUT_BEATS = P.derived().bankOutputs() / LANES;
  private static final int ROW_BEATS = P.softmaxDerived().rowBeats();
  private static final int NORM_BEATS = P.sfuDerived().normBeats();
  /** Scratchpad words the GATHER_WEIGHTS phase fills (its strided reads stay inside). */
  private static final int GATHER_WORDS = 80;
  /** The hand-written programs use scratchpad words 0 .. WORDS_USED - 1. */
  private static final int WORDS_USED = 494;

  private final Random random = new Random(CosimSeeds.FIRST_SEED);

  @Test
  void handWrittenProgramsMatchTheGoldenModelsAndTheCycleModel() throws Exception {
    System.out.println("layer cosim " + LayerConfigs.describe(P));
    assertTrue(PLAN.scratchWords() >= WORDS_USED, "the programs need " + WORDS_USED + " scratchpad words");
    List<String> names = new ArrayList<>();
    List<LayerRun.Phase> phases = new ArrayList<>();
    add(names, phases, "echo", echo());
    add(names, phases, "host weights + mvm", hostWeightsAndMvm());
    add(names, phases, "gather + mvm", gatherAndMvm());
    add(names, phases, "softmax", softmax());
    add(names, phases, "sfu", sfu());
    add(names, phases, "all engines at once", allEnginesAtOnce());
    VerilatorBuild.Simulator sim = LayerRun.build(P, CosimSeeds.cacheRoot(), false);
    System.out.println(String.format("  build %.1f s", sim.buildSeconds()));
    check(sim, names, phases, StreamRun.Stalls.NONE);
    // The same programs with the host stalling s_axis and m_axis: same results, only slower.
    check(sim, names, phases, new StreamRun.Stalls(30, CosimSeeds.FIRST_SEED));
  }

  private void check(VerilatorBuild.Simulator sim, List<String> names, List<LayerRun.Phase> phases,
      StreamRun.Stalls stalls) throws Exception {
    OpcodeReference reference = new OpcodeReference(P);
    LayerRun.Result r = LayerRun.run(sim, PLAN, phases, stalls, 2_000_000, null,
        "replay: ./mill -i tests.testOnly " + getClass().getName());
    System.out.println(String.format("  host stalls %d %%: %d cycles, %.0f simulated cycles/s", stalls.percent(),
        r.totalCycles(), r.cyclesPerSecond()));
    for (int i = 0; i < phases.size(); i++) {
      LayerRun.Phase ph = phases.get(i);
      LayerRun.PhaseResult got = r.phases().get(i);
      String what = "phase '" + names.get(i) + "', stalls " + stalls.percent() + " %";
      List<long[]> expected = reference.run(ph.program(), ph.beats());
      assertEquals(expected.size(), got.outBeats().size(), what + ": m_axis beats");
      for (int b = 0; b < expected.size(); b++) {
        assertArrayEquals(expected.get(b), got.outBeats().get(b), what + ": m_axis beat " + b);
      }
      long hostOuts = ph.program().stream().filter(x -> x.opcode() == Opcode.HOST_OUT).count();
      assertEquals(hostOuts, got.lastBeats(), what + ": one TLAST per HOST_OUT");

      LayerTiming t = LayerTiming.of(P, ph.program());
      LayerRun.Counters c = got.counters();
      assertEquals(t.instructions(), c.instructions(), what + ": INSTRUCTIONS");
      assertEquals(t.xbarWrites(), c.xbarWrites(), what + ": XBAR_WRITES");
      if (stalls.percent() == 0) {
        assertEquals(t.cycles(), c.cycles(), what + ": CYCLES");
        assertArrayEquals(t.stageCycles(), c.stageCycles(), what + ": STAGE_CYCLES");
      } else {
        assertTrue(c.cycles() >= t.cycles(), what + ": stalls never make a run faster");
      }
      System.out.println(String.format("  %-20s %6d cycles (model %d), %5d beats out, xbar writes %d", names.get(i),
          c.cycles(), t.cycles(), got.outBeats().size(), c.xbarWrites()));
    }
  }

  private static void add(List<String> names, List<LayerRun.Phase> phases, String name, LayerRun.Phase ph) {
    names.add(name);
    phases.add(ph);
  }

  /** HOST_IN then HOST_OUT with iterations and steps. */
  private LayerRun.Phase echo() {
    List<long[]> in = beats(6, -1000, 1000);
    return new LayerRun.Phase(List.of(
        new Ins(Opcode.HOST_IN, LayerStage.INPUT).dst(10).len(3).repeat(2).dstStep(5).build(),
        new Ins(Opcode.HOST_OUT, LayerStage.OUTPUT).waitFor(Engine.HOST_IN).src(10).len(3).repeat(2).srcStep(5).build(),
        Instruction.end()), in);
  }

  /** Weights from s_axis into banks 0 and 1, then MVM over both with bias, rounding shift and accumulate. */
  private LayerRun.Phase hostWeightsAndMvm() {
    int w = (int) (BankSchedule.of(P).weightLoadCycles() - 1);
    List<long[]> in = new ArrayList<>(beats(2 * w, -200, 200)); // some weights wrap modulo 2^weightBits
    in.addAll(beats(3 * IN_BEATS, -700, 700)); // three input vectors
    in.addAll(beats(2 * OUT_BEATS, -100000, 100000)); // bias of both banks
    return new LayerRun.Phase(List.of(
        new Ins(Opcode.HOST_WEIGHTS, LayerStage.WEIGHTS).banks(0, 2).build(),
        new Ins(Opcode.HOST_IN, LayerStage.INPUT).waitFor(Engine.MATRIX).dst(100).len(3 * IN_BEATS).build(),
        new Ins(Opcode.HOST_IN, LayerStage.INPUT).dst(120).len(2 * OUT_BEATS).build(),
        new Ins(Opcode.MVM, LayerStage.QKV).waitFor(Engine.HOST_IN).banks(0, 2).repeat(3).src(100).srcStep(IN_BEATS)
            .dst(140).dstStep(2 * OUT_BEATS).src2(120).b(Instruction.BIAS).shift(2).len(IN_BEATS).build(),
        new Ins(Opcode.MVM, LayerStage.QKV).banks(0, 2).repeat(3).src(100).srcStep(IN_BEATS).dst(140)
            .dstStep(2 * OUT_BEATS).b(Instruction.ACCUMULATE).a(IN_BEATS / 4).len(IN_BEATS / 2).build(),
        new Ins(Opcode.HOST_OUT, LayerStage.OUTPUT).waitFor(Engine.MATRIX).src(140).len(6 * OUT_BEATS).build(),
        Instruction.end()), in);
  }

  /** Runtime crossbar writes gathered with row/column strides and limits, then MVM with bias + accumulate. */
  private LayerRun.Phase gatherAndMvm() {
    int rows = P.derived().bankInputs();
    int cols = P.derived().bankOutputs();
    List<long[]> in = new ArrayList<>(beats(GATHER_WORDS, -300, 300));
    in.addAll(beats(IN_BEATS, -127, 127));
    return new LayerRun.Phase(List.of(
        new Ins(Opcode.HOST_IN, LayerStage.INPUT).dst(200).len(GATHER_WORDS).build(),
        new Ins(Opcode.HOST_IN, LayerStage.INPUT).dst(300).len(IN_BEATS).build(),
        // elements up to 4*200 + (rows-8)*17 + (cols-3)*3 and 4*201 + (rows-1) + (cols-1)*19: inside the words read
        new Ins(Opcode.GATHER_WEIGHTS, LayerStage.XBAR_WRITE).waitFor(Engine.HOST_IN).banks(8, 0).src(200)
            .len(rows - 7).src2(cols - 2).a(17).b(3).build(),
        new Ins(Opcode.GATHER_WEIGHTS, LayerStage.XBAR_WRITE).banks(9, 0).src(201).len(rows).src2(cols).a(1).b(19)
            .build(),
        new Ins(Opcode.MVM, LayerStage.SCORES).banks(8, 2).src(300).dst(200).src2(100)
            .b(Instruction.BIAS | Instruction.ACCUMULATE).len(IN_BEATS).build(),
        new Ins(Opcode.HOST_OUT, LayerStage.OUTPUT).waitFor(Engine.MATRIX).src(200).len(2 * OUT_BEATS).build(),
        Instruction.end()), in);
  }

  /** Configure, rows with masking beyond a and clamping, a short row. */
  private LayerRun.Phase softmax() {
    long mask = P.softmaxDerived().maskValue();
    List<long[]> in = new ArrayList<>();
    in.add(SoftmaxConfig.forScale(P, 0.01).packet(P));
    List<long[]> rows = beats(3 * ROW_BEATS, -3000, 3000);
    rows.get(0)[1] = mask; // clamped to mask + 1
    rows.get(1)[2] = -mask * 4; // beyond the score range: clamped
    rows.get(3 * ROW_BEATS - 1)[0] = mask * 3;
    in.addAll(rows);
    int configBeats = P.softmaxDerived().configBeats();
    return new LayerRun.Phase(List.of(
        new Ins(Opcode.HOST_IN, LayerStage.INPUT).dst(320).len(configBeats + 3 * ROW_BEATS).build(),
        new Ins(Opcode.SOFTMAX, LayerStage.SOFTMAX).waitFor(Engine.HOST_IN).cmd(0).src(320).len(configBeats).build(),
        new Ins(Opcode.SOFTMAX, LayerStage.SOFTMAX).cmd(1).repeat(3).src(320 + configBeats).srcStep(ROW_BEATS)
            .dst(340).dstStep(ROW_BEATS).len(ROW_BEATS).a(ROW_BEATS * LANES - 3).build(),
        new Ins(Opcode.SOFTMAX, LayerStage.SOFTMAX).cmd(1).src(320 + configBeats).dst(350).len(1).a(LANES).build(),
        new Ins(Opcode.HOST_OUT, LayerStage.OUTPUT).waitFor(Engine.SOFTMAX).src(340).len(3 * ROW_BEATS).build(),
        new Ins(Opcode.HOST_OUT, LayerStage.OUTPUT).src(350).len(1).build(),
        Instruction.end()), in);
  }

  /**
   * Every SFU command: configure, requantize, residual add, gamma/beta, norm, activation, and the
   * per-channel table (load, then requantize two rows with it).
   */
  private LayerRun.Phase sfu() {
    int configBeats = new SfuSchedule(P).configBeats();
    int nb = NORM_BEATS;
    long[] config = new long[configBeats * LANES];
    config[0] = 3000; // M
    config[1] = 18; // S
    config[2] = 2; // shiftA
    config[3] = 1; // shiftB
    config[4] = 3; // shiftOut
    List<long[]> in = new ArrayList<>(split(config));
    List<long[]> acc = beats(2 * nb, -20_000_000, 20_000_000);
    acc.get(0)[0] = (1L << (PLAN.elementBits() - 1)) - 1; // the largest element: saturates to accBits when wider
    in.addAll(acc);
    in.addAll(beats(2 * nb, -30000, 30000)); // residual operands
    List<long[]> gammaBeta = beats(2 * nb, -3000, 3000);
    for (int i = 0; i < nb; i++) {
      for (int l = 0; l < LANES; l++) {
        gammaBeta.get(i)[l] += 1L << P.sfu().gammaFracBits(); // gamma around 1
      }
    }
    in.addAll(gammaBeta);
    // Channel table: 2 rows of LANES entries (M-beat, S-beat per row), multipliers and shifts varied.
    int tableRows = Math.min(2, P.sfuDerived().channelBeats());
    List<long[]> table = new ArrayList<>();
    java.util.Random rnd = new java.util.Random(7);
    for (int r = 0; r < tableRows; r++) {
      long[] m = new long[LANES];
      long[] sh = new long[LANES];
      for (int l = 0; l < LANES; l++) {
        m[l] = 1 + rnd.nextInt((1 << P.sfu().multiplierBits()) - 1);
        sh[l] = 14 + rnd.nextInt(11);
      }
      table.add(m);
      table.add(sh);
    }
    in.addAll(table);
    return new LayerRun.Phase(List.of(
        new Ins(Opcode.HOST_IN, LayerStage.INPUT).dst(400).len(configBeats).build(),
        new Ins(Opcode.HOST_IN, LayerStage.INPUT).dst(410).len(2 * nb).build(),
        new Ins(Opcode.SFU, LayerStage.OUT_PROJ).waitFor(Engine.HOST_IN).cmd(SfuOp.CONFIGURE).src(400)
            .len(configBeats).build(),
        new Ins(Opcode.SFU, LayerStage.OUT_PROJ).cmd(SfuOp.REQUANT).repeat(2).src(410).srcStep(nb).dst(420)
            .dstStep(nb).len(nb).build(),
        new Ins(Opcode.HOST_IN, LayerStage.INPUT).dst(430).len(2 * nb).build(),
        new Ins(Opcode.SFU, LayerStage.OUT_PROJ).waitFor(Engine.HOST_IN).cmd(SfuOp.RESIDUAL).src(430).src2(430 + nb)
            .len(nb).dst(440).build(),
        new Ins(Opcode.HOST_IN, LayerStage.INPUT).dst(450).len(2 * nb).build(),
        new Ins(Opcode.SFU, LayerStage.NORM1).waitFor(Engine.HOST_IN).cmd(SfuOp.LOAD_NORM).src(450).len(2 * nb)
            .build(),
        new Ins(Opcode.SFU, LayerStage.NORM1).cmd(SfuOp.NORM).repeat(2).src(420).srcStep(nb).dst(460).dstStep(nb)
            .len(nb).build(),
        new Ins(Opcode.SFU, LayerStage.ACTIVATION).cmd(SfuOp.ACTIVATE).src(460).len(2 * nb).dst(470).build(),
        new Ins(Opcode.HOST_OUT, LayerStage.OUTPUT).waitFor(Engine.SFU).src(420).len(2 * nb).build(),
        new Ins(Opcode.HOST_OUT, LayerStage.OUTPUT).src(440).len(nb).build(),
        new Ins(Opcode.HOST_OUT, LayerStage.OUTPUT).src(460).len(2 * nb).build(),
        new Ins(Opcode.HOST_OUT, LayerStage.OUTPUT).src(470).len(2 * nb).build(),
        new Ins(Opcode.HOST_IN, LayerStage.INPUT).dst(480).len(2 * tableRows).build(),
        new Ins(Opcode.SFU, LayerStage.FFN_UP).waitFor(Engine.HOST_IN).cmd(SfuOp.LOAD_CHANNELS).src(480)
            .len(2 * tableRows).build(),
        new Ins(Opcode.SFU, LayerStage.FFN_UP).cmd(SfuOp.REQUANT_CHANNELS).repeat(2).src(410).srcStep(nb).dst(490)
            .dstStep(tableRows).len(tableRows).build(),
        new Ins(Opcode.HOST_OUT, LayerStage.OUTPUT).waitFor(Engine.SFU).src(490).len(2 * tableRows).build(),
        Instruction.end()), in);
  }

  /** HOST_IN, MATRIX, SOFTMAX and SFU busy at the same time on independent data, then the results out. */
  private LayerRun.Phase allEnginesAtOnce() {
    int nb = NORM_BEATS;
    int rowsAt = 320 + P.softmaxDerived().configBeats();
    return new LayerRun.Phase(List.of(
        new Ins(Opcode.HOST_IN, LayerStage.INPUT).dst(20).len(40).build(),
        new Ins(Opcode.MVM, LayerStage.QKV).banks(0, 2).repeat(2).src(100).srcStep(IN_BEATS).dst(60)
            .dstStep(2 * OUT_BEATS).len(IN_BEATS).build(),
        new Ins(Opcode.SOFTMAX, LayerStage.SOFTMAX).cmd(1).repeat(2).src(rowsAt).srcStep(ROW_BEATS).dst(80)
            .dstStep(ROW_BEATS).len(ROW_BEATS).a(ROW_BEATS * LANES).build(),
        new Ins(Opcode.SFU, LayerStage.ACTIVATION).cmd(SfuOp.ACTIVATE).src(460).len(2 * nb).dst(84).build(),
        new Ins(Opcode.HOST_OUT, LayerStage.OUTPUT).waitFor(Engine.HOST_IN).src(20).len(40).build(),
        new Ins(Opcode.HOST_OUT, LayerStage.OUTPUT).waitFor(Engine.MATRIX, Engine.SOFTMAX, Engine.SFU).src(60)
            .len(4 * OUT_BEATS).build(),
        new Ins(Opcode.HOST_OUT, LayerStage.OUTPUT).src(80).len(2 * ROW_BEATS).build(),
        new Ins(Opcode.HOST_OUT, LayerStage.OUTPUT).src(84).len(2 * nb).build(),
        Instruction.end()), beats(40, -5000, 5000));
  }

  private List<long[]> beats(int n, long lo, long hi) {
    List<long[]> b = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      long[] beat = new long[LANES];
      for (int l = 0; l < LANES; l++) {
        beat[l] = lo + (long) (random.nextDouble() * (hi - lo + 1));
      }
      b.add(beat);
    }
    return b;
  }

  private static List<long[]> split(long[] values) {
    List<long[]> b = new ArrayList<>();
    for (int i = 0; i < values.length; i += LANES) {
      b.add(java.util.Arrays.copyOfRange(values, i, i + LANES));
    }
    return b;
  }
}
