package pimforge.cost;

import java.util.ArrayList;
import java.util.List;
import pimforge.layer.LayerCompiler;

/**
 * Whole-model latency and energy of the evaluated layer top at several sequence lengths (each an
 * exact compiled program, same hardware: attention.maxSeqLen of the evaluation). Without a KV cache
 * a decode step at context N costs what a prefill of N tokens costs, so one curve serves both.
 */
public final class SequenceSweep {
  private SequenceSweep() {}

  /** @param latencySeconds whole model @param energyJoules whole model (layer tops) */
  public record Point(int tokens, long cyclesPerLayer, double latencySeconds, double energyJoules) {}

  /** Powers of two up to attention.maxSeqLen, and maxSeqLen itself. */
  public static List<Point> of(ModelEvaluation ev) {
    int max = ev.hw().attention().maxSeqLen();
    List<Integer> lengths = new ArrayList<>();
    for (int n = 1; n < max; n *= 2) {
      lengths.add(n);
    }
    lengths.add(max);
    List<Point> out = new ArrayList<>();
    for (int n : lengths) {
      LayerCost c = n == ev.seq() ? ev.prefill() // the same program, already counted
          : ev.decode() != null && n == ev.seq() + ev.decodeTokens() ? ev.decode()
          : LayerCost.of(ev.hw(), ev.tech(), LayerCompiler.programs(ev.hw(), n).layer());
      out.add(new Point(n, c.cycles(), ev.layers() * c.cycles() / ev.clockHz(),
          ev.layers() * c.energyPj() * 1e-12 + ev.interChipJoules(n)));
    }
    return out;
  }
}
