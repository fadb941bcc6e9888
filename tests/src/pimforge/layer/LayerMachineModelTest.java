package pimforge.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import pimforge.golden.PimBankModel;
import pimforge.golden.sfu.Fixed;
import pimforge.golden.sfu.SfuModel;
import pimforge.golden.sfu.SfuOp;
import pimforge.golden.softmax.SoftmaxConfig;
import pimforge.golden.softmax.SoftmaxModel;
import pimforge.params.AttentionParams.Schedule;
import pimforge.params.HwParams;

/** Each opcode of the interpreter against the unit golden models and Opcode.java's formulas. */
class LayerMachineModelTest {
  private final HwParams p = LayerConfigs.small(Schedule.STRAIGHTFORWARD, false);
  private final LayerPlan plan = LayerPlan.of(p);
  private final int lanes = plan.lanes();
  private final int e = plan.elementBits();
  private final int bankIn = p.derived().bankInputs();
  private final int bankOut = p.derived().bankOutputs();
  private final Random r = new Random(7);

  private static Instruction ins(Opcode op, int cmd, int repeat, int src, int dst, int src2, int len, int srcStep,
      int dstStep, int bank, int bankCount, int shift, int a, int b) {
    return new Instruction(op, LayerStage.QKV, 0, cmd, repeat, src, dst, src2, len, srcStep, dstStep, bank,
        bankCount, shift, a, b);
  }

  private static Instruction hostIn(int dst, int len) {
    return ins(Opcode.HOST_IN, 0, 1, 0, dst, 0, len, 0, 0, 0, 0, 0, 0, 0);
  }

  private static Instruction hostOut(int src, int len) {
    return ins(Opcode.HOST_OUT, 0, 1, src, 0, 0, len, 0, 0, 0, 0, 0, 0, 0);
  }

  private List<long[]> beats(long[] flat) {
    List<long[]> b = new ArrayList<>();
    for (int i = 0; i < flat.length / lanes; i++) {
      b.add(java.util.Arrays.copyOfRange(flat, i * lanes, (i + 1) * lanes));
    }
    return b;
  }

  private static long[] flat(List<long[]> beats) {
    return beats.stream().flatMapToLong(java.util.Arrays::stream).toArray();
  }

  private static List<Instruction> prog(Instruction... is) {
    List<Instruction> l = new ArrayList<>(List.of(is));
    l.add(Instruction.end());
    return l;
  }

  private long[] random(int n, long bound) {
    long[] v = new long[n];
    for (int i = 0; i < n; i++) {
      v[i] = r.nextLong(2 * bound + 1) - bound;
    }
    return v;
  }

  /** The LoadWeights packet written out from the PimBank header, independently of BankWeightStream. */
  private List<long[]> packet(long[][] w) {
    List<long[]> out = new ArrayList<>();
    int rows = p.crossbar().rows();
    int cols = p.crossbar().cols();
    for (int ti = 0; ti < p.bank().tileGridRows(); ti++) {
      for (int tj = 0; tj < p.bank().tileGridCols(); tj++) {
        for (int row = 0; row < rows; row++) {
          for (int word = 0; word < cols / lanes; word++) {
            long[] beat = new long[lanes];
            for (int l = 0; l < lanes; l++) {
              beat[l] = w[ti * rows + row][tj * cols + word * lanes + l];
            }
            out.add(beat);
          }
        }
      }
    }
    return out;
  }

  @Test
  void hostInWrapsToElementBitsAndHostOutReadsBack() {
    LayerMachineModel m = new LayerMachineModel(p, plan);
    long[] v = random(6 * lanes, 1000);
    v[0] = (1L << e) + 3; // wraps to 3
    v[1] = (1L << (e - 1)); // wraps to -2^(e-1)
    // Two iterations of 3 beats, written with a gap (dstStep 5), read back the same way.
    List<long[]> out = m.run(prog(ins(Opcode.HOST_IN, 0, 2, 0, 10, 0, 3, 0, 5, 0, 0, 0, 0, 0),
        ins(Opcode.HOST_OUT, 0, 2, 10, 0, 0, 3, 5, 0, 0, 0, 0, 0, 0)), beats(v));
    long[] want = v.clone();
    want[0] = 3;
    want[1] = -(1L << (e - 1));
    assertArrayEquals(want, flat(out));
    assertArrayEquals(new long[lanes], m.scratchpad().read(13), "the gap stays untouched");
  }

