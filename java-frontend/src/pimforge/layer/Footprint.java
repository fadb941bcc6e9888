package pimforge.layer;

import java.util.HashSet;
import java.util.Set;
import pimforge.golden.sfu.SfuOp;
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

  public static Footprint of(HwParams p, Instruction i) {
    int lanes = p.crossbar().lanes();
    WordRanges r = new WordRanges();
    WordRanges w = new WordRanges();
    Set<String> rr = new HashSet<>();
    Set<String> wr = new HashSet<>();
    int n = i.repeat();
    switch (i.opcode()) {
      case END -> { }
      case HOST_IN -> {
        wr.add("s_axis");
        w.addStrided(i.dst(), i.len(), i.dstStep(), n);
      }
      case HOST_OUT -> {
        wr.add("m_axis");
        r.addStrided(i.src(), i.len(), i.srcStep(), n);
      }
      case HOST_WEIGHTS -> {
        wr.add("s_axis");
        for (int k = 0; k < i.bankCount(); k++) {
          wr.add("bank:" + (i.bank() + k));
        }
      }
      case GATHER_WEIGHTS -> {
        wr.add("bank:" + i.bank());
        int rows = Math.min(i.len(), p.derived().bankInputs());
        int cols = Math.min(i.src2(), p.derived().bankOutputs());
        long base = (long) i.src() * lanes;
        for (int in = 0; in < rows; in++) {
          for (int out = 0; out < cols; out++) {
            long word = (base + (long) in * i.a() + (long) out * i.b()) / lanes;
            r.add(word, word + 1);
          }
        }
      }
      case MVM -> {
        int outWords = i.bankCount() * p.derived().bankOutputs() / lanes;
        for (int k = 0; k < i.bankCount(); k++) {
          rr.add("bank:" + (i.bank() + k));
        }
        r.addStrided(i.src(), i.len(), i.srcStep(), n);
        if ((i.b() & Instruction.BIAS) != 0) {
          r.add(i.src2(), i.src2() + outWords);
        }
        if ((i.b() & Instruction.ACCUMULATE) != 0) {
          r.addStrided(i.dst(), outWords, i.dstStep(), n);
        }
        w.addStrided(i.dst(), outWords, i.dstStep(), n);
      }
      case SOFTMAX -> {
        if (i.cmd() == LayerMachineModel.SOFTMAX_CONFIGURE) {
          wr.add("softmax");
          r.add(i.src(), i.src() + i.len());
        } else {
          rr.add("softmax");
          r.addStrided(i.src(), i.len(), i.srcStep(), n);
          w.addStrided(i.dst(), i.len(), i.dstStep(), n);
        }
      }
      case SFU -> {
        if (i.cmd() == SfuOp.CONFIGURE || i.cmd() == SfuOp.LOAD_NORM) {
          wr.add("sfu");
          r.add(i.src(), i.src() + i.len());
        } else {
          rr.add("sfu");
          r.addStrided(i.src(), i.len(), i.srcStep(), n);
          if (i.cmd() == SfuOp.RESIDUAL) {
            r.addStrided(i.src2(), i.len(), i.srcStep(), n);
          }
          w.addStrided(i.dst(), i.len(), i.dstStep(), n);
        }
      }
    }
    return new Footprint(r, w, rr, wr);
  }
}
