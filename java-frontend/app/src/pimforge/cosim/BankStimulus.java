package pimforge.cosim;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import pimforge.params.HwParams;

/**
 * Seeded stimulus for the bank: random weights over the full signed range (including -2^(W-1),
 * which DIFFERENTIAL clamps), and input vectors mixing uniform random values with corner cases
 * that drive column sums to the ADC's extremes. Vectors with {@code unsignedInputs[v]} go through
 * MULTIPLY_UNSIGNED (values 0..2^inputBits - 1), the others through MULTIPLY.
 */
public record BankStimulus(int[][] weights, List<int[]> inputs, List<Boolean> unsignedInputs) {

  /** The bank command of vector v. */
  public int op(int v) {
    return unsignedInputs.get(v) ? pimforge.golden.BankOp.MULTIPLY_UNSIGNED : pimforge.golden.BankOp.MULTIPLY;
  }

  public static BankStimulus random(HwParams p, long seed, int randomVectors) {
    Random rnd = new Random(seed);
    int in = p.derived().bankInputs();
    int out = p.derived().bankOutputs();
    int wBits = p.precision().weightBits();
    int iBits = p.precision().inputBits();
    int[][] w = new int[in][out];
    boolean extremeWeights = rnd.nextInt(4) == 0; // some runs: only the largest magnitudes
    for (int r = 0; r < in; r++) {
      for (int c = 0; c < out; c++) {
        w[r][c] = extremeWeights ? (rnd.nextBoolean() ? -(1 << (wBits - 1)) : (1 << (wBits - 1)) - 1)
            : signed(rnd, wBits);
      }
    }
    List<int[]> xs = new ArrayList<>();
    xs.add(filled(in, (1 << (iBits - 1)) - 1)); // all max: largest column sums
    xs.add(filled(in, -(1 << (iBits - 1)))); // all min: only the sign plane is set
    xs.add(filled(in, -1)); // every plane set
    xs.add(new int[in]);
    List<Boolean> unsigned = new ArrayList<>(List.of(false, false, false, false));
    xs.add(filled(in, (1 << iBits) - 1)); // unsigned all max: every plane set and added
    unsigned.add(true);
    for (int v = 0; v < randomVectors; v++) {
      int[] x = new int[in];
      int density = 1 + rnd.nextInt(4); // 25%..100% non-zero
      boolean u = v % 3 == 2; // every third random vector unsigned
      for (int r = 0; r < in; r++) {
        x[r] = rnd.nextInt(4) < density ? (u ? rnd.nextInt(1 << iBits) : signed(rnd, iBits)) : 0;
      }
      xs.add(x);
      unsigned.add(u);
    }
    return new BankStimulus(w, xs, unsigned);
  }

  private static int signed(Random rnd, int bits) {
    return rnd.nextInt(1 << bits) - (1 << (bits - 1));
  }

  private static int[] filled(int n, int v) {
    int[] x = new int[n];
    java.util.Arrays.fill(x, v);
    return x;
  }
}
