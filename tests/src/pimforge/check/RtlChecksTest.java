package pimforge.check;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import pimforge.cosim.BankConfigSampler;
import pimforge.generate.DesignGenerator;
import pimforge.golden.Fixtures;
import pimforge.params.BankParams;
import pimforge.params.CrossbarParams;
import pimforge.params.HwParams;
import pimforge.params.Precision;

/** Every generated design is real RTL: Verilator lint is clean and Yosys synthesizes it. */
class RtlChecksTest {
  static Stream<Arguments> designs() {
    return Stream.concat(banks().map(p -> Arguments.of("PimBank", p)),
        pimforge.sfu.SfuRtlDesigns.designs().map(p -> Arguments.of("Sfu", p)));
  }

  static Stream<HwParams> banks() {
    HwParams small = Fixtures.bank(Precision.DEFAULT, new CrossbarParams(16, 16, 4), new BankParams(2, 2, 1));
    return Stream.of(
        small,
        BankConfigSampler.sample(small, 7, 1024),
        BankConfigSampler.sample(small, 8, 1024),
        small.withPrecision(new Precision(4, 8, 1, 3, Precision.AdcMode.CLIP, Precision.SignedScheme.DIFFERENTIAL)));
  }

  @ParameterizedTest
  @MethodSource("designs")
  void lintIsCleanAndYosysSynthesizes(String top, HwParams p, @TempDir Path tmp) throws Exception {
    System.out.println("rtl check " + top + " "
        + (top.equals("Sfu") ? pimforge.sfu.SfuRtlDesigns.describe(p) : BankConfigSampler.describe(p)));
    Path rtl = new DesignGenerator(top).generate(p, tmp.resolve("out")).dir().resolve("rtl");

    VerilatorLint.Result lint = VerilatorLint.run(rtl, top);
    assertTrue(lint.clean(), "verilator lint:\n" + lint.findings());

    YosysSynth.Result synth = YosysSynth.run(rtl, top, tmp.resolve("yosys"));
    assertTrue(synth.ok(), "yosys failed:\n" + synth.log());
    assertTrue(synth.cells() > 100, "a unit synthesizes to real logic, got " + synth.cells() + " cells");
    if (top.equals("PimBank")) {
      assertTrue(synth.cellsByType().keySet().stream().anyMatch(t -> t.startsWith("cells_")),
          "the crossbar arrays stay black boxes: " + synth.cellsByType().keySet());
    }
    System.out.println("  yosys cells " + synth.cells());
  }
}
