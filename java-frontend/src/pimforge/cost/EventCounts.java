package pimforge.cost;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import pimforge.golden.BankSchedule;
import pimforge.golden.sfu.SfuOp;
import pimforge.layer.Engine;
import pimforge.layer.Instruction;
import pimforge.layer.LayerPlan;
import pimforge.params.HwParams;
import pimforge.params.XbarDerived;

/**
 * Event counts of one program of the layer top, per instruction and per engine, from the
 * instructions themselves (their opcode, repeat, len, bankCount, cmd, flags) and the bank's exact
 * schedule ({@link BankSchedule}, {@link XbarDerived}); the same fields {@code LayerTiming} turns into
 * cycles. XBAR_WRITES equals {@code LayerTiming.xbarWrites()} (tested), which the co-simulation
 * proves equal to the RTL's XBAR_WRITES counter.
 *
 * <p>Per instruction (T = tiles per bank, R = crossbar rows, Wt = column words per tile, I = inputBits,
 * A = ADCs per tile, S x G = slices x column groups per weight, W = weight beats per bank,
 * L = lanes, O = bankOutputs / L):
 * <ul>
 *   <li>MVM, per iteration and bank: compute steps Wt*I per tile; ADC conversions T*A*Wt*I (= shift-adds),
 *       DAC drives T*R*Wt*I, cell reads T*R*A*Wt*I, 32-bit adds bankOutputs*(tileGridRows + bias + accumulate);
 *       scratchpad: len words read per iteration (the input, broadcast to all banks), O written per bank,
 *       O read per bank for BIAS and again for ACCUMULATE.
 *   <li>HOST_WEIGHTS: per bank W beats, W*L weights (XBAR_WRITES), W*L*S*G cells programmed, W*L stream
 *       elements in. GATHER_WEIGHTS: the same for one bank, no stream; W*L scratchpad word reads (one
 *       read port per lane, GatherBeat.scala).
 *   <li>HOST_IN / HOST_OUT: repeat*len words written / read, as many beats of L elements streamed.
 *   <li>SOFTMAX: configure: len words read; row: repeat*len words read and written, repeat*len*L elements.
 *   <li>SFU: CONFIGURE, LOAD_NORM: len words read; REQUANT, ACTIVATE, NORM: repeat*len words read and
 *       written; RESIDUAL: 2*repeat*len read, repeat*len written; elements = words written * L.
 * </ul>
 * Digital arithmetic per element (pimforge's assumption, charged with Horowitz's 32-bit figures):
 * softmax 2 multiplies + 2 adds (exponential and normalization, max and sum); REQUANT and ACTIVATE
 * 1 multiply + 1 add; NORM 3 multiplies + 4 adds (mean and variance sums, normalize, gamma/beta);
 * RESIDUAL 1 multiply + 2 adds.
 */
public record EventCounts(List<long[]> perInstruction, List<Instruction> program, int lanes, int elementBits) {

  public EventCounts {
    perInstruction = Collections.unmodifiableList(new ArrayList<>(perInstruction));
  }

  public static EventCounts of(HwParams p, List<Instruction> program) {
    LayerPlan plan = LayerPlan.of(p);
    Rules r = new Rules(p, plan);
    List<long[]> rows = new ArrayList<>();
    for (Instruction ins : program) {
      rows.add(r.count(ins));
    }
    return new EventCounts(rows, List.copyOf(program), plan.lanes(), plan.elementBits());
  }

  /** Total of one event over the program. */
  public long total(Event e) {
    long t = 0;
    for (long[] row : perInstruction) {
      t += row[e.ordinal()];
    }
    return t;
  }

  /** Totals of every event, indexed by {@link Event#ordinal()}. */
  public long[] totals() {
    long[] t = new long[Event.COUNT];
    for (long[] row : perInstruction) {
      for (int i = 0; i < t.length; i++) {
        t[i] += row[i];
      }
    }
    return t;
  }

  /** Totals of every event over the instructions of one engine (END belongs to none). */
  public long[] byEngine(Engine engine) {
    long[] t = new long[Event.COUNT];
    for (int k = 0; k < program.size(); k++) {
      if (program.get(k).engine() == engine) {
        for (int i = 0; i < t.length; i++) {
          t[i] += perInstruction.get(k)[i];
        }
      }
    }
    return t;
  }

  /** Instructions counted (the RTL's INSTRUCTIONS counter counts END too, as this does). */
  public long instructions() {
    return program.size();
  }

  /** The counting rules of the class comment. */
  private static final class Rules {
    private final HwParams p;
    private final int lanes;
    private final long tiles;
    private final long rows;
    private final long words;
    private final long inputBits;
    private final long adcs;
    private final long cellsPerWeight;
    private final long weightBeats;
    private final long bankOutputs;
    private final long outWords;
    private final int elementBits;

