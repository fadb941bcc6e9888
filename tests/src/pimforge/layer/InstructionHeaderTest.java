package pimforge.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pimforge.params.HwParams;
import pimforge.report.CHeader;
import pimforge.report.DesignId;

/**
 * The C header's instruction macros (PIMFORGE_INSN_SET, generated from InstructionField) encode
 * exactly what the Java encoder does, which is what the RTL decodes: a C program built with gcc
 * encodes random instructions through the macros and prints the words.
 */
class InstructionHeaderTest {
  @TempDir
  Path tmp;

  @Test
  void headerMacrosEncodeLikeJava() throws Exception {
    HwParams p = LayerConfigs.small();
    Files.writeString(tmp.resolve("params.h"), CHeader.text(p, DesignId.of(p, CHeader.LAYER_TOP)));
    Random r = new Random(7);
    List<Instruction> program = new ArrayList<>();
    for (int n = 0; n < 200; n++) {
      InstructionField[] fs = InstructionField.values();
      long[] v = new long[fs.length];
      for (InstructionField f : fs) {
        v[f.ordinal()] = (long) (r.nextDouble() * (f.max() + 1));
      }
      v[InstructionField.OPCODE.ordinal()] = r.nextInt(Opcode.values().length);
      v[InstructionField.STAGE.ordinal()] = r.nextInt(LayerStage.values().length);
      v[InstructionField.WAIT_MASK.ordinal()] = r.nextInt(1 << Engine.COUNT);
      v[InstructionField.REPEAT.ordinal()] = Math.max(1, v[InstructionField.REPEAT.ordinal()]);
      int[] w = new int[Instruction.WORDS];
      for (InstructionField f : fs) {
        w[f.word()] |= (int) (v[f.ordinal()] << f.offset());
      }
      program.add(Instruction.decode(w));
    }
    StringBuilder c = new StringBuilder("#include <stdint.h>\n#include <stdio.h>\n#include \"params.h\"\nint main(void) {\n");
    c.append("  uint32_t w[PIMFORGE_LAYER_INSTRUCTION_WORDS];\n");
    for (Instruction i : program) {
      c.append("  for (int k = 0; k < PIMFORGE_LAYER_INSTRUCTION_WORDS; k++) w[k] = 0;\n");
      for (InstructionField f : InstructionField.values()) {
        c.append("  PIMFORGE_INSN_SET(w, ").append(f.name()).append(", ").append(i.get(f)).append("u);\n");
      }
      c.append("  for (int k = 0; k < PIMFORGE_LAYER_INSTRUCTION_WORDS; k++) printf(\"%u \", w[k]);\n");
      c.append("  printf(\"\\n\");\n");
    }
    c.append("  return 0;\n}\n");
    Files.writeString(tmp.resolve("enc.c"), c);
    run(tmp, "gcc", "-std=c99", "-Wall", "-Werror", "-o", "enc", "enc.c");
    List<String> lines = run(tmp, tmp.resolve("enc").toString()).lines().toList();
    assertEquals(program.size(), lines.size());
    for (int n = 0; n < program.size(); n++) {
      StringBuilder expect = new StringBuilder();
      for (int word : program.get(n).encode()) {
        expect.append(Integer.toUnsignedString(word)).append(' ');
      }
      assertEquals(expect.toString().trim(), lines.get(n).trim(), "instruction " + n + ": " + program.get(n));
    }
  }

  private static String run(Path dir, String... cmd) throws Exception {
    Process pr = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(pr.getInputStream().readAllBytes());
    assertEquals(0, pr.waitFor(), String.join(" ", cmd) + ":\n" + out);
    return out;
  }
}
