package pimforge.layer;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import pimforge.golden.PimBankModel;
import pimforge.golden.sfu.SfuModel;
import pimforge.golden.sfu.SfuOp;
import pimforge.golden.softmax.SoftmaxConfig;
import pimforge.golden.softmax.SoftmaxModel;
import pimforge.params.HwParams;

/**
 * The RTL tests' reference for the layer top: the instructions executed one after another,
 * literally as pimforge.layer.Opcode words them, on the unit golden models (PimBankModel,
 * SoftmaxModel, SfuModel) and a plain scratchpad array. State (scratchpad, bank weights, unit
 * registers) persists from one program to the next, like the hardware's.
 */
final class OpcodeReference {
  private final HwParams p;
  private final LayerPlan plan;
  private final int lanes;
  private final long[][] sp;
  private final PimBankModel[] banks;
  private final SoftmaxModel softmax;
  private final SfuModel sfu;
  private final Deque<long[]> in = new ArrayDeque<>();
  private final List<long[]> out = new ArrayList<>();

  OpcodeReference(HwParams p) {
    this.p = p;
    this.plan = LayerPlan.of(p);
    this.lanes = plan.lanes();
    this.sp = new long[plan.scratchWords()][lanes];
    this.banks = new PimBankModel[plan.banks().size()];
    for (int k = 0; k < banks.length; k++) {
      banks[k] = new PimBankModel(p);
    }
    this.softmax = new SoftmaxModel(p);
    this.sfu = new SfuModel(p);
  }

  /** Runs a program up to END with these s_axis beats; returns the m_axis beats. */
  List<long[]> run(List<Instruction> program, List<long[]> beats) {
    in.clear();
    in.addAll(beats);
    out.clear();
    for (Instruction ins : program) {
      if (ins.opcode() == Opcode.END) {
        break;
      }
      execute(ins);
    }
    if (!in.isEmpty()) {
      throw new IllegalStateException(in.size() + " s_axis beats left over");
    }
    return List.copyOf(out);
  }

  long[] word(int address) {
    return sp[address].clone();
  }

  private void execute(Instruction ins) {
    switch (ins.opcode()) {
      case HOST_IN -> {
        for (int it = 0; it < ins.repeat(); it++) {
          for (int i = 0; i < ins.len(); i++) {
            long[] beat = in.removeFirst();
            sp[dst(ins, it) + i] = Arrays.stream(beat).map(v -> wrap(v, plan.elementBits())).toArray();
          }
        }
      }
      case HOST_OUT -> {
        for (int it = 0; it < ins.repeat(); it++) {
          for (int i = 0; i < ins.len(); i++) {
            out.add(sp[src(ins, it) + i].clone());
          }
        }
      }
      case HOST_WEIGHTS -> {
        for (int k = 0; k < ins.bankCount(); k++) {
          int[][] w = new int[p.derived().bankInputs()][p.derived().bankOutputs()];
          BankBeats.forEach(p, (in2, out0) -> {
            long[] beat = in.removeFirst();
            for (int l = 0; l < lanes; l++) {
              w[in2][out0 + l] = (int) wrap(beat[l], p.precision().weightBits());
            }
          });
          banks[ins.bank() + k].loadWeights(w);
        }
      }
      case GATHER_WEIGHTS -> {
        int[][] w = new int[p.derived().bankInputs()][p.derived().bankOutputs()];
        for (int i = 0; i < w.length; i++) {
          for (int o = 0; o < w[i].length; o++) {
            if (i < ins.len() && o < ins.src2()) {
              long e = (long) ins.src() * lanes + (long) i * ins.a() + (long) o * ins.b();
              w[i][o] = (int) satSym(sp[(int) (e / lanes)][(int) (e % lanes)], p.precision().weightBits());
            }
          }
        }
        banks[ins.bank()].loadWeights(w);
      }
      case MVM -> mvm(ins);
      case SOFTMAX -> softmax(ins);
      case SFU -> sfu(ins);
      case END -> throw new IllegalStateException("END is not executed");
    }
  }

  private void mvm(Instruction ins) {
    int outBeats = p.derived().bankOutputs() / lanes;
    for (int it = 0; it < ins.repeat(); it++) {
      int[] x = new int[p.derived().bankInputs()];
      for (int i = 0; i < ins.len(); i++) {
        for (int e = 0; e < lanes; e++) {
          int at = (ins.a() + i) * lanes + e;
          if (at < x.length) {
            long v = sp[src(ins, it) + i][e];
            if (ins.shift() > 0) {
              v = (v + (1L << (ins.shift() - 1))) >> ins.shift();
            }
            int bits = p.precision().inputBits();
            x[at] = (ins.b() & Instruction.UNSIGNED_INPUT) != 0 ? (int) Math.max(0, Math.min((1L << bits) - 1, v))
                : (int) satSym(v, bits);
          }
        }
      }
      for (int k = 0; k < ins.bankCount(); k++) {
        long[] y = banks[ins.bank() + k].multiply(x, (ins.b() & Instruction.UNSIGNED_INPUT) != 0);
        for (int j = 0; j < outBeats; j++) {
          int d = dst(ins, it) + k * outBeats + j;
          long[] bias = sp[ins.src2() + k * outBeats + j];
          for (int l = 0; l < lanes; l++) {
            long v = y[j * lanes + l];
            v += (ins.b() & Instruction.ACCUMULATE) != 0 ? sp[d][l] : 0;
            v += (ins.b() & Instruction.BIAS) != 0 ? bias[l] : 0;
            sp[d][l] = sat(v, plan.elementBits());
          }
        }
      }
    }
  }