  @Test
  void hostWeightsLoadsBanksInStreamOrderWithElementsModWeightBits() {
    int wBits = p.precision().weightBits();
    long[][] w0 = new long[bankIn][bankOut];
    long[][] w1 = new long[bankIn][bankOut];
    int[][] want0 = new int[bankIn][bankOut];
    int[][] want1 = new int[bankIn][bankOut];
    for (int i = 0; i < bankIn; i++) {
      for (int o = 0; o < bankOut; o++) {
        want0[i][o] = r.nextInt(1 << wBits) - (1 << (wBits - 1));
        want1[i][o] = r.nextInt(1 << wBits) - (1 << (wBits - 1));
        w0[i][o] = want0[i][o] + ((long) (r.nextInt(5) - 2) << wBits); // other high bits: ignored
        w1[i][o] = want1[i][o];
      }
    }
    long[] x = random(bankIn, (1L << (p.precision().inputBits() - 1)) - 1);
    List<long[]> in = new ArrayList<>(packet(w0));
    in.addAll(packet(w1));
    in.addAll(beats(x));
    int outW = bankOut / lanes;
    LayerMachineModel m = new LayerMachineModel(p, plan);
    List<long[]> out = m.run(prog(ins(Opcode.HOST_WEIGHTS, 0, 1, 0, 0, 0, 0, 0, 0, 2, 2, 0, 0, 0),
        hostIn(0, bankIn / lanes),
        ins(Opcode.MVM, 0, 1, 0, 100, 0, bankIn / lanes, 0, 0, 2, 2, 0, 0, 0),
        hostOut(100, 2 * outW)), in);
    assertEquals(2L * bankIn * bankOut, m.crossbarWrites());
    long[] got = flat(out);
    assertArrayEquals(bank(want0).multiply(toInts(x)), java.util.Arrays.copyOfRange(got, 0, bankOut));
    assertArrayEquals(bank(want1).multiply(toInts(x)), java.util.Arrays.copyOfRange(got, bankOut, 2 * bankOut));
  }

  @Test
  void gatherWeightsTakesStridedElementsSaturatedSymmetricallyAndZeroOutside() {
    LayerMachineModel m = new LayerMachineModel(p, plan);
    int words = 2000;
    long[] data = random(words * lanes, 300); // beyond the weight range: saturates to +-(2^(W-1)-1)
    int rows = bankIn - 5;
    int cols = 9;
    int a = 37; // row stride (elements)
    int b = 3; // column stride
    int src = 11;
    long wMax = (1L << (p.precision().weightBits() - 1)) - 1;
    int[][] want = new int[bankIn][bankOut];
    for (int i = 0; i < rows; i++) {
      for (int o = 0; o < cols; o++) {
        long v = data[src * lanes + i * a + o * b];
        want[i][o] = (int) Math.max(-wMax, Math.min(wMax, v));
      }
    }
    long[] x = random(bankIn, 100);
    List<long[]> in = new ArrayList<>(beats(data));
    in.addAll(beats(x));
    List<long[]> out = m.run(prog(hostIn(0, words), hostIn(words, bankIn / lanes),
        ins(Opcode.GATHER_WEIGHTS, 0, 1, src, 0, cols, rows, 0, 0, 3, 0, 0, a, b),
        ins(Opcode.MVM, 0, 1, words, words + 100, 0, bankIn / lanes, 0, 0, 3, 1, 0, 0, 0),
        hostOut(words + 100, bankOut / lanes)), in);
    assertEquals((long) bankIn * bankOut, m.crossbarWrites());
    assertArrayEquals(bank(want).multiply(toInts(x)), flat(out));
  }

