package pimforge.mapping;

/**
 * How one weight matrix (inputs x outputs) of one layer is laid out on crossbar tiles and banks.
 *
 * @param name matrix name (q, k, v, o, ffnUp, ffnGate, ffnDown)
 * @param inputs rows of the weight matrix (the dimension fed into the crossbar rows)
 * @param outputs columns of the weight matrix
 * @param tileGridRows ceil(inputs / crossbar.rows)
 * @param tileGridCols ceil(outputs / crossbar.cols)
 * @param tiles tileGridRows * tileGridCols
 * @param banks ceil(tileGridRows / bank.tileGridRows) * ceil(tileGridCols / bank.tileGridCols)
 * @param cellUtilisation inputs * outputs / (tiles * rows * cols), 0..1
 * @param weightBytes ceil(inputs * outputs * weightBits / 8)
 * @param physicalCells tiles * rows * cols * slices * columnGroups
 */
public record MatrixMapping(
    String name, int inputs, int outputs, int tileGridRows, int tileGridCols, long tiles, long banks,
    double cellUtilisation, long weightBytes, long physicalCells) {}
