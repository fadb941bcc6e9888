package pimforge.layer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pimforge.check.VerilatorLint;
import pimforge.check.YosysSynth;
import pimforge.generate.DesignGenerator;
import pimforge.params.HwParams;

/**
 * The layer top is real RTL: Verilator lint is clean and Yosys synthesizes it (memories as macros;
 * hierarchically, so the ten identical banks are synthesized once).
 */
class LayerTopRtlChecksTest {
  @Test
  void lintIsCleanAndYosysSynthesizes(@TempDir Path tmp) throws Exception {
    HwParams p = LayerConfigs.small();
    System.out.println("rtl check LayerTop " + LayerConfigs.describe(p));
    Path rtl = new DesignGenerator("LayerTop").generate(p, tmp.resolve("out")).dir().resolve("rtl");

    VerilatorLint.Result lint = VerilatorLint.run(rtl, "LayerTop");
    assertTrue(lint.clean(), "verilator lint:\n" + lint.findings());

    long start = System.nanoTime();
    YosysSynth.Result synth = YosysSynth.run(rtl, "LayerTop", tmp.resolve("yosys"), false); // banks once
    assertTrue(synth.ok(), "yosys failed:\n" + synth.log());
    assertTrue(synth.cells() > 1000, "the layer top synthesizes to real logic, got " + synth.cells() + " cells");
    for (String macro : new String[] {"CrossbarArray", "Scratchpad", "InstructionMemory"}) {
      assertTrue(synth.cellsByType().keySet().stream().anyMatch(t -> t.startsWith(macro)),
          macro + " stays a black box: " + synth.cellsByType().keySet());
    }
    System.out.println(String.format("  yosys cells %d (%.0f s)", synth.cells(), (System.nanoTime() - start) / 1e9));
  }
}
