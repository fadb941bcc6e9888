package pimforge.layer;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import pimforge.cosim.LayerRun;
import pimforge.golden.BankSchedule;
import pimforge.golden.sfu.SfuOp;
import pimforge.golden.sfu.SfuSchedule;
import pimforge.golden.softmax.SoftmaxConfig;
import pimforge.params.HwParams;

/**
 * Random layer-top programs whose result does not depend on how the engines overlap, so any wait
 * masks are correct: every engine writes only its own scratchpad region and all of them read only
 * the input region A, which nothing writes after the setup. Layout (words): A = 0..79 (inputs),
 * 80.. (unit configuration), HOST_IN 100..199, MATRIX 200..299, SOFTMAX 300..349, SFU 350..449.
 */
final class RandomPrograms {
  static final int A_WORDS = 80;
  static final int CONFIG = 80;
  static final int HOST_IN = 100;
  static final int MATRIX = 200;
  static final int SOFTMAX = 300;
  static final int SFU = 350;
  static final int END = 450;

  private final HwParams p;
  private final LayerPlan plan;
  private final Random random;
  private final int lanes;
  private final int inBeats;
  private final int outBeats;
  private final int rowBeats;
  private final int normBeats;

  RandomPrograms(HwParams p, long seed) {
    this.p = p;
    this.plan = LayerPlan.of(p);
    this.random = new Random(seed);
    this.lanes = plan.lanes();
    this.inBeats = p.derived().bankInputs() / lanes;
    this.outBeats = p.derived().bankOutputs() / lanes;
    this.rowBeats = p.softmaxDerived().rowBeats();
    this.normBeats = p.sfuDerived().normBeats();
  }

  /** Weights into every bank, the whole layout written (A random, activations in range), units configured. */
  LayerRun.Phase setup() {
    List<long[]> beats = new ArrayList<>();
    int banks = plan.banks().size();
    beats.addAll(beats((int) (banks * (BankSchedule.of(p).weightLoadCycles() - 1)), -128, 127));
    long[][] words = new long[END][];
    for (int w = 0; w < END; w++) {
      words[w] = beat(-127, 127); // activations: inside every unit's input range
    }
    int softmaxBeats = p.softmaxDerived().configBeats();
    long[] softmaxConfig = SoftmaxConfig.forScale(p, 0.05).packet(p);
    for (int i = 0; i < softmaxBeats; i++) {
      words[CONFIG + i] = java.util.Arrays.copyOfRange(softmaxConfig, i * lanes, (i + 1) * lanes);
    }
    int sfuConfig = CONFIG + softmaxBeats;
    int sfuBeats = new SfuSchedule(p).configBeats();
    long[] config = new long[sfuBeats * lanes];
    config[0] = 5000; // M
    config[1] = 10; // S
    config[2] = 1; // shiftA
    config[3] = 2; // shiftB
    config[4] = 2; // shiftOut
    for (int i = 0; i < sfuBeats; i++) {
      words[sfuConfig + i] = java.util.Arrays.copyOfRange(config, i * lanes, (i + 1) * lanes);
    }
    int gammaBeta = sfuConfig + sfuBeats;
    for (int i = 0; i < normBeats; i++) {
      words[gammaBeta + i] = beat(1 << (p.sfu().gammaFracBits() - 1), 3 << (p.sfu().gammaFracBits() - 1));
    }
    beats.addAll(List.of(words));
    return new LayerRun.Phase(List.of(
        new Ins(Opcode.HOST_WEIGHTS, LayerStage.WEIGHTS).banks(0, banks).build(),
        new Ins(Opcode.HOST_IN, LayerStage.INPUT).waitFor(Engine.MATRIX).dst(0).len(END).build(),
        new Ins(Opcode.SOFTMAX, LayerStage.SOFTMAX).waitFor(Engine.HOST_IN).cmd(0).src(CONFIG).len(softmaxBeats)
            .build(),
        new Ins(Opcode.SFU, LayerStage.NORM1).waitFor(Engine.HOST_IN).cmd(SfuOp.CONFIGURE).src(sfuConfig)
            .len(sfuBeats).build(),
        new Ins(Opcode.SFU, LayerStage.NORM1).cmd(SfuOp.LOAD_NORM).src(gammaBeta).len(2 * normBeats).build(),
        Instruction.end()), beats);
  }

