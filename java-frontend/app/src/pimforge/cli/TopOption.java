package pimforge.cli;

import picocli.CommandLine.Option;
import pimforge.generate.DesignGenerator;

/** The --top option of the subcommands that generate one unit's RTL. */
final class TopOption {
  @Option(names = "--top", paramLabel = "MODULE", defaultValue = DesignGenerator.DEFAULT_TOP,
      description = "Top-level hardware module: ModelTop (every layer of the model), LayerTop (one layer), "
          + "PimBank, Softmax, Sfu, KvCacheController or CamAttention (default: ${DEFAULT-VALUE}).")
  String top;
}
