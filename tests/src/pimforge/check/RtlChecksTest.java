package pimforge.check;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import pimforge.cam.CamConfigs;
import pimforge.cosim.BankConfigSampler;
import pimforge.generate.DesignGenerator;
import pimforge.golden.Fixtures;
import pimforge.params.BankParams;
import pimforge.params.CrossbarParams;
import pimforge.params.HwParams;
import pimforge.params.Precision;
import pimforge.sfu.SfuRtlDesigns;
import pimforge.softmax.SoftmaxConfigs;

/** Every generated design is real RTL: Verilator lint is clean and Yosys synthesizes it. */
class RtlChecksTest {
  static Stream<Arguments> designs() {
    HwParams small = Fixtures.bank(Precision.DEFAULT, new CrossbarParams(16, 16, 4), new BankParams(2, 2, 1));
    return Stream.of(
        Arguments.of("PimBank", small, BankConfigSampler.describe(small)),
        Arguments.of("PimBank", BankConfigSampler.sample(small, 7, 1024), "sampled 7"),
        Arguments.of("PimBank", BankConfigSampler.sample(small, 8, 1024), "sampled 8"),
        Arguments.of("PimBank", small.withPrecision(
            new Precision(4, 8, 1, 3, Precision.AdcMode.CLIP, Precision.SignedScheme.DIFFERENTIAL)), "differential"),
        Arguments.of("Softmax", SoftmaxConfigs.CONFIGS.get(0), SoftmaxConfigs.describe(SoftmaxConfigs.CONFIGS.get(0))),
        Arguments.of("Softmax", SoftmaxConfigs.CONFIGS.get(2), SoftmaxConfigs.describe(SoftmaxConfigs.CONFIGS.get(2))),
        Arguments.of("Sfu", SfuRtlDesigns.designs().get(0), SfuRtlDesigns.describe(SfuRtlDesigns.designs().get(0))),
        Arguments.of("Sfu", SfuRtlDesigns.designs().get(1), SfuRtlDesigns.describe(SfuRtlDesigns.designs().get(1))),
        Arguments.of("Sfu", SfuRtlDesigns.designs().get(2), SfuRtlDesigns.describe(SfuRtlDesigns.designs().get(2))),
        Arguments.of("KvCacheController", pimforge.kvcache.KvCacheConfigs.CONFIGS.get(1),
            pimforge.kvcache.KvCacheConfigs.describe(pimforge.kvcache.KvCacheConfigs.CONFIGS.get(1))),
        // the re-scoring configuration: every part of the CAM unit (about 30 s of Yosys)
        Arguments.of("CamAttention", CamConfigs.CONFIGS.get(2), CamConfigs.describe(CamConfigs.CONFIGS.get(2))),
        // 3 tiles: the row-to-tile layout divides by a constant that is no power of two
        Arguments.of("CamAttention", CamConfigs.CONFIGS.get(1), CamConfigs.describe(CamConfigs.CONFIGS.get(1))));
  }

  @ParameterizedTest(name = "{0} {2}")
  @MethodSource("designs")
  void lintIsCleanAndYosysSynthesizes(String top, HwParams p, String what, @TempDir Path tmp) throws Exception {
    System.out.println("rtl check " + top + " " + what);
    Path rtl = new DesignGenerator(top).generate(p, tmp.resolve("out")).dir().resolve("rtl");

    VerilatorLint.Result lint = VerilatorLint.run(rtl, top);
    assertTrue(lint.clean(), "verilator lint:\n" + lint.findings());

    YosysSynth.Result synth = YosysSynth.run(rtl, top, tmp.resolve("yosys"));
    assertTrue(synth.ok(), "yosys failed:\n" + synth.log());
    assertTrue(synth.cells() > 100, "a unit synthesizes to real logic, got " + synth.cells() + " cells");
    if (top.equals("PimBank")) {
      assertTrue(synth.cellsByType().keySet().stream().anyMatch(t -> t.equals("CrossbarArray")),
          "the crossbar arrays stay black boxes: " + synth.cellsByType().keySet());
    }
    System.out.println("  yosys cells " + synth.cells());
  }
}
