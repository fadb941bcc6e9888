package pimforge.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import pimforge.cost.CamformerCycles;
import pimforge.golden.cam.CamSchedule;
import pimforge.golden.cam.CamSoftmax;
import pimforge.params.CamDerived;
import pimforge.params.HwParams;
import pimforge.params.ParamError;

/**
 * {@code pimforge cam-cycles}: the CAM attention unit's cycles per query by stage, from its exact
 * schedule ({@link CamSchedule}, checked against Verilator), beside CAMformer's cycle model at the
 * same N, d, k and tile height ({@link CamformerCycles}).
 */
@Command(
    name = "cam-cycles",
    mixinStandardHelpOptions = true,
    versionProvider = PimforgeCli.Version.class,
    description = "Cycles of one CAM attention (one query against attention.maxSeqLen keys) per stage, "
        + "pimforge's CamAttention unit next to CAMformer's cycle model. Needs cam.enabled.")
final class CamCyclesCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  DesignOptions design;

  @Override
  public Integer call() throws Exception {
    var o = spec.commandLine().getOut();
    HwParams p = design.params();
    CamDerived d = p.camDerived();
    if (d == null) {
      throw new ParamError("cam.enabled", "is false, allowed true (cam-cycles describes the CAM attention unit)");
    }
    CamSchedule.Query s = CamSchedule.query(p);
    CamformerCycles ref = CamformerCycles.of(d.keys(), d.headDim(), p.cam().topK(), p.cam().rowsPerTile());
    o.println(String.format("CAM attention, one query: N = %d keys, d = %d, k = %d, %d tiles of %d rows x %d cells, "
        + "%d-bit match ADC, %d top-k stage(s) (%d per tile), %d MACs, softmax %d lane(s)%s",
        d.keys(), d.headDim(), p.cam().topK(), d.tiles(), p.cam().rowsPerTile(), p.cam().cols(),
        p.cam().matchAdcBits(), p.cam().stages(), d.perTileKeep(), p.cam().lanes(),
        CamSoftmax.params(p).softmax().lanes(), p.cam().rescore() ? ", re-scoring" : ""));
    o.println(String.format("%-18s %9s %10s", "stage", "pimforge", "CAMformer"));
    row(o, "association", s.association(), ref.association());
    if (p.cam().rescore()) {
      row(o, "re-scoring", s.rescoring(), -1);
    }
    row(o, "normalization", s.normalization(), ref.normalization());
    row(o, "contextualization", s.contextualization(), ref.contextualization());
    row(o, "output", s.output(), -1);
    row(o, "total", s.total(), ref.total());
    o.println(String.format("key programming: pimforge writes a key (and its V row) in %d cycles over the "
        + "stream (%d for all N keys), once per key set, outside the query; CAMformer's association "
        + "reprograms the N keys every attention, %d rows per cycle (%d of its %d cycles).",
        CamSchedule.writeCycles(p), d.keys() * CamSchedule.writeCycles(p), CamformerCycles.ROWS_PER_CYCLE,
        (long) d.tiles() * p.cam().rowsPerTile() / CamformerCycles.ROWS_PER_CYCLE, ref.association()));
    return 0;
  }

  private static void row(java.io.PrintWriter o, String stage, long ours, long theirs) {
    o.println(String.format("%-18s %9d %10s", stage, ours, theirs < 0 ? "-" : Long.toString(theirs)));
  }
}