  /** {@code count} random instructions on all engines with random wait masks and stage tags, then END. */
  LayerRun.Phase program(int count) {
    List<Instruction> program = new ArrayList<>();
    List<long[]> beats = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Ins ins = switch (random.nextInt(7)) {
        case 0 -> hostIn(beats);
        case 1 -> new Ins(Opcode.HOST_OUT, stage()).repeat(1 + random.nextInt(2)).src(random.nextInt(A_WORDS - 16))
            .srcStep(random.nextInt(8)).len(1 + random.nextInt(8));
        case 2, 3 -> mvm();
        case 4 -> gather();
        case 5 -> softmaxRow();
        default -> sfu();
      };
      for (Engine e : Engine.values()) {
        if (random.nextInt(10) < 2) {
          ins.waitFor(e);
        }
      }
      program.add(ins.build());
    }
    program.add(Instruction.end());
    return new LayerRun.Phase(program, beats);
  }

  /** Every engine's output region to m_axis. */
  LayerRun.Phase readBack() {
    return new LayerRun.Phase(List.of(
        new Ins(Opcode.HOST_OUT, LayerStage.OUTPUT).src(HOST_IN).len(END - HOST_IN).build(),
        Instruction.end()), List.of());
  }

  private Ins hostIn(List<long[]> beats) {
    int len = 1 + random.nextInt(8);
    int repeat = 1 + random.nextInt(3);
    beats.addAll(beats(len * repeat, -100000, 100000));
    return new Ins(Opcode.HOST_IN, stage()).repeat(repeat).len(len).dstStep(len)
        .dst(HOST_IN + random.nextInt(MATRIX - HOST_IN - len * repeat + 1));
  }

  private Ins mvm() {
    int banks = plan.banks().size();
    int first = random.nextInt(banks);
    int count = 1 + random.nextInt(Math.min(3, banks - first));
    int repeat = 1 + random.nextInt(2);
    int words = repeat * count * outBeats;
    int flags = random.nextInt(8); // BIAS, ACCUMULATE, UNSIGNED_INPUT
    return new Ins(Opcode.MVM, stage()).banks(first, count).repeat(repeat).len(1 + random.nextInt(inBeats))
        .a(random.nextInt(inBeats)).src(random.nextInt(A_WORDS - 2 * inBeats)).srcStep(random.nextInt(inBeats + 1))
        .src2(random.nextInt(A_WORDS - count * outBeats)).shift(random.nextInt(4)).b(flags)
        .dst(MATRIX + random.nextInt(SOFTMAX - MATRIX - words + 1)).dstStep(count * outBeats);
  }

  private Ins gather() {
    int bankIn = p.derived().bankInputs();
    int bankOut = p.derived().bankOutputs();
    int a = random.nextInt(4);
    int b = random.nextInt(4);
    int reach = ((bankIn - 1) * a + (bankOut - 1) * b) / lanes + 1;
    return new Ins(Opcode.GATHER_WEIGHTS, stage()).banks(random.nextInt(plan.banks().size()), 0)
        .src(random.nextInt(A_WORDS - reach)).len(1 + random.nextInt(bankIn)).src2(1 + random.nextInt(bankOut))
        .a(a).b(b);
  }

  private Ins softmaxRow() {
    int len = 1 + random.nextInt(rowBeats);
    int repeat = 1 + random.nextInt(3);
    // b: valid keys added per row (0: the same count in every row, 1: causal rows).
    return new Ins(Opcode.SOFTMAX, stage()).cmd(1).repeat(repeat).len(len).a(random.nextInt(len * lanes + 1))
        .b(random.nextInt(2)).shift(random.nextInt(3) == 0 ? 0 : random.nextInt(32))
        .src2(random.nextInt(3) == 0 ? 0 : random.nextInt(1 << 16)).src(random.nextInt(A_WORDS - 3 * rowBeats)).srcStep(len).dstStep(len)
        .dst(SOFTMAX + random.nextInt(SFU - SOFTMAX - len * repeat + 1));
  }

  private Ins sfu() {
    int op = new int[] {SfuOp.REQUANT, SfuOp.RESIDUAL, SfuOp.NORM, SfuOp.ACTIVATE}[random.nextInt(4)];
    int len = op == SfuOp.NORM ? normBeats : 1 + random.nextInt(8);
    int repeat = 1 + random.nextInt(2);
    return new Ins(Opcode.SFU, stage()).cmd(op).repeat(repeat).len(len).src(random.nextInt(A_WORDS - 2 * 8))
        .src2(random.nextInt(A_WORDS - 2 * 8)).srcStep(len).dstStep(len)
        .dst(SFU + random.nextInt(END - SFU - len * repeat + 1));
  }

  private LayerStage stage() {
    return LayerStage.values()[random.nextInt(LayerStage.values().length)];
  }

  private long[] beat(long lo, long hi) {
    long[] b = new long[lanes];
    for (int l = 0; l < lanes; l++) {
      b[l] = lo + (long) (random.nextDouble() * (hi - lo + 1));
    }
    return b;
  }

  private List<long[]> beats(int n, long lo, long hi) {
    List<long[]> b = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      b.add(beat(lo, hi));
    }
    return b;
  }
}
