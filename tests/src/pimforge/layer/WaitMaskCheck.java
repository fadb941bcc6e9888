package pimforge.layer;

import java.util.List;
import pimforge.params.HwParams;

/**
 * Independent check of a program's wait masks against the dispatcher rule: an earlier instruction
 * J (engine E) is certainly finished when instruction I issues iff some K in (J, I] runs on E or
 * waits for E (K issued after E was idle, and K issued no later than I). Every conflicting pair
 * on different engines must be ordered that way (sufficiency); every mask bit must be needed by
 * some conflicting instruction not already ordered without it (no needless waits).
 */
final class WaitMaskCheck {
  private WaitMaskCheck() {}

  /** Null if the masks are exact, else a description of the first problem. */
  static String problems(HwParams p, List<Instruction> program) {
    int n = program.size();
    Footprint[] f = new Footprint[n];
    for (int i = 0; i < n; i++) {
      f[i] = Footprint.of(p, program.get(i));
    }
    for (int i = 0; i < n; i++) {
      Instruction ii = program.get(i);
      if (ii.opcode() == Opcode.END) {
        continue;
      }
      int needed = 0;
      for (int j = 0; j < i; j++) {
        Instruction jj = program.get(j);
        if (jj.engine() == null || jj.engine() == ii.engine() || !f[j].conflicts(f[i])) {
          continue;
        }
        Engine e = jj.engine();
        if (!orderedBefore(program, j, i, e, true)) {
          return "instruction " + i + " (" + ii.opcode() + ") may overlap conflicting instruction " + j + " ("
              + jj.opcode() + ") on " + e;
        }
        if (!orderedBefore(program, j, i, e, false)) {
          needed |= 1 << e.bit();
        }
      }
      if (ii.waitMask() != needed) {
        return "instruction " + i + " (" + ii.opcode() + ") waits for " + ii.waitMask() + ", needs exactly " + needed;
      }
    }
    return null;
  }

  /** Some K in (j, i] (or (j, i) without I's own mask) that makes j finished. */
  private static boolean orderedBefore(List<Instruction> program, int j, int i, Engine e, boolean includeI) {
    for (int k = j + 1; k <= (includeI ? i : i - 1); k++) {
      Instruction kk = program.get(k);
      if (kk.engine() == e || (kk.waitMask() & (1 << e.bit())) != 0) {
        return true;
      }
    }
    return false;
  }
}
