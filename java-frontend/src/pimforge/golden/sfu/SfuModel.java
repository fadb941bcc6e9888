package pimforge.golden.sfu;

import java.util.Arrays;
import pimforge.params.HwParams;
import pimforge.params.SfuParams;

/**
 * The SFU as the host sees it: runtime registers, gamma/beta memories, and one method per command
 * packet ({@link SfuOp}). Bit-exact with {@code pimforge.hw.sfu.Sfu}.
 */
public final class SfuModel {
  private final SfuParams s;
  private final int n;
  private final Activation activation;
  private final Norm norm;
  private final RopeTable rope;
  private final int headDim;
  private long m;
  private int shift;
  private int shiftA;
  private int shiftB;
  private int shiftOut;
  private long[] gamma;
  private long[] beta;
  /** Per-channel requantization table (LOAD_CHANNELS): multipliers and shifts per entry. */
  private final long[] channelM;
  private final int[] channelS;

  public SfuModel(HwParams p) {
    this.s = p.sfu();
    this.n = p.sfuDerived().vectorLength();
    this.activation = new Activation(p);
    this.norm = new Norm(p);
    this.rope = RopeTable.of(p);
    this.headDim = p.model().headDim();
    this.gamma = new long[n];
    this.beta = new long[n];
    this.channelM = new long[p.sfuDerived().channelBeats() * s.lanes()];
    this.channelS = new int[channelM.length];
  }

  /** Runs one command packet; returns the output packet (empty for commands without output). */
  public long[] run(int op, long[] in) {
    switch (op) {
      case SfuOp.CONFIGURE -> {
        m = Fixed.unsignedLow(in[0], s.multiplierBits());
        shift = (int) Fixed.unsignedLow(in[1], 6);
        shiftA = (int) Fixed.unsignedLow(in[2], 4);
        shiftB = (int) Fixed.unsignedLow(in[3], 4);
        shiftOut = (int) Fixed.unsignedLow(in[4], 5);
        return new long[0];
      }
      case SfuOp.LOAD_NORM -> {
        gamma = Arrays.copyOfRange(in, 0, n);
        beta = Arrays.copyOfRange(in, n, 2 * n);
        return new long[0];
      }
      case SfuOp.REQUANT -> {
        return Arrays.stream(in).map(v -> Requant.apply(s, v, m, shift)).toArray();
      }
      case SfuOp.LOAD_CHANNELS -> {
        requireTable(in.length / 2, "LOAD_CHANNELS pairs");
        pairwise(in, 0, (mv, sv, e) -> {
          channelM[e] = Fixed.unsignedLow(mv, s.multiplierBits());
          channelS[e] = (int) Fixed.unsignedLow(sv, 6);
          return 0;
        });
        return new long[0];
      }
      case SfuOp.REQUANT_CHANNELS -> {
        requireTable(in.length, "REQUANT_CHANNELS elements");
        long[] y = new long[in.length];
        for (int e = 0; e < in.length; e++) {
          y[e] = Requant.apply(s, in[e], channelM[e], channelS[e]);
        }
        return y;
      }
      case SfuOp.RESIDUAL -> {
        return pairwise(in, 0, (a, b, e) -> ResidualAdd.apply(s, a, b, shiftA, shiftB, shiftOut));
      }
      case SfuOp.MULTIPLY -> {
        return pairwise(in, 0, (a, b, e) -> ElementMultiply.apply(s, a, b, shiftOut));
      }
      case SfuOp.ROTATE -> {
        long pos = Fixed.unsignedLow(in[0], RopeTable.POSITION_BITS);
        return pairwise(in, s.lanes(), (x, xRot, e) -> RopeRotation.apply(s, x, xRot,
            rope == null ? new long[] {1L << RopeTable.TRIG_FRAC_BITS, 0} : rope.cosSin(pos, e % headDim)));
      }
      case SfuOp.NORM -> {
        return norm.apply(in, gamma, beta);
      }
      case SfuOp.ACTIVATE -> {
        return Arrays.stream(in).map(activation::apply).toArray();
      }
      default -> throw new IllegalArgumentException("no SFU op " + op);
    }
  }

  private void requireTable(int elements, String what) {
    if (elements > channelM.length) {
      throw new IllegalArgumentException(what + ": " + elements + ", the channel table holds " + channelM.length);
    }
  }

  /** One output element per pair of elements a (a-beat lane l), b (b-beat lane l), e its index. */
  private interface PairOp {
    long apply(long a, long b, int e);
  }

  /** Beats alternating a, b after {@code header} elements; element e of the result is f(a_e, b_e, e). */
  private long[] pairwise(long[] in, int header, PairOp f) {
    int lanes = s.lanes();
    long[] y = new long[(in.length - header) / 2];
    for (int pair = 0; pair < y.length / lanes; pair++) {
      for (int l = 0; l < lanes; l++) {
        int e = pair * lanes + l;
        y[e] = f.apply(in[header + 2 * pair * lanes + l], in[header + (2 * pair + 1) * lanes + l], e);
      }
    }
    return y;
  }
}
