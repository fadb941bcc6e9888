package pimforge.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class InstructionTest {

  @Test
  void encodeDecodeRoundTripsEveryField() {
    Random r = new Random(1);
    for (int n = 0; n < 2000; n++) {
      Opcode op = Opcode.values()[r.nextInt(Opcode.values().length)];
      LayerStage st = LayerStage.values()[r.nextInt(LayerStage.values().length)];
      Instruction i = new Instruction(op, st, r.nextInt(1 << Engine.COUNT), r.nextInt(16), 1 + r.nextInt(0xFFFF),
          r.nextInt(0x10000), r.nextInt(0x10000), r.nextInt(0x10000), r.nextInt(0x10000), r.nextInt(0x10000),
          r.nextInt(0x10000), r.nextInt(0x10000), r.nextInt(0x100), r.nextInt(0x100), r.nextInt(0x10000),
          r.nextInt(0x10000));
      int[] w = i.encode();
      assertEquals(Instruction.WORDS, w.length);
      for (int k = Instruction.USED_WORDS; k < Instruction.WORDS; k++) {
        assertEquals(0, w[k], "reserved word " + k);
      }
      assertEquals(i, Instruction.decode(w));
    }
  }

  @Test
  void extremesRoundTrip() {
    Instruction max = new Instruction(Opcode.SFU, LayerStage.OUTPUT, 31, 15, 0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF,
        0xFFFF, 0xFFFF, 0xFFFF, 0xFF, 0xFF, 0xFFFF, 0xFFFF);
    assertEquals(max, Instruction.decode(max.encode()));
    assertEquals(Instruction.end(), Instruction.decode(Instruction.end().encode()));
  }

  @Test
  void fieldsOutOfRangeAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> new Instruction(Opcode.MVM, LayerStage.QKV, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new Instruction(Opcode.MVM, LayerStage.QKV, 0, 0, 1,
        1 << InstructionField.ADDRESS_BITS, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new Instruction(Opcode.MVM, LayerStage.QKV, 1 << Engine.COUNT, 0, 1, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0));
  }

  @Test
  void fieldTableNeitherOverlapsNorStraddlesWords() {
    long[] used = new long[InstructionField.USED_WORDS];
    for (InstructionField f : InstructionField.values()) {
      assertTrue(f.offset() + f.width() <= 32, f + " straddles a word");
      long bits = ((1L << f.width()) - 1) << f.offset();
      assertEquals(0, used[f.word()] & bits, f + " overlaps another field");
      used[f.word()] |= bits;
    }
    assertTrue(Instruction.WORDS >= Instruction.USED_WORDS);
    assertEquals(1, Integer.bitCount(Instruction.WORDS), "slots are a power of two words");
    // Headroom the growing ISA needs: opcodes, engines and stage counters all fit with room to spare.
    assertTrue(1 << InstructionField.OPCODE.width() >= 2 * Opcode.values().length);
    assertTrue(InstructionField.WAIT_MASK.width() > Engine.COUNT);
    assertTrue(1 << InstructionField.STAGE.width() >= 2 * LayerStage.COUNTERS);
  }

  @Test
  void addressFieldsHaveAWordEachAndTheInstructionStaysEightWords() {
    // 2^28 scratchpad words (Llama-2-7B at 4096 tokens needs 27.5 M): src, dst and src2 each fill
    // bits [27:0] of a word of their own, exactly where the 24-bit fields were, and the slot stays 8 words.
    assertEquals(1 << 28, LayerPlan.MAX_SCRATCH_WORDS);
    assertEquals(28, InstructionField.ADDRESS_BITS);
    InstructionField[] addr = {InstructionField.SRC, InstructionField.DST, InstructionField.SRC2};
    for (int k = 0; k < addr.length; k++) {
      assertEquals(InstructionField.ADDRESS_BITS, addr[k].width(), addr[k].name());
      assertEquals(2 + k, addr[k].word(), addr[k].name());
      assertEquals(0, addr[k].offset(), addr[k].name());
    }
    assertEquals(5, InstructionField.BANK.word(), "bank after the address words");
    assertEquals(8, InstructionField.USED_WORDS);
    assertEquals(8, InstructionField.SLOT_WORDS);
    assertEquals(8, Instruction.WORDS);
    // The largest address round-trips; one more is refused.
    int max = LayerPlan.MAX_SCRATCH_WORDS - 1;
    Instruction i = new Instruction(Opcode.MVM, LayerStage.QKV, 0, 0, 1, max, max, max, 0, 0, 0, 0, 0, 0, 0, 0);
    assertEquals(i, Instruction.decode(i.encode()));
    assertEquals(max, i.encode()[InstructionField.DST.word()]);
    assertThrows(IllegalArgumentException.class, () -> new Instruction(Opcode.MVM, LayerStage.QKV, 0, 0, 1, 0,
        max + 1, 0, 0, 0, 0, 0, 0, 0, 0, 0));
  }

  @Test
  void eachFieldLandsWhereTheTableSays() {
    for (InstructionField f : InstructionField.values()) {
      if (f == InstructionField.OPCODE || f == InstructionField.STAGE || f == InstructionField.REPEAT
          || f == InstructionField.WAIT_MASK) {
        continue;
      }
      long v = Math.min(f.max(), 0x5A5AL);
      int[] fields = new int[InstructionField.values().length];
      fields[InstructionField.REPEAT.ordinal()] = 1;
      fields[f.ordinal()] = (int) v;
      int[] w = of(fields).encode();
      fields[f.ordinal()] = 0;
      int[] base = of(fields).encode();
      for (int k = 0; k < w.length; k++) {
        long expect = Integer.toUnsignedLong(base[k]) | (k == f.word() ? v << f.offset() : 0);
        assertEquals(expect, Integer.toUnsignedLong(w[k]), f + ", word " + k);
      }
    }
  }

  /** An MVM with the given field values (indexed by InstructionField ordinal). */
  private static Instruction of(int[] v) {
    return new Instruction(Opcode.MVM, LayerStage.QKV, v[InstructionField.WAIT_MASK.ordinal()],
        v[InstructionField.CMD.ordinal()], v[InstructionField.REPEAT.ordinal()], v[InstructionField.SRC.ordinal()],
        v[InstructionField.DST.ordinal()], v[InstructionField.SRC2.ordinal()], v[InstructionField.LEN.ordinal()],
        v[InstructionField.SRC_STEP.ordinal()], v[InstructionField.DST_STEP.ordinal()],
        v[InstructionField.BANK.ordinal()], v[InstructionField.BANK_COUNT.ordinal()],
        v[InstructionField.SHIFT.ordinal()], v[InstructionField.A.ordinal()], v[InstructionField.B.ordinal()]);
  }
}
