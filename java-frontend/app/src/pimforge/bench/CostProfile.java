package pimforge.bench;

import pimforge.config.HwConfigReader;
import pimforge.cost.ModelEvaluation;
import pimforge.cost.TechTable;
import pimforge.model.ModelPresets;
import pimforge.params.HwParams;

/** Wall time of ModelEvaluation.of, first (cold) and repeated (stand-in float layer reused). Args: model seq. */
public final class CostProfile {
  private CostProfile() {}

  public static void main(String[] a) {
    HwParams p = HwConfigReader.defaults(ModelPresets.get(a[0]).orElseThrow());
    int seq = Integer.parseInt(a[1]);
    for (int rep = 0; rep < 3; rep++) {
      long t0 = System.nanoTime();
      ModelEvaluation ev = ModelEvaluation.of(p, TechTable.defaults(), seq, 0);
      System.out.printf("evaluation %d: %.2f s (prefill %.4g ms)%n", rep, (System.nanoTime() - t0) / 1e9,
          ev.prefillSeconds() * 1e3);
    }
  }
}
