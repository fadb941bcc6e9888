package pimforge.layer;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import pimforge.golden.PimBankModel;
import pimforge.golden.sfu.Fixed;
import pimforge.golden.sfu.SfuModel;
import pimforge.golden.sfu.SfuOp;
import pimforge.golden.softmax.SoftmaxConfig;
import pimforge.golden.softmax.SoftmaxModel;
import pimforge.params.HwParams;

/**
 * Bit-exact functional golden model of LayerTop: executes a program sequentially in program order
 * (what any correct concurrent schedule of it computes) with exactly {@link Opcode}'s semantics,
 * on the unit golden models (one {@link PimBankModel} per plan bank, one {@link SoftmaxModel},
 * one {@link SfuModel}). State (scratchpad, bank weights, unit registers) persists across
 * {@link #run} calls, as in the hardware: run the setup program, then layer programs.
 */
public final class LayerMachineModel {
  /** SoftmaxOp of the RTL (hw/src/pimforge/hw/softmax/Softmax.scala). */
  public static final int SOFTMAX_CONFIGURE = 0;
  public static final int SOFTMAX_ROW = 1;

  private final HwParams p;
  private final LayerPlan plan;
  private final int lanes;
  private final Scratchpad sp;
  private final PimBankModel[] banks;
  private final SoftmaxModel softmax;
  private final SfuModel sfu;
  private long crossbarWrites;
  private long instructions;

  public LayerMachineModel(HwParams p) {
    this(p, LayerPlan.of(p));
  }

  public LayerMachineModel(HwParams p, LayerPlan plan) {
    this.p = p;
    this.plan = plan;
    this.lanes = plan.lanes();
    this.sp = new Scratchpad(plan.scratchWords(), lanes, plan.elementBits());
    this.banks = new PimBankModel[plan.banks().size()];
    for (int i = 0; i < banks.length; i++) {
      banks[i] = new PimBankModel(p);
    }
    this.softmax = new SoftmaxModel(p);
    this.sfu = new SfuModel(p);
  }

  public Scratchpad scratchpad() {
    return sp;
  }

  /** Weights written into crossbars by the last run (the XBAR_WRITES register): whole banks, padding included. */
  public long crossbarWrites() {
    return crossbarWrites;
  }

  /** Instructions executed by the last run, END included (the INSTRUCTIONS register). */
  public long instructions() {
    return instructions;
  }

  /**
   * Executes {@code program} from instruction 0 until END, taking s_axis beats (lanes elements
   * each, read as elementBits two's complement) in order; returns the m_axis beats. Throws when
   * the program runs out of s_axis beats, leaves some unread, or has no END.
   */
  public List<long[]> run(List<Instruction> program, List<long[]> sAxisBeats) {
    Deque<long[]> in = new ArrayDeque<>(sAxisBeats);
    List<long[]> out = new ArrayList<>();
    instructions = 0;
    crossbarWrites = 0;
    for (Instruction i : program) {
      instructions++;
      if (i.opcode() == Opcode.END) {
        if (!in.isEmpty()) {
          throw new IllegalStateException(in.size() + " s_axis beats left unread at END");
        }
        return out;
      }
      execute(i, in, out);
    }
    throw new IllegalStateException("program without END");
  }

  private void execute(Instruction i, Deque<long[]> in, List<long[]> out) {
    switch (i.opcode()) {
      case HOST_IN -> {
        for (int it = 0; it < i.repeat(); it++) {
          for (int b = 0; b < i.len(); b++) {
            sp.writeWrapped(i.dst() + it * i.dstStep() + b, take(in));
          }
        }
      }
      case HOST_OUT -> {
        for (int it = 0; it < i.repeat(); it++) {
          for (int b = 0; b < i.len(); b++) {
            out.add(sp.read(i.src() + it * i.srcStep() + b));
          }
        }
      }
      case HOST_WEIGHTS -> hostWeights(i, in);
      case GATHER_WEIGHTS -> gatherWeights(i);
      case MVM -> mvm(i);
      case SOFTMAX -> softmax(i);
      case SFU -> sfu(i);
      default -> throw new IllegalStateException("unexpected " + i.opcode());
    }
  }

  private long[] take(Deque<long[]> in) {
    long[] beat = in.poll();
    if (beat == null) {
      throw new IllegalStateException("s_axis ran out of beats");
    }
    if (beat.length != lanes) {
      throw new IllegalArgumentException("s_axis beat of " + beat.length + " elements, expected " + lanes);
    }
    return beat;
  }

  private void hostWeights(Instruction i, Deque<long[]> in) {
    int bankIn = p.derived().bankInputs();
    int bankOut = p.derived().bankOutputs();
    int wBits = p.precision().weightBits();
    for (int k = 0; k < i.bankCount(); k++) {
      int[][] w = new int[bankIn][bankOut];
      List<long[]> packet = new ArrayList<>();
      for (int b = 0; b < BankWeightStream.beats(p); b++) {
        packet.add(take(in));
      }
      for (int r = 0; r < bankIn; r++) {
        for (int c = 0; c < bankOut; c++) {
          long v = packet.get(BankWeightStream.beatOf(p, r, c))[c % lanes];
          // The RTL keeps the low weightBits of the element: _(weightBits-1,0).asSInt.
          w[r][c] = (int) Fixed.signedLow(Fixed.signedLow(v, plan.elementBits()), wBits);
        }
      }
      load(i.bank() + k, w);
    }
  }

