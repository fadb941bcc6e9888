package pimforge.layer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * A dynamic check of wait masks that does not trust {@link Footprint}: the dispatcher rule
 * (in-order issue, one per cycle, an instruction issues when its engine and its mask's engines are
 * idle) with random instruction durations, each instruction taking effect atomically at a random
 * point of its run (so a missed RAW, WAR or WAW ordering changes what it reads or what survives).
 * Returns the instructions in the order they take effect; running that order on the golden model
 * must give the sequential result.
 */
final class ConcurrentExecution {
  private ConcurrentExecution() {}

  static List<Instruction> effectOrder(List<Instruction> program, Random r) {
    long[] busyUntil = new long[Engine.COUNT];
    record Effect(double at, int index) {}
    List<Effect> effects = new ArrayList<>();
    long t = 0;
    for (int i = 0; i < program.size(); i++) {
      Instruction ins = program.get(i);
      long ready = t;
      if (ins.opcode() == Opcode.END) {
        for (long b : busyUntil) {
          ready = Math.max(ready, b);
        }
        effects.add(new Effect(ready + 0.5, i));
        break;
      }
      ready = Math.max(ready, busyUntil[ins.engine().ordinal()]);
      for (Engine e : Engine.values()) {
        if ((ins.waitMask() & (1 << e.bit())) != 0) {
          ready = Math.max(ready, busyUntil[e.ordinal()]);
        }
      }
      long duration = 1 + (r.nextInt(4) == 0 ? r.nextInt(200) : r.nextInt(8));
      busyUntil[ins.engine().ordinal()] = ready + duration;
      effects.add(new Effect(ready + r.nextDouble() * duration, i));
      t = ready + 1;
    }
    effects.sort(Comparator.comparingDouble(Effect::at).thenComparingInt(Effect::index));
    List<Instruction> order = new ArrayList<>();
    for (Effect e : effects) {
      order.add(program.get(e.index()));
    }
    return order;
  }
}
