package pimforge.sfu;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import pimforge.cosim.StreamRun;
import pimforge.golden.sfu.SfuOp;
import pimforge.golden.sfu.SfuSchedule;
import pimforge.params.HwParams;
import pimforge.params.SfuParams;

/** Random and corner transactions covering every SFU command, from one seed. */
final class SfuStimulus {
  private final HwParams p;
  private final SfuParams s;
  private final Random rnd;
  private final int lanes;
  private final int n;
  final List<StreamRun.Transaction> transactions = new ArrayList<>();

  private SfuStimulus(HwParams p, long seed) {
    this.p = p;
    this.s = p.sfu();
    this.rnd = new Random(seed);
    this.lanes = s.lanes();
    this.n = p.sfuDerived().vectorLength();
  }

  static SfuStimulus of(HwParams p, long seed) {
    SfuStimulus st = new SfuStimulus(p, seed);
    st.build();
    return st;
  }

  /** Per-channel requantization only: table loads (whole and partial) and packets of every length. */
  static SfuStimulus channels(HwParams p, long seed) {
    SfuStimulus st = new SfuStimulus(p, seed);
    for (int round = 0; round < 6; round++) {
      st.loadChannels(round);
      for (int k = 0; k < 3; k++) {
        st.add(SfuOp.REQUANT_CHANNELS, st.requantChannelValues(round % 3));
      }
    }
    return st;
  }

  private void build() {
    for (int round = 0; round < 3; round++) {
      configure(round);
      loadNorm(round);
      add(SfuOp.REQUANT, requantValues(round));
      loadChannels(round);
      add(SfuOp.REQUANT_CHANNELS, requantChannelValues(round));
      add(SfuOp.REQUANT_CHANNELS, requantChannelValues(round));
      add(SfuOp.RESIDUAL, residualValues());
      add(SfuOp.MULTIPLY, multiplyValues());
      add(SfuOp.ROTATE, rotateValues(round));
      for (int v = 0; v < 3; v++) {
        add(SfuOp.NORM, normVector(round * 3 + v));
      }
      add(SfuOp.ACTIVATE, activationValues(round));
    }
  }

  private void add(int op, long[] values) {
    boolean out = op != SfuOp.CONFIGURE && op != SfuOp.LOAD_NORM && op != SfuOp.LOAD_CHANNELS;
    transactions.add(new StreamRun.Transaction(op, out, values));
  }

  private long signed(int bits) {
    return rnd.nextLong() >> (64 - bits);
  }

  private long pick(int bits) {
    long max = (1L << (bits - 1)) - 1;
    return switch (rnd.nextInt(8)) {
      case 0 -> max;
      case 1 -> -max - 1;
      case 2 -> 0;
      default -> signed(bits);
    };
  }

  private void configure(int round) {
    long m = round == 1 ? (1L << s.multiplierBits()) - 1 : 1 + rnd.nextLong((1L << s.multiplierBits()) - 1);
    int shift = round == 2 ? rnd.nextInt(64) : s.multiplierBits() + rnd.nextInt(s.accBits() - s.actBits());
    long[] v = new long[new SfuSchedule(p).configBeats() * lanes];
    v[0] = m;
    v[1] = round == 0 ? 0 : shift;
    v[2] = rnd.nextInt(16);
    v[3] = rnd.nextInt(16);
    v[4] = round == 1 ? 0 : rnd.nextInt(32);
    add(SfuOp.CONFIGURE, v);
  }

  private void loadNorm(int round) {
    long[] v = new long[2 * n];
    for (int i = 0; i < 2 * n; i++) {
      v[i] = round == 0 && i < n ? 1L << s.gammaFracBits() : pick(s.gammaBits());
    }
    add(SfuOp.LOAD_NORM, v);
  }

  private long[] requantValues(int round) {
    long[] v = new long[lanes * (1 + rnd.nextInt(12))];
    for (int i = 0; i < v.length; i++) {
      v[i] = round == 0 ? signed(s.actBits() + 4) : pick(s.accBits());
    }
    return v;
  }

