package pimforge.layer;

import java.util.Set;
import pimforge.golden.sfu.SfuOp;
import pimforge.params.HwParams;

/**
 * SFU, cmd = {@link SfuOp}; input elements are sat(v, sfu.accBits). CONFIGURE, LOAD_NORM,
 * LOAD_CHANNELS: the packet sp[src ..] len beats, no output, 1 + len cycles. REQUANT,
 * REQUANT_CHANNELS, ACTIVATE, NORM, each
 * iteration: sp[src' ..] len beats in, len beats out to sp[dst' ..]. RESIDUAL and MULTIPLY, each
 * iteration: beats sp[src'+i], sp[src2'+i] alternating for i < len; len beats out to sp[dst' ..].
 * ROTATE likewise, after a header beat holding the token position a + it (rotary embedding of
 * x = sp[src'..] with its rotate_half partner xRot = sp[src2'..]). Cycles:
 * repeat * SfuSchedule.cycles(op, beats in).
 */
final class SfuSpec implements OpcodeSpec {
  /**
   * CONFIGURE, LOAD_NORM: len words read. The others: repeat*len words written and as many read
   * per operand (two for RESIDUAL, MULTIPLY, ROTATE); per output element multiplies/adds (pimforge's
   * count of the datapath): REQUANT, ACTIVATE 1/1 (interpolation), NORM 3/4, RESIDUAL 1/2
   * (shift-align and add), MULTIPLY 1/1 (product and rounding), ROTATE 2/2 (x cos + xRot sin).
   */
  @Override
  public void countEvents(EventContext c, Instruction i, long[] e) {
    if (packetOnly(i.cmd())) {
      EventContext.add(e, Event.SCRATCH_READ_WORDS, i.len());
      return;
    }
    long beats = (long) i.repeat() * i.len();
    long el = beats * c.lanes();
    EventContext.add(e, Event.SCRATCH_READ_WORDS, paired(i.cmd()) ? 2 * beats : beats);
    EventContext.add(e, Event.SCRATCH_WRITE_WORDS, beats);
    EventContext.add(e, Event.SFU_ELEMENTS, el);
    int[] ma = switch (i.cmd()) {
      case SfuOp.NORM -> new int[] {3, 4};
      case SfuOp.RESIDUAL -> new int[] {1, 2};
      case SfuOp.ROTATE -> new int[] {2, 2};
      default -> new int[] {1, 1};
    };
    EventContext.add(e, Event.MULTS_32B, ma[0] * el);
    EventContext.add(e, Event.ADDS_32B, ma[1] * el);
  }

  /** Commands whose packets alternate beats of two operands (src and src2). */
  static boolean paired(int cmd) {
    return cmd == SfuOp.RESIDUAL || cmd == SfuOp.MULTIPLY || cmd == SfuOp.ROTATE;
  }

  /**
   * ROTATE: token position of iteration it, a + it (+ the POSITION register when b has
   * Instruction.POSITION_RELATIVE) modulo 2^POSITION_BITS (the engine's counter).
   */
  static long position(MachineState m, Instruction i, int it) {
    long base = (i.b() & Instruction.POSITION_RELATIVE) != 0 ? m.position : 0;
    return (base + i.a() + (long) it) & ((1L << pimforge.golden.sfu.RopeTable.POSITION_BITS) - 1);
  }

  private static boolean packetOnly(int cmd) {
    return cmd == SfuOp.CONFIGURE || cmd == SfuOp.LOAD_NORM || cmd == SfuOp.LOAD_CHANNELS;
  }

