package pimforge.layer;

import java.util.Set;
import pimforge.params.HwParams;

/**
 * What one instruction reads and writes over all its iterations: scratchpad words and named
 * resources (banks "bank:i", the streams "s_axis" and "m_axis", unit registers "softmax", "sfu").
 * Two instructions conflict (RAW, WAR or WAW) when one writes something the other touches.
 */
public record Footprint(WordRanges reads, WordRanges writes, Set<String> readRes, Set<String> writeRes) {

  public boolean conflicts(Footprint o) {
    return writes.overlaps(o.reads) || writes.overlaps(o.writes) || reads.overlaps(o.writes)
        || intersect(writeRes, o.readRes) || intersect(writeRes, o.writeRes) || intersect(readRes, o.writeRes);
  }

  private static boolean intersect(Set<String> a, Set<String> b) {
    for (String s : a) {
      if (b.contains(s)) {
        return true;
      }
    }
    return false;
  }

  /** What instruction {@code i} touches (its opcode's {@link OpcodeSpec#footprint}; END: nothing). */
  public static Footprint of(HwParams p, Instruction i) {
    if (i.opcode() == Opcode.END) {
      return new Footprint(new WordRanges(), new WordRanges(), Set.of(), Set.of());
    }
    return i.opcode().spec().footprint(p, i);
  }
}