  private void softmax(Instruction ins) {
    if (ins.cmd() == 0) {
      long[] packet = packet(ins.src(), ins.len());
      long m = packet[0] & ((1L << p.softmax().scaleBits()) - 1);
      int shift = (int) (packet[1] & ((1L << p.softmaxDerived().shiftBits()) - 1));
      softmax.configure(new SoftmaxConfig(m, shift));
      return;
    }
    long mask = p.softmaxDerived().maskValue();
    long top = (1L << (p.softmax().inputBits() - 1)) - 1;
    for (int it = 0; it < ins.repeat(); it++) {
      long[] row = packet(src(ins, it), ins.len());
      long valid = ins.a() + (long) it * ins.b(); // b = valid keys added per row (1: causal)
      for (int e = 0; e < row.length; e++) {
        // ALiBi: minus round((valid - 1 - e) * src2 / 2^shift), half up.
        long dist = Math.max(0, valid - 1 - e);
        int sh = ins.shift() & 31; // the low 5 bits of the shift field
        long pen = sh == 0 ? dist * ins.src2() : (dist * ins.src2() + (1L << (sh - 1))) >> sh;
        row[e] = e >= valid ? mask : Math.max(mask + 1, Math.min(top, row[e] - pen));
      }
      store(dst(ins, it), softmax.row(row));
    }
  }

  private void sfu(Instruction ins) {
    int op = ins.cmd();
    if (op == SfuOp.CONFIGURE || op == SfuOp.LOAD_NORM || op == SfuOp.LOAD_CHANNELS) {
      sfu.run(op, accumulators(packet(ins.src(), ins.len())));
      return;
    }
    for (int it = 0; it < ins.repeat(); it++) {
      long[] packet;
      if (op == SfuOp.RESIDUAL) {
        packet = new long[2 * ins.len() * lanes];
        for (int i = 0; i < ins.len(); i++) {
          System.arraycopy(sp[src(ins, it) + i], 0, packet, 2 * i * lanes, lanes);
          System.arraycopy(sp[ins.src2() + it * ins.srcStep() + i], 0, packet, (2 * i + 1) * lanes, lanes);
        }
      } else {
        packet = packet(src(ins, it), ins.len());
      }
      store(dst(ins, it), sfu.run(op, accumulators(packet)));
    }
  }

  private long[] accumulators(long[] v) {
    return Arrays.stream(v).map(x -> sat(x, p.sfu().accBits())).toArray();
  }

  private long[] packet(int first, int beats) {
    long[] v = new long[beats * lanes];
    for (int i = 0; i < beats; i++) {
      System.arraycopy(sp[first + i], 0, v, i * lanes, lanes);
    }
    return v;
  }

  private void store(int first, long[] values) {
    for (int i = 0; i < values.length; i++) {
      sp[first + i / lanes][i % lanes] = sat(values[i], plan.elementBits());
    }
  }

  private static int src(Instruction ins, int it) {
    return ins.src() + it * ins.srcStep();
  }

  private static int dst(Instruction ins, int it) {
    return ins.dst() + it * ins.dstStep();
  }

  static long sat(long v, int bits) {
    long max = (1L << (bits - 1)) - 1;
    return Math.max(-max - 1, Math.min(max, v));
  }

  static long satSym(long v, int bits) {
    long max = (1L << (bits - 1)) - 1;
    return Math.max(-max, Math.min(max, v));
  }

  /** v mod 2^bits as a signed bits-wide number. */
  static long wrap(long v, int bits) {
    return v << (64 - bits) >> (64 - bits);
  }

  /** The bank's LoadWeights stream order: (input row, first output column) of each beat. */
  static final class BankBeats {
    interface Visitor {
      void beat(int in, int firstOut);
    }

    static void forEach(HwParams p, Visitor v) {
      int rows = p.crossbar().rows();
      int cols = p.crossbar().cols();
      int lanes = p.crossbar().lanes();
      for (int i = 0; i < p.bank().tileGridRows(); i++) {
        for (int j = 0; j < p.bank().tileGridCols(); j++) {
          for (int r = 0; r < rows; r++) {
            for (int w = 0; w < cols / lanes; w++) {
              v.beat(i * rows + r, j * cols + w * lanes);
            }
          }
        }
      }
    }
  }
}
