package pimforge.params;

/**
 * One crossbar tile: a rows x cols array of weights (each weight spread over slices and column
 * groups of physical cell columns, see {@link Precision}).
 *
 * @param rows word lines = inputs per tile (power of two, 8..1024)
 * @param cols weight columns = outputs per tile (power of two, 8..1024)
 * @param lanes weight columns digitized per cycle (one ADC per physical column of them); also the
 *     number of elements per stream beat (power of two, 1..min(rows, cols))
 */
public record CrossbarParams(int rows, int cols, int lanes) {
  public static final CrossbarParams DEFAULT = new CrossbarParams(128, 128, 8);

  public CrossbarParams {
    Check.powerOfTwo("crossbar.rows", rows, 8, 1024);
    Check.powerOfTwo("crossbar.cols", cols, 8, 1024);
    Check.powerOfTwo("crossbar.lanes", lanes, 1, Math.min(rows, cols));
  }
}
