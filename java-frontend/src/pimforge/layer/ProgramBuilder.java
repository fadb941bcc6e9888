package pimforge.layer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import pimforge.params.HwParams;

/**
 * Appends instructions and sets each one's wait mask from what it reads and writes
 * ({@link Footprint}), so that the dispatcher's concurrent execution equals sequential execution.
 *
 * <p>The dispatcher issues in order; an instruction issues when its own engine and every engine in
 * its mask are idle. So when instruction k issues, every earlier instruction of its engine and of
 * the engines in its mask has finished, and so has everything that was known finished when any
 * earlier instruction issued. The builder tracks that frontier per engine (the first instruction
 * index not known finished) and waits for another engine only when one of its instructions at or
 * past the frontier conflicts with the new one (RAW, WAR or WAW on a scratchpad word, a bank, a
 * stream or unit registers). It never waits for an engine without a conflicting instruction.
 */
public final class ProgramBuilder {
  private final HwParams p;
  private final List<Instruction> program = new ArrayList<>();
  private final List<Footprint> footprints = new ArrayList<>();
  private final int[] frontier = new int[Engine.COUNT];
  private final boolean masks;

  public ProgramBuilder(HwParams p) {
    this(p, true);
  }

  private ProgramBuilder(HwParams p, boolean masks) {
    this.p = p;
    this.masks = masks;
  }

  /** A builder that only collects instructions (wait masks 0): for counting program lengths cheaply. */
  static ProgramBuilder counting(HwParams p) {
    return new ProgramBuilder(p, false);
  }

  /** Appends {@code i} with its computed wait mask (the mask given in {@code i} is ignored). */
  public ProgramBuilder add(Instruction i) {
    if (!masks) {
      program.add(i);
      return this;
    }
    if (i.opcode() == Opcode.END) {
      program.add(i);
      footprints.add(Footprint.of(p, i));
      java.util.Arrays.fill(frontier, program.size());
      return this;
    }
    Footprint f = Footprint.of(p, i);
    Engine own = i.engine();
    int mask = 0;
    for (Engine e : Engine.values()) {
      if (e == own) {
        continue;
      }
      for (int k = frontier[e.ordinal()]; k < program.size(); k++) {
        if (program.get(k).engine() == e && footprints.get(k).conflicts(f)) {
          mask |= 1 << e.bit();
          break;
        }
      }
    }
    int index = program.size();
    program.add(withMask(i, mask));
    footprints.add(f);
    frontier[own.ordinal()] = index;
    for (Engine e : Engine.values()) {
      if ((mask & (1 << e.bit())) != 0) {
        frontier[e.ordinal()] = index;
      }
    }
    return this;
  }

  /** Appends END (waits for every engine) and returns the program. */
  public List<Instruction> end() {
    add(Instruction.end());
    return build();
  }

  public int size() {
    return program.size();
  }

  public List<Instruction> build() {
    return Collections.unmodifiableList(new ArrayList<>(program));
  }

  static Instruction withMask(Instruction i, int mask) {
    return new Instruction(i.opcode(), i.stage(), mask, i.cmd(), i.repeat(), i.src(), i.dst(), i.src2(), i.len(),
        i.srcStep(), i.dstStep(), i.bank(), i.bankCount(), i.shift(), i.a(), i.b());
  }
}