    Rules(HwParams p, LayerPlan plan) {
      this.p = p;
      XbarDerived d = p.derived();
      this.lanes = plan.lanes();
      this.tiles = p.bank().tilesPerBank();
      this.rows = p.crossbar().rows();
      this.words = d.wordsPerTile();
      this.inputBits = p.precision().inputBits();
      this.adcs = d.adcsPerTile();
      this.cellsPerWeight = (long) p.precision().slices() * p.precision().columnGroups();
      this.weightBeats = BankSchedule.of(p).weightLoadCycles() - 1;
      this.bankOutputs = d.bankOutputs();
      this.outWords = d.bankOutputs() / lanes;
      this.elementBits = plan.elementBits();
    }

    long[] count(Instruction i) {
      long[] e = new long[Event.COUNT];
      long beats = (long) i.repeat() * i.len();
      switch (i.opcode()) {
        case END -> { }
        case HOST_IN -> {
          add(e, Event.SCRATCH_WRITE_WORDS, beats);
          add(e, Event.STREAM_BITS, beats * lanes * elementBits);
        }
        case HOST_OUT -> {
          add(e, Event.SCRATCH_READ_WORDS, beats);
          add(e, Event.STREAM_BITS, beats * lanes * elementBits);
        }
        case HOST_WEIGHTS -> {
          writes(e, (long) i.bankCount() * weightBeats);
          add(e, Event.STREAM_BITS, (long) i.bankCount() * weightBeats * lanes * elementBits);
        }
        case GATHER_WEIGHTS -> {
          writes(e, weightBeats);
          add(e, Event.SCRATCH_READ_WORDS, weightBeats * lanes);
        }
        case MVM -> mvm(e, i);
        case SOFTMAX -> {
          if (i.cmd() == 0) {
            add(e, Event.SCRATCH_READ_WORDS, i.len());
          } else {
            add(e, Event.SCRATCH_READ_WORDS, beats);
            add(e, Event.SCRATCH_WRITE_WORDS, beats);
            long el = beats * lanes;
            add(e, Event.SOFTMAX_ELEMENTS, el);
            add(e, Event.MULTS_32B, 2 * el);
            add(e, Event.ADDS_32B, 2 * el);
          }
        }
        case SFU -> sfu(e, i, beats);
      }
      return e;
    }

    private void writes(long[] e, long beats) {
      long weights = beats * lanes;
      add(e, Event.XBAR_WRITES, weights);
      add(e, Event.CELLS_PROGRAMMED, weights * cellsPerWeight);
    }

    private void mvm(long[] e, Instruction i) {
      long n = (long) i.repeat() * i.bankCount(); // bank products
      long steps = words * inputBits;
      add(e, Event.ADC_CONVERSIONS, n * tiles * adcs * steps);
      add(e, Event.SHIFT_ADDS, n * tiles * adcs * steps);
      add(e, Event.DAC_DRIVES, n * tiles * rows * steps);
      add(e, Event.CELL_READS, n * tiles * rows * adcs * steps);
      boolean bias = (i.b() & Instruction.BIAS) != 0;
      boolean acc = (i.b() & Instruction.ACCUMULATE) != 0;
      add(e, Event.ADDS_32B, n * bankOutputs * (p.bank().tileGridRows() + (bias ? 1 : 0) + (acc ? 1 : 0)));
      add(e, Event.SCRATCH_READ_WORDS, (long) i.repeat() * i.len() + n * outWords * ((bias ? 1 : 0) + (acc ? 1 : 0)));
      add(e, Event.SCRATCH_WRITE_WORDS, n * outWords);
    }

    private void sfu(long[] e, Instruction i, long beats) {
      switch (i.cmd()) {
        case SfuOp.CONFIGURE, SfuOp.LOAD_NORM -> add(e, Event.SCRATCH_READ_WORDS, i.len());
        default -> {
          boolean residual = i.cmd() == SfuOp.RESIDUAL;
          add(e, Event.SCRATCH_READ_WORDS, residual ? 2 * beats : beats);
          add(e, Event.SCRATCH_WRITE_WORDS, beats);
          long el = beats * lanes;
          add(e, Event.SFU_ELEMENTS, el);
          int[] ma = switch (i.cmd()) {
            case SfuOp.NORM -> new int[] {3, 4};
            case SfuOp.RESIDUAL -> new int[] {1, 2};
            default -> new int[] {1, 1};
          };
          add(e, Event.MULTS_32B, ma[0] * el);
          add(e, Event.ADDS_32B, ma[1] * el);
        }
      }
    }

    private static void add(long[] e, Event ev, long n) {
      e[ev.ordinal()] += n;
    }
  }
}
