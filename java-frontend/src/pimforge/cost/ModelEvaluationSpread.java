package pimforge.cost;

import java.util.Locale;
import pimforge.layer.Event;

/** The same evaluation under another source's constant (ADC energy, cell area): the spread the sources leave. */
final class ModelEvaluationSpread {
  private ModelEvaluationSpread() {}

  /** Prefill energy of the whole model (J) with ADC energies from {@code adcModel}. */
  static double prefillJoules(ModelEvaluation ev, String adcModel) {
    TechTable t = ev.tech().withChoice("adcEnergyModel", adcModel);
    EventCounts e = ev.prefill().events();
    double pj = EnergyModel.of(ev.hw(), t, e.lanes(), e.elementBits()).totalPj(e.totals());
    return ev.layers() * pj * 1e-12 + ev.interChipJoules(ev.seq());
  }

  /** Crossbar cell area of the whole model under the cell-area source not chosen. */
  static String cellAreaOther(ModelEvaluation ev) {
    String other = ev.tech().choice("cellAreaModel").equals("isaac") ? "mnsim" : "isaac";
    TechTable t = ev.tech().withChoice("cellAreaModel", other);
    double um2 = AreaModel.macrosUm2(ev.hw(), ev.plan(), t).get("crossbarCells") * ev.layers();
    return String.format(Locale.ROOT, "%s %.4g mm^2", other, um2 / 1e6);
  }
}
