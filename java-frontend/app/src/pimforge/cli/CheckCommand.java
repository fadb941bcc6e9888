package pimforge.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import pimforge.check.VerilatorLint;
import pimforge.check.YosysSynth;
import pimforge.generate.DesignGenerator;
import pimforge.io.AtomicOutputDir;

/** {@code pimforge check}: Verilator lint and Yosys synthesis of the generated RTL. */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    versionProvider = PimforgeCli.Version.class,
    description = "Generate the design into a scratch folder, lint it with Verilator (-Wall) and "
        + "synthesize it with Yosys (crossbar arrays black-boxed). Exit code 1 if either fails.")
final class CheckCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  DesignOptions design;

  @Mixin
  TopOption topOption;

  @Override
  public Integer call() throws Exception {
    var o = spec.commandLine().getOut();
    Path scratch = Files.createTempDirectory("pimforge-check-");
    try {
      DesignGenerator.Result r = new DesignGenerator(topOption.top).generate(topOption.top.equals(pimforge.report.CHeader.MODEL_TOP) ? design.paramsAtFullContext() : design.params(), scratch.resolve("out"));
      Path rtl = r.dir().resolve("rtl");
      VerilatorLint.Result lint = VerilatorLint.run(rtl, topOption.top);
      o.println("verilator lint: " + (lint.clean() ? "clean" : "FAILED\n" + lint.findings()));
      YosysSynth.Result synth = YosysSynth.run(rtl, topOption.top, scratch.resolve("yosys"),
          !pimforge.report.CHeader.hasLayers(topOption.top)); // layer/model tops: each module once (many identical banks)
      o.println("yosys synth: " + (synth.ok() ? "ok, " + synth.cells() + " cells (crossbar arrays as black boxes)"
          : "FAILED\n" + pimforge.cosim.ToolRunner.tail(synth.log(), 20)));
      synth.cellsByType().forEach((type, n) -> o.printf("  %-28s %d%n", type, n));
      return lint.clean() && synth.ok() ? 0 : 1;
    } finally {
      AtomicOutputDir.deleteTree(scratch);
    }
  }
}