  @Test
  void mvmShiftsSaturatesOffsetsAddsBiasAccumulatesAndSaturatesToElementBits() {
    int[][] w = new int[bankIn][bankOut];
    for (int[] row : w) {
      for (int o = 0; o < bankOut; o++) {
        row[o] = r.nextInt(255) - 127;
      }
    }
    int inBits = p.precision().inputBits();
    long inMax = (1L << (inBits - 1)) - 1;
    int len = 3;
    int offset = 2;
    int shift = 3;
    int outW = bankOut / lanes;
    // Two iterations (srcStep 4, dstStep 2*outW); bias at word 50, old values at the destination.
    long[] x = random(2 * 4 * lanes, 2000);
    long[] bias = random(2 * outW * lanes, 1 << 20);
    long[] old = random(2 * 2 * outW * lanes, 1 << 20);
    long top = (1L << (e - 1)) - 1;
    old[5] = top; // saturates the sum
    List<long[]> in = new ArrayList<>(packet(toLongs(w)));
    in.addAll(packet(toLongs(w)));
    in.addAll(beats(x));
    in.addAll(beats(bias));
    in.addAll(beats(old));
    LayerMachineModel m = new LayerMachineModel(p, plan);
    List<long[]> out = m.run(prog(ins(Opcode.HOST_WEIGHTS, 0, 1, 0, 0, 0, 0, 0, 0, 4, 2, 0, 0, 0),
        hostIn(0, 8), hostIn(50, 2 * outW), hostIn(200, 4 * outW),
        ins(Opcode.MVM, 0, 2, 0, 200, 50, len, 4, 2 * outW, 4, 2, shift, offset,
            Instruction.BIAS | Instruction.ACCUMULATE),
        hostOut(200, 4 * outW)), in);
    PimBankModel bank = bank(w);
    long[] want = new long[4 * outW * lanes];
    for (int it = 0; it < 2; it++) {
      int[] xv = new int[bankIn];
      for (int i = 0; i < len * lanes; i++) {
        long s = (x[it * 4 * lanes + i] + (1L << (shift - 1))) >> shift;
        xv[offset * lanes + i] = (int) Math.max(-inMax, Math.min(inMax, s));
      }
      long[] y = bank.multiply(xv);
      for (int k = 0; k < 2; k++) {
        for (int o = 0; o < bankOut; o++) {
          int idx = it * 2 * bankOut + k * bankOut + o;
          want[idx] = Fixed.saturate(y[o] + old[idx] + bias[k * bankOut + o], e);
        }
      }
    }
    assertEquals(top, want[5]);
    assertArrayEquals(want, flat(out));
  }

  @Test
  void softmaxConfiguresFromScratchMasksKeysAndClampsScores() {
    SoftmaxConfig cfg = SoftmaxConfig.forScale(p, 0.01);
    int len = 4; // 16 keys per row
    int valid = 13;
    int inBits = p.softmax().inputBits();
    long[] rows = random(2 * len * lanes, 3000);
    rows[2] = 5L << inBits; // clamped to the top score
    rows[20] = -(5L << inBits); // clamped to maskValue + 1
    long[] cfgPacket = cfg.packet(p);
    List<long[]> in = new ArrayList<>(beats(cfgPacket));
    in.addAll(beats(rows));
    int cfgBeats = cfgPacket.length / lanes;
    LayerMachineModel m = new LayerMachineModel(p, plan);
    List<long[]> out = m.run(prog(hostIn(0, cfgBeats), hostIn(10, 2 * len),
        ins(Opcode.SOFTMAX, pimforge.golden.softmax.SoftmaxOp.CONFIGURE, 1, 0, 0, 0, cfgBeats, 0, 0, 0, 0, 0, 0, 0),
        ins(Opcode.SOFTMAX, pimforge.golden.softmax.SoftmaxOp.ROW, 2, 10, 40, 0, len, len, len + 1, 0, 0, 0, valid, 0),
        hostOut(40, len), hostOut(40 + len + 1, len)), in);
    SoftmaxModel sm = new SoftmaxModel(p);
    sm.configure(cfg);
    long mask = p.softmaxDerived().maskValue();
    long top = (1L << (inBits - 1)) - 1;
    long[] want = new long[2 * len * lanes];
    for (int it = 0; it < 2; it++) {
      long[] row = new long[len * lanes];
      for (int i = 0; i < row.length; i++) {
        row[i] = i >= valid ? mask : Math.max(mask + 1, Math.min(top, rows[it * len * lanes + i]));
      }
      System.arraycopy(sm.row(row), 0, want, it * len * lanes, row.length);
    }
    assertArrayEquals(want, flat(out));
    assertEquals(0, want[valid]);
  }

