package pimforge.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

class InstructionTest {

  @Test
  void encodeDecodeRoundTripsEveryField() {
    Random r = new Random(1);
    for (int n = 0; n < 2000; n++) {
      Opcode op = Opcode.values()[r.nextInt(Opcode.values().length)];
      LayerStage st = LayerStage.values()[r.nextInt(LayerStage.values().length)];
      Instruction i = new Instruction(op, st, r.nextInt(1 << Engine.COUNT), r.nextInt(8), 1 + r.nextInt(0xFFFF),
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
    Instruction max = new Instruction(Opcode.SFU, LayerStage.OUTPUT, 31, 7, 0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF,
        0xFFFF, 0xFFFF, 0xFFFF, 0xFF, 0xFF, 0xFFFF, 0xFFFF);
    assertEquals(max, Instruction.decode(max.encode()));
    assertEquals(Instruction.end(), Instruction.decode(Instruction.end().encode()));
  }

  @Test
  void fieldsOutOfRangeAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> new Instruction(Opcode.MVM, LayerStage.QKV, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new Instruction(Opcode.MVM, LayerStage.QKV, 0, 0, 1, 0x10000,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new Instruction(Opcode.MVM, LayerStage.QKV, 32, 0, 1, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0));
  }
}
