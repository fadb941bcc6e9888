package pimforge.plot;

import java.awt.Color;
import java.awt.Rectangle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.svg.SVGGraphics2D;

/** Writes a JFreeChart as PNG and SVG (jfreesvg) side by side: {@code <name>.png}, {@code <name>.svg}. */
public final class Charts {
  private Charts() {}

  static {
    System.setProperty("java.awt.headless", "true"); // CI and servers have no display
  }

  public static final int WIDTH = 800;
  public static final int HEIGHT = 500;

  public static void write(JFreeChart chart, Path dir, String name) throws IOException {
    chart.setBackgroundPaint(Color.WHITE);
    ChartUtils.saveChartAsPNG(dir.resolve(name + ".png").toFile(), chart, WIDTH, HEIGHT);
    SVGGraphics2D g = new SVGGraphics2D(WIDTH, HEIGHT);
    chart.draw(g, new Rectangle(0, 0, WIDTH, HEIGHT));
    Files.writeString(dir.resolve(name + ".svg"), g.getSVGDocument());
  }
}