  @Override
  public long duration(TimingContext t, int index, Instruction i) {
    if (i.len() == 0) {
      return 1;
    }
    int nb = t.p().sfuDerived().normBeats();
    return switch (i.cmd()) {
      case SfuOp.CONFIGURE -> {
        TimingContext.require(i.len() == t.sfu().configBeats(), index, "SFU configure packet of " + i.len()
            + " beats, the unit takes " + t.sfu().configBeats());
        yield t.sfu().cycles(SfuOp.CONFIGURE, i.len());
      }
      case SfuOp.LOAD_NORM -> {
        TimingContext.require(i.len() == 2 * nb, index,
            "SFU gamma/beta packet of " + i.len() + " beats, the unit takes " + 2 * nb);
        yield t.sfu().cycles(SfuOp.LOAD_NORM, i.len());
      }
      case SfuOp.LOAD_CHANNELS -> {
        TimingContext.require(i.len() % 2 == 0 && i.len() <= 2 * t.p().sfuDerived().channelBeats(), index,
            "SFU channel table packet of " + i.len() + " beats, the unit takes an even number up to "
                + 2 * t.p().sfuDerived().channelBeats());
        yield t.sfu().cycles(SfuOp.LOAD_CHANNELS, i.len());
      }
      case SfuOp.REQUANT_CHANNELS -> {
        TimingContext.require(i.len() <= t.p().sfuDerived().channelBeats(), index, "SFU per-channel requantization of "
            + i.len() + " beats, the table holds " + t.p().sfuDerived().channelBeats());
        yield i.repeat() * t.sfu().cycles(i.cmd(), i.len());
      }
      case SfuOp.NORM -> {
        TimingContext.require(i.len() == nb, index,
            "SFU norm vector of " + i.len() + " beats, the unit takes " + nb);
        yield i.repeat() * t.sfu().cycles(SfuOp.NORM, i.len());
      }
      case SfuOp.RESIDUAL, SfuOp.MULTIPLY -> i.repeat() * t.sfu().cycles(i.cmd(), 2L * i.len());
      case SfuOp.ROTATE -> i.repeat() * t.sfu().cycles(i.cmd(), 1 + 2L * i.len());
      case SfuOp.REQUANT, SfuOp.ACTIVATE -> i.repeat() * t.sfu().cycles(i.cmd(), i.len());
      default -> throw new IllegalArgumentException("instruction " + index + ": no SFU command " + i.cmd());
    };
  }

  @Override
  public Footprint footprint(HwParams p, Instruction i) {
    if (packetOnly(i.cmd())) {
      return new Footprint(new WordRanges().add(i.src(), i.src() + i.len()), new WordRanges(), Set.of(),
          Set.of("sfu"));
    }
    int n = i.repeat();
    WordRanges r = new WordRanges().addStrided(i.src(), i.len(), i.srcStep(), n);
    if (paired(i.cmd())) {
      r.addStrided(i.src2(), i.len(), i.srcStep(), n);
    }
    return new Footprint(r, new WordRanges().addStrided(i.dst(), i.len(), i.dstStep(), n), Set.of("sfu"),
        Set.of());
  }

  @Override
  public void execute(MachineState m, Instruction i) {
    int op = i.cmd();
    int lanes = m.lanes;
    if (packetOnly(op)) {
      m.sfu.run(op, m.accIn(m.sp.readBeats(i.src(), i.len())));
      return;
    }
    for (int it = 0; it < i.repeat(); it++) {
      int src = i.src() + it * i.srcStep();
      long[] packet;
      if (paired(op)) {
        int src2 = i.src2() + it * i.srcStep();
        packet = new long[2 * i.len() * lanes];
        for (int b = 0; b < i.len(); b++) {
          System.arraycopy(m.sp.read(src + b), 0, packet, 2 * b * lanes, lanes);
          System.arraycopy(m.sp.read(src2 + b), 0, packet, (2 * b + 1) * lanes, lanes);
        }
        if (op == SfuOp.ROTATE) {
          // A header beat holding the position a + it goes first (not saturated: the unit reads its low bits).
          long[] withHeader = new long[lanes + packet.length];
          withHeader[0] = position(m, i, it);
          System.arraycopy(m.accIn(packet), 0, withHeader, lanes, packet.length);
          m.sp.writeBeats(i.dst() + it * i.dstStep(), m.sfu.run(op, withHeader));
          continue;
        }
      } else if (op == SfuOp.REQUANT || op == SfuOp.REQUANT_CHANNELS || op == SfuOp.ACTIVATE || op == SfuOp.NORM) {
        packet = m.sp.readBeats(src, i.len());
      } else {
        throw new IllegalArgumentException("no SFU command " + op);
      }
      m.sp.writeBeats(i.dst() + it * i.dstStep(), m.sfu.run(op, m.accIn(packet)));
    }
  }
}
