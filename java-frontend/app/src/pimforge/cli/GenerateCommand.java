package pimforge.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import pimforge.generate.DesignGenerator;
import pimforge.mapping.MappingResult;
import pimforge.params.HwParams;
import pimforge.params.ModelShape;

/** {@code pimforge generate}: RTL, design.json, C header and reports for one model + hardware config. */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    versionProvider = PimforgeCli.Version.class,
    description = "Generate RTL, design.json, the C header and reports into <out>/<design>-<hash8>/.")
final class GenerateCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  DesignOptions design;

  @Option(names = "--out", paramLabel = "DIR", defaultValue = "verilog-out",
      description = "Output root (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "--top", paramLabel = "MODULE", defaultValue = "ModelTop",
      description = "Top-level hardware module: ModelTop (every layer of the model, at its full context unless "
          + "--hw sets attention.maxSeqLen; default), LayerTop (one layer), PimBank (one bank and the mapping "
          + "report of any imported model), Softmax or Sfu.")
  String top;

  @Override
  public Integer call() throws Exception {
    HwParams params = top.equals(pimforge.report.CHeader.MODEL_TOP) ? design.paramsAtFullContext() : design.params();
    ModelShape shape = params.model();
    DesignGenerator.Result r = new DesignGenerator(top).generate(params, out);
    MappingResult m = r.mapping();
    var o = spec.commandLine().getOut();
    o.println("wrote " + r.dir());
    o.printf("design %s (hash %s), top %s, %d RTL files%n", r.id().name(), r.id().hash8(), top, r.rtlFiles().size());
    o.printf("model: %d layers, hidden %d, %d heads, FFN %d%n", shape.numLayers(), shape.hiddenSize(),
        shape.numHeads(), shape.ffnSize());
    o.printf("tiles %d (%d x %d), banks %d needed of %d: %s%n", m.totalTiles(), params.crossbar().rows(),
        params.crossbar().cols(), m.banksNeeded(), m.banksAvailable(), m.fits() ? "fits" : "does NOT fit");
    o.printf("weights %d bytes, KV cache %d bytes at budget (%d tokens)%n", m.weightBytes(),
        m.kvCacheBytesAtBudget(), m.kvCacheTokensAtBudget());
    if (pimforge.report.CHeader.hasLayers(top)) {
      var plan = pimforge.layer.LayerPlan.of(params);
      int layerTops = top.equals(pimforge.report.CHeader.MODEL_TOP) ? shape.numLayers() : 1;
      long banks = (long) layerTops * plan.banks().size();
      long chips = (banks + params.bank().banks() - 1) / params.bank().banks();
      o.printf("%s: %d layer top(s) x %d banks = %d banks (%d chip(s) of %d banks), %d tokens per pass%n", top,
          layerTops, plan.banks().size(), banks, chips, params.bank().banks(), params.attention().maxSeqLen());
    }
    return 0;
  }

  /** Preset names for --help. */
  static final class PresetNames implements Iterable<String> {
    @Override
    public java.util.Iterator<String> iterator() {
      return pimforge.model.ModelPresets.names().iterator();
    }
  }
}
