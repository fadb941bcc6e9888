package pimforge.layer;

import java.util.ArrayList;
import java.util.List;
import pimforge.params.HwParams;

/**
 * What the host runs for one layer: the setup program and its s_axis beats (static weights and the
 * parameter block; run once), then the layer program and its s_axis beats (the input X). The
 * layer program sends the output as {@code seqLen * hidden / lanes} m_axis beats, token by token.
 */
public record CompiledLayer(List<Instruction> setupProgram, List<long[]> setupBeats, List<Instruction> program,
    List<long[]> beats, int seqLen, int hidden, int lanes) {

  /** m_axis beats back into the output matrix [seqLen][hidden]. */
  public long[][] toMatrix(List<long[]> mAxisBeats) {
    int perRow = hidden / lanes;
    if (mAxisBeats.size() != seqLen * perRow) {
      throw new IllegalArgumentException(mAxisBeats.size() + " m_axis beats, expected " + seqLen * perRow);
    }
    long[][] y = new long[seqLen][hidden];
    for (int i = 0; i < mAxisBeats.size(); i++) {
      System.arraycopy(mAxisBeats.get(i), 0, y[i / perRow], (i % perRow) * lanes, lanes);
    }
    return y;
  }

  /** The expected m_axis beats: setup and layer program on a fresh {@link LayerMachineModel}. */
  public List<long[]> expectedBeats(HwParams p) {
    LayerMachineModel machine = new LayerMachineModel(p);
    machine.run(setupProgram, setupBeats);
    return machine.run(program, beats);
  }

  /** The expected layer output [seqLen][hidden] (integers in the layer's output format). */
  public long[][] expectedOutput(HwParams p) {
    return toMatrix(expectedBeats(p));
  }

  static List<long[]> rowsToBeats(long[][] rows, int lanes) {
    List<long[]> beats = new ArrayList<>();
    for (long[] row : rows) {
      for (int b = 0; b < row.length / lanes; b++) {
        beats.add(java.util.Arrays.copyOfRange(row, b * lanes, (b + 1) * lanes));
      }
    }
    return beats;
  }
}
