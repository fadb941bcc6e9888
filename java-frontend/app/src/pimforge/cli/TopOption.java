package pimforge.cli;

import picocli.CommandLine.Option;
import pimforge.generate.DesignGenerator;

/** The --top option of the subcommands that generate one unit's RTL. */
final class TopOption {
  @Option(names = "--top", paramLabel = "MODULE", defaultValue = DesignGenerator.DEFAULT_TOP,
      description = "Top-level hardware module: PimBank, Softmax, Sfu or LayerTop (default: ${DEFAULT-VALUE}).")
  String top;
}
