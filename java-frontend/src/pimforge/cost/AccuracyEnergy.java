package pimforge.cost;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import pimforge.params.HwParams;
import pimforge.params.ParamError;

/**
 * Measured MiniLM accuracy ({@link MiniLmAccuracy}) beside the energy pimforge's model gives the same
 * precision variant of the evaluated design at the same sequence length.
 *
 * @param error null when the variant was evaluated, else why not
 */
public record AccuracyEnergy(MiniLmAccuracy point, double energyJoules, double latencySeconds, String error) {

  /** Only for all-minilm-l6-v2 (the only model with measured accuracy); empty for others. */
  public static List<AccuracyEnergy> of(ModelEvaluation ev) {
    List<AccuracyEnergy> out = new ArrayList<>();
    if (!ev.hw().model().name().equals("all-minilm-l6-v2")) {
      return out;
    }
    for (MiniLmAccuracy a : MiniLmAccuracy.POINTS) {
      try {
        HwParams p = a.apply(ev.hw());
        ModelEvaluation e = ModelEvaluation.of(p, ev.tech(), ev.seq(), ev.decodeTokens());
        out.add(new AccuracyEnergy(a, e.prefillJoules(), e.prefillSeconds(), null));
      } catch (ParamError | IllegalArgumentException | IllegalStateException e) {
        out.add(new AccuracyEnergy(a, 0, 0, e.getMessage()));
      }
    }
    return out;
  }

  public static String markdown(List<AccuracyEnergy> rows, int seq) {
    if (rows.isEmpty()) {
      return "";
    }
    StringBuilder b = new StringBuilder("\n## Accuracy vs energy (all-MiniLM-L6-v2, measured accuracy)\n\n"
        + "| variant | cosine vs float (mean) | prefill energy, " + seq + " tokens | latency | accuracy source |\n"
        + "| --- | ---: | ---: | ---: | --- |\n");
    for (AccuracyEnergy r : rows) {
      b.append(r.error() != null
          ? String.format(Locale.ROOT, "| %s | %.4f | not evaluable: %s | - | %s |%n", r.point().label(),
              r.point().cosine(), r.error(), r.point().source())
          : String.format(Locale.ROOT, "| %s | %.4f | %.4g mJ | %.4g ms | %s |%n", r.point().label(), r.point().cosine(),
              r.energyJoules() * 1e3, r.latencySeconds() * 1e3, r.point().source()));
    }
    b.append("\nPlot: accuracy-energy.png/svg (Pareto front: lower energy, higher cosine).\n");
    return b.toString();
  }
}
