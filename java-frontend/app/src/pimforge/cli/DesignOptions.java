package pimforge.cli;

import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;
import pimforge.config.HwConfigReader;
import pimforge.model.ModelResolver;
import pimforge.params.HwParams;

/** The options every subcommand uses to pick a design: --model and --hw. */
final class DesignOptions {
  @Option(names = "--model", required = true, paramLabel = "<preset|path>",
      description = "A preset (${COMPLETION-CANDIDATES}) or a Hugging Face config.json (or its folder).",
      completionCandidates = GenerateCommand.PresetNames.class)
  String model;

  @Option(names = "--hw", paramLabel = "<json>",
      description = "Hardware and policy configuration (JSON); every field optional, see README 'Configuration'.")
  Path hw;

  HwParams params() throws IOException {
    var shape = ModelResolver.resolve(model);
    return hw == null ? HwConfigReader.defaults(shape) : HwConfigReader.read(hw, shape);
  }
}