  /**
   * Round 0 fills the whole channel table (so every entry is defined afterwards), later rounds
   * overwrite a random prefix. Multipliers include 0, 1 and the largest; shifts 0, 63 and the
   * useful range.
   */
  private void loadChannels(int round) {
    int cb = p.sfuDerived().channelBeats();
    int pairs = round == 0 ? cb : 1 + rnd.nextInt(cb);
    long[] v = new long[2 * pairs * lanes];
    long mMax = (1L << s.multiplierBits()) - 1;
    for (int b = 0; b < pairs; b++) {
      for (int l = 0; l < lanes; l++) {
        v[2 * b * lanes + l] = switch (rnd.nextInt(6)) {
          case 0 -> mMax;
          case 1 -> rnd.nextInt(2);
          default -> 1 + rnd.nextLong(mMax);
        };
        v[(2 * b + 1) * lanes + l] = switch (rnd.nextInt(6)) {
          case 0 -> 0;
          case 1 -> 63;
          default -> s.multiplierBits() + rnd.nextInt(s.accBits() - s.actBits() + 1);
        };
      }
    }
    add(SfuOp.LOAD_CHANNELS, v);
  }

  /** 1..channelBeats beats: a short packet or the whole table, each element with its own entry. */
  private long[] requantChannelValues(int round) {
    int cb = p.sfuDerived().channelBeats();
    long[] v = new long[lanes * (rnd.nextBoolean() ? cb : 1 + rnd.nextInt(cb))];
    for (int i = 0; i < v.length; i++) {
      v[i] = round == 0 ? signed(s.actBits() + 4) : pick(s.accBits());
    }
    return v;
  }

  private long[] residualValues() {
    long[] v = new long[2 * lanes * (1 + rnd.nextInt(8))];
    for (int i = 0; i < v.length; i++) {
      v[i] = pick(s.residualBits());
    }
    return v;
  }

  /** Activation pairs (extremes included, so that products saturate at small output shifts). */
  private long[] multiplyValues() {
    long[] v = new long[2 * lanes * (1 + rnd.nextInt(8))];
    for (int i = 0; i < v.length; i++) {
      v[i] = pick(s.actBits());
    }
    return v;
  }

  /** A header beat with a position (0, the largest, or random), then x / xRot pairs of whole heads. */
  private long[] rotateValues(int round) {
    int heads = 1 + rnd.nextInt(3);
    int beatsPerHead = Math.max(1, p.model().headDim() / lanes);
    long[] v = new long[lanes + 2 * lanes * heads * beatsPerHead];
    int maxPos = (1 << pimforge.golden.sfu.RopeTable.POSITION_BITS) - 1;
    v[0] = round == 0 ? 0 : round == 1 ? maxPos : rnd.nextInt(maxPos + 1);
    for (int i = lanes; i < v.length; i++) {
      v[i] = pick(s.actBits());
    }
    return v;
  }

  private long[] normVector(int kind) {
    long[] v = new long[n];
    long c = pick(s.actBits());
    for (int i = 0; i < n; i++) {
      v[i] = switch (kind % 5) {
        case 0 -> c; // constant: variance 0 (RMSNorm: D = 0 only when c = 0)
        case 1 -> i == 0 ? (1L << (s.actBits() - 1)) - 1 : -(1L << (s.actBits() - 1)); // one outlier, extremes
        case 2 -> i % 2 == 0 ? 0 : 1; // smallest non-zero spread
        default -> signed(s.actBits());
      };
    }
    if (kind == 5) {
      java.util.Arrays.fill(v, 0);
    }
    return v;
  }

  /** Every activation input once (the clamped ends of the table included), in random beats. */
  private long[] activationValues(int round) {
    int count = 1 << s.actBits();
    int beats = (count + lanes - 1) / lanes;
    long[] v = new long[beats * lanes];
    for (int i = 0; i < v.length; i++) {
      v[i] = round == 0 ? (i % count) - count / 2 : signed(s.actBits());
    }
    return v;
  }
}
