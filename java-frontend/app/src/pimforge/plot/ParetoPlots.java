package pimforge.plot;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.SeriesRenderingOrder;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import pimforge.cost.Pareto;

/** Scatter of all points with the Pareto front (both axes minimized unless said) as a second series. */
public final class ParetoPlots {
  private ParetoPlots() {}

  /**
   * @param x first objective (minimized)
   * @param y second objective (minimized; pass a negated accuracy to maximize it, plotted un-negated)
   * @param negateY plot -y (for an objective that is maximized)
   */
  public static <T> void write(String title, String xLabel, String yLabel, List<T> points, ToDoubleFunction<T> x,
      ToDoubleFunction<T> y, boolean negateY, Path dir, String name) throws IOException {
    XYSeries all = new XYSeries("design points", false);
    XYSeries front = new XYSeries("Pareto front", true);
    double sign = negateY ? -1 : 1;
    for (T p : points) {
      all.add(x.applyAsDouble(p), sign * y.applyAsDouble(p));
    }
    for (T p : Pareto.front(points, x, y)) {
      front.add(x.applyAsDouble(p), sign * y.applyAsDouble(p));
    }
    XYSeriesCollection d = new XYSeriesCollection();
    d.addSeries(all);
    d.addSeries(front);
    JFreeChart c = ChartFactory.createScatterPlot(title, xLabel, yLabel, d, PlotOrientation.VERTICAL, true, false, false);
    XYPlot plot = c.getXYPlot();
    plot.setSeriesRenderingOrder(SeriesRenderingOrder.FORWARD); // the front on top of the points
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer();
    r.setSeriesLinesVisible(0, false);
    r.setSeriesLinesVisible(1, true);
    plot.setRenderer(r);
    Charts.write(c, dir, name);
  }
}
