package pimforge.plot;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import pimforge.cost.ModelEvaluation;
import pimforge.cost.SequenceSweep;

/** The plots next to evaluate.md: energy by component, and latency/energy vs sequence length. */
public final class EvaluatePlots {
  private EvaluatePlots() {}

  public static void energyBreakdown(ModelEvaluation ev, Path dir) throws IOException {
    DefaultCategoryDataset d = new DefaultCategoryDataset();
    for (Map.Entry<String, Double> e : ev.prefillJoulesByComponent().entrySet()) {
      d.addValue(e.getValue() * 1e3, "prefill", e.getKey());
    }
    JFreeChart c = ChartFactory.createBarChart(ev.hw().model().name() + ": prefill energy by component, "
        + ev.seq() + " tokens", "component", "energy (mJ)", d, PlotOrientation.HORIZONTAL, false, false, false);
    Charts.write(c, dir, "energy-breakdown");
  }

  /**
   * Prefill latency vs prompt length; the same curve is the decode latency per token vs context
   * length, since without a KV cache a decode step recomputes the whole context.
   */
  public static void latencyVsSequence(String model, List<SequenceSweep.Point> points, Path dir) throws IOException {
    XYSeries s = new XYSeries("prefill of N tokens = decode step at context N (no KV cache)");
    for (SequenceSweep.Point p : points) {
      s.add(p.tokens(), p.latencySeconds() * 1e3);
    }
    JFreeChart c = ChartFactory.createXYLineChart(model + ": latency vs sequence length", "tokens N",
        "latency (ms)", new XYSeriesCollection(s), PlotOrientation.VERTICAL, true, false, false);
    Charts.write(c, dir, "latency-vs-sequence");
  }
}
