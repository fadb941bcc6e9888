package pimforge.layer;

import java.util.ArrayList;
import java.util.List;

/**
 * The AXI4-Lite register map of the layer top (32-bit registers, byte addresses). Emitted into
 * the C header and report.md from here; the Chisel top decodes the same constants.
 */
public final class LayerRegisters {
  private LayerRegisters() {}

  /** W: bit 0 START (runs the program from instruction 0; ignored while busy). Reads 0. */
  public static final int CTRL = 0x00;
  /**
   * R: bit 0 BUSY, bit 1 DONE (set by END, cleared by START), bit 2 KV_OVERFLOW (sticky: a KV-cache
   * controller under the FULL policy refused a token at its budget; kvCache.enabled only).
   */
  public static final int STATUS = 0x04;
  /** R: index of the next instruction to issue. */
  public static final int PC = 0x08;
  /** R: {@link #ID_VALUE}. */
  public static final int ID = 0x0C;
  /** R: cycles from START to DONE of the last run (64 bits, low word first). */
  public static final int CYCLES = 0x10;
  /** R: weights written into crossbars by the last run (HOST_WEIGHTS and GATHER_WEIGHTS), 64 bits. */
  public static final int XBAR_WRITES = 0x18;
  /** R: instructions issued by the last run. */
  public static final int INSTRUCTIONS = 0x20;
  /**
   * RW: the token position register (RopeTable.POSITION_BITS bits). A ROTATE with b = 1
   * ({@link Instruction#POSITION_RELATIVE}) rotates iteration it at POSITION + a + it; END adds its
   * a field (the tokens the run consumed), so a decode program runs unchanged step after step.
   * Written with all four byte strobes. Writing it does not empty the KV caches (no clear command
   * yet): a new sequence with kvCache.enabled needs a reset.
   */
  public static final int POSITION = 0x24;
  /** R: STAGE_CYCLES[s] at STAGE_CYCLES + 8*s, 64 bits each, s < LayerStage.COUNTERS. */
  public static final int STAGE_CYCLES = 0x40;
  /** W: word j of instruction i at IMEM + 4*(Instruction.WORDS*i + j). */
  public static final int IMEM = 0x10000;

  /** "PIMF" */
  public static final int ID_VALUE = 0x50494D46;

  public static final int STATUS_BUSY = 1;
  public static final int STATUS_DONE = 2;
  public static final int STATUS_KV_OVERFLOW = 4;

  /** AXI4-Lite address bits for an instruction memory of {@code depth} instructions. */
  public static int addressBits(int depth) {
    long top = IMEM + 4L * Instruction.WORDS * depth;
    return 64 - Long.numberOfLeadingZeros(top - 1);
  }

  /** One register: name, byte offset, access, meaning (for the C header and report.md). */
  public record Register(String name, int offset, String access, String meaning) {}

  public static List<Register> map(int depth) {
    List<Register> r = new ArrayList<>();
    r.add(new Register("CTRL", CTRL, "W", "bit 0 START: run the program from instruction 0"));
    r.add(new Register("STATUS", STATUS, "R",
        "bit 0 BUSY, bit 1 DONE (set by END, cleared by START), bit 2 KV_OVERFLOW (a FULL KV cache refused a token)"));
    r.add(new Register("PC", PC, "R", "next instruction to issue"));
    r.add(new Register("ID", ID, "R", String.format("0x%08X (\"PIMF\")", ID_VALUE)));
    r.add(new Register("CYCLES_LO", CYCLES, "R", "cycles START to DONE, low word"));
    r.add(new Register("CYCLES_HI", CYCLES + 4, "R", "cycles START to DONE, high word"));
    r.add(new Register("XBAR_WRITES_LO", XBAR_WRITES, "R", "weights written into crossbars, low word"));
    r.add(new Register("XBAR_WRITES_HI", XBAR_WRITES + 4, "R", "weights written into crossbars, high word"));
    r.add(new Register("INSTRUCTIONS", INSTRUCTIONS, "R", "instructions issued"));
    r.add(new Register("POSITION", POSITION, "RW", "token position register: ROTATE with b = 1 adds it; END adds its a"));
    for (LayerStage s : LayerStage.values()) {
      r.add(new Register("STAGE_CYCLES_" + s + "_LO", STAGE_CYCLES + 8 * s.id(), "R",
          "cycles with an engine busy on stage " + s + ", low word"));
      r.add(new Register("STAGE_CYCLES_" + s + "_HI", STAGE_CYCLES + 8 * s.id() + 4, "R", "high word"));
    }
    r.add(new Register("IMEM", IMEM, "W", depth + " instructions x " + Instruction.WORDS
        + " words: word j of instruction i at IMEM + 4*(" + Instruction.WORDS + "*i + j)"));
    return r;
  }
}