  @Test
  void sfuCommandsMatchTheSfuModel() {
    int n = p.model().hiddenSize();
    long accMax = 1L << (p.sfu().accBits() - 1);
    long[] req = random(3 * lanes, 100000);
    req[0] = (1L << (e - 1)) - 1; // the largest element: saturated to accBits on the way in (if wider)
    long[] cfgReq = {12345, 17, 0, 0, 0, 0, 0, 0};
    long[] cfgRes = {0, 0, 3, 1, 4, 0, 0, 0};
    long[] a = random(2 * lanes, 200);
    long[] b = random(2 * lanes, 200);
    long[] x = random(n, 100);
    long[] gb = random(2 * n, 1 << 13);
    long[] act = random(2 * lanes, 127);
    int cfgBeats = 2;
    int nW = n / lanes;
    List<long[]> in = new ArrayList<>();
    for (long[] v : List.of(cfgReq, cfgRes, req, a, b, x, gb, act)) {
      in.addAll(beats(v));
    }
    LayerMachineModel m = new LayerMachineModel(p, plan);
    int cfgA = 0;
    int cfgB = 2;
    int reqW = 4;
    int aW = 7;
    int bW = 9;
    int xW = 11;
    int gbW = xW + nW;
    int actW = gbW + 2 * nW;
    int out = 1000;
    List<long[]> got = m.run(prog(hostIn(cfgA, cfgBeats), hostIn(cfgB, cfgBeats), hostIn(reqW, 3), hostIn(aW, 2),
        hostIn(bW, 2), hostIn(xW, nW), hostIn(gbW, 2 * nW), hostIn(actW, 2),
        ins(Opcode.SFU, SfuOp.CONFIGURE, 1, cfgA, 0, 0, cfgBeats, 0, 0, 0, 0, 0, 0, 0),
        ins(Opcode.SFU, SfuOp.REQUANT, 3, reqW, out, 0, 1, 1, 1, 0, 0, 0, 0, 0),
        ins(Opcode.SFU, SfuOp.CONFIGURE, 1, cfgB, 0, 0, cfgBeats, 0, 0, 0, 0, 0, 0, 0),
        ins(Opcode.SFU, SfuOp.RESIDUAL, 2, aW, out + 3, bW, 1, 1, 1, 0, 0, 0, 0, 0),
        ins(Opcode.SFU, SfuOp.LOAD_NORM, 1, gbW, 0, 0, 2 * nW, 0, 0, 0, 0, 0, 0, 0),
        ins(Opcode.SFU, SfuOp.NORM, 1, xW, out + 5, 0, nW, 0, 0, 0, 0, 0, 0, 0),
        ins(Opcode.SFU, SfuOp.ACTIVATE, 1, actW, out + 5 + nW, 0, 2, 0, 0, 0, 0, 0, 0, 0),
        hostOut(out, 5 + nW + 2)), in);
    SfuModel sfu = new SfuModel(p);
    List<Long> want = new ArrayList<>();
    sfu.run(SfuOp.CONFIGURE, cfgReq);
    long[] reqIn = req.clone();
    reqIn[0] = Math.min(req[0], accMax - 1);
    add(want, sfu.run(SfuOp.REQUANT, reqIn));
    sfu.run(SfuOp.CONFIGURE, cfgRes);
    long[] pairs = new long[4 * lanes];
    for (int beat = 0; beat < 2; beat++) {
      System.arraycopy(a, beat * lanes, pairs, 2 * beat * lanes, lanes);
      System.arraycopy(b, beat * lanes, pairs, (2 * beat + 1) * lanes, lanes);
    }
    add(want, sfu.run(SfuOp.RESIDUAL, pairs));
    sfu.run(SfuOp.LOAD_NORM, gb);
    add(want, sfu.run(SfuOp.NORM, x));
    add(want, sfu.run(SfuOp.ACTIVATE, act));
    assertArrayEquals(want.stream().mapToLong(Long::longValue).toArray(), flat(got));
  }

  @Test
  void endNeedsEveryInputBeatConsumedAndProgramsNeedEnd() {
    LayerMachineModel m = new LayerMachineModel(p, plan);
    assertThrows(IllegalStateException.class, () -> m.run(prog(), beats(new long[lanes])));
    assertThrows(IllegalStateException.class, () -> m.run(prog(hostIn(0, 2)), beats(new long[lanes])));
    assertThrows(IllegalStateException.class, () -> m.run(List.of(hostIn(0, 1)), beats(new long[lanes])));
    assertEquals(0, m.run(prog(hostIn(0, 1)), beats(new long[lanes])).size());
    assertEquals(2, m.instructions());
  }

  private static void add(List<Long> l, long[] v) {
    for (long x : v) {
      l.add(x);
    }
  }

  private PimBankModel bank(int[][] w) {
    PimBankModel b = new PimBankModel(p);
    b.loadWeights(w);
    return b;
  }

  private static int[] toInts(long[] v) {
    return java.util.Arrays.stream(v).mapToInt(Math::toIntExact).toArray();
  }

  private static long[][] toLongs(int[][] w) {
    long[][] l = new long[w.length][];
    for (int i = 0; i < w.length; i++) {
      l[i] = java.util.Arrays.stream(w[i]).asLongStream().toArray();
    }
    return l;
  }
}
