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

  /**
   * As {@link #params()}, but with attention.maxSeqLen at the model's full context (maxPositions, at
   * most the field's 65536) unless --hw sets it: the chip a model needs, not a short test pass.
   */
  HwParams paramsAtFullContext() throws IOException {
    HwParams p = params();
    boolean set = hw != null && new com.fasterxml.jackson.databind.ObjectMapper().readTree(hw.toFile())
        .path("attention").has("maxSeqLen");
    if (set) {
      return p;
    }
    int full = Math.min(p.model().maxPositions(), 65536);
    return p.withAttention(new pimforge.params.AttentionParams(full, p.attention().schedule(),
        p.attention().headPipelineDepth()));
  }
}