  private void gatherWeights(Instruction i) {
    int bankIn = p.derived().bankInputs();
    int bankOut = p.derived().bankOutputs();
    long wMax = (1L << (p.precision().weightBits() - 1)) - 1;
    int[][] w = new int[bankIn][bankOut];
    long base = (long) i.src() * lanes;
    for (int r = 0; r < Math.min(i.len(), bankIn); r++) {
      for (int c = 0; c < Math.min(i.src2(), bankOut); c++) {
        long v = sp.element(base + (long) r * i.a() + (long) c * i.b());
        w[r][c] = (int) Math.max(-wMax, Math.min(wMax, v));
      }
    }
    load(i.bank(), w);
  }

  private void load(int bank, int[][] w) {
    banks[bank].loadWeights(w);
    crossbarWrites += (long) w.length * w[0].length;
  }

  private void mvm(Instruction i) {
    int bankIn = p.derived().bankInputs();
    int outBeats = p.derived().bankOutputs() / lanes;
    long inMax = (1L << (p.precision().inputBits() - 1)) - 1;
    if ((i.a() + i.len()) * lanes > bankIn) {
      throw new IllegalArgumentException("MVM input beats " + i.a() + ".." + (i.a() + i.len() - 1)
          + " outside the bank's " + bankIn / lanes);
    }
    for (int it = 0; it < i.repeat(); it++) {
      long[] v = sp.readBeats(i.src() + it * i.srcStep(), i.len());
      int[] x = new int[bankIn];
      for (int e = 0; e < v.length; e++) {
        long s = Fixed.roundShift(v[e], i.shift());
        x[i.a() * lanes + e] = (int) Math.max(-inMax, Math.min(inMax, s));
      }
      int dst = i.dst() + it * i.dstStep();
      for (int k = 0; k < i.bankCount(); k++) {
        long[] y = banks[i.bank() + k].multiply(x);
        for (int j = 0; j < outBeats; j++) {
          int word = dst + k * outBeats + j;
          long[] old = (i.b() & Instruction.ACCUMULATE) != 0 ? sp.read(word) : new long[lanes];
          long[] bias = (i.b() & Instruction.BIAS) != 0 ? sp.read(i.src2() + k * outBeats + j) : new long[lanes];
          long[] r = new long[lanes];
          for (int l = 0; l < lanes; l++) {
            r[l] = y[j * lanes + l] + old[l] + bias[l];
          }
          sp.writeSaturated(word, r);
        }
      }
    }
  }

  private void softmax(Instruction i) {
    if (i.cmd() == SOFTMAX_CONFIGURE) {
      long[] packet = sp.readBeats(i.src(), i.len());
      long m = Fixed.unsignedLow(packet[0], p.softmax().scaleBits());
      int shift = (int) Fixed.unsignedLow(packet[1], p.softmaxDerived().shiftBits());
      softmax.configure(new SoftmaxConfig(m, shift));
      return;
    }
    if (i.cmd() != SOFTMAX_ROW) {
      throw new IllegalArgumentException("no softmax command " + i.cmd());
    }
    long mask = p.softmaxDerived().maskValue();
    long top = (1L << (p.softmax().inputBits() - 1)) - 1;
    for (int it = 0; it < i.repeat(); it++) {
      long[] row = sp.readBeats(i.src() + it * i.srcStep(), i.len());
      for (int e = 0; e < row.length; e++) {
        row[e] = e >= i.a() ? mask : Math.max(mask + 1, Math.min(top, row[e]));
      }
      sp.writeBeats(i.dst() + it * i.dstStep(), softmax.row(row));
    }
  }

  private void sfu(Instruction i) {
    int op = i.cmd();
    if (op == SfuOp.CONFIGURE || op == SfuOp.LOAD_NORM) {
      sfu.run(op, accIn(sp.readBeats(i.src(), i.len())));
      return;
    }
    for (int it = 0; it < i.repeat(); it++) {
      int src = i.src() + it * i.srcStep();
      long[] packet;
      if (op == SfuOp.RESIDUAL) {
        int src2 = i.src2() + it * i.srcStep();
        packet = new long[2 * i.len() * lanes];
        for (int b = 0; b < i.len(); b++) {
          System.arraycopy(sp.read(src + b), 0, packet, 2 * b * lanes, lanes);
          System.arraycopy(sp.read(src2 + b), 0, packet, (2 * b + 1) * lanes, lanes);
        }
      } else if (op == SfuOp.REQUANT || op == SfuOp.ACTIVATE || op == SfuOp.NORM) {
        packet = sp.readBeats(src, i.len());
      } else {
        throw new IllegalArgumentException("no SFU command " + op);
      }
      sp.writeBeats(i.dst() + it * i.dstStep(), sfu.run(op, accIn(packet)));
    }
  }

  /** SFU input elements are sat(v, sfu.accBits). */
  private long[] accIn(long[] v) {
    return Arrays.stream(v).map(e -> Fixed.saturate(e, p.sfu().accBits())).toArray();
  }
}
