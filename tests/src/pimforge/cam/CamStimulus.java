package pimforge.cam;

import java.util.Random;
import pimforge.golden.cam.CamSoftmax;
import pimforge.golden.softmax.SoftmaxConfig;
import pimforge.params.HwParams;

/**
 * Random keys, values and queries for the CAM attention tests: keys are noisy copies of a few
 * random directions, so a query drawn near a direction matches some keys much better than others
 * (a spread of match counts, not all near d/2), with ties in the ADC codes.
 */
final class CamStimulus {
  private final HwParams p;
  private final Random rnd;
  private final long[][] directions;

  CamStimulus(HwParams p, Random rnd) {
    this.p = p;
    this.rnd = rnd;
    this.directions = new long[4][];
    for (int i = 0; i < directions.length; i++) {
      directions[i] = uniform(p.cam().keyBits());
    }
  }

  /** d signed keyBits elements near a random direction (each element redrawn with probability 1/4). */
  long[] key() {
    long[] dir = directions[rnd.nextInt(directions.length)];
    long[] k = uniform(p.cam().keyBits());
    for (int j = 0; j < k.length; j++) {
      if (rnd.nextInt(4) != 0) {
        k[j] = dir[j];
      }
    }
    return k;
  }

  long[] value() {
    return uniform(p.cam().valueBits());
  }

  /** A softmax scale giving non-degenerate probabilities for the unit's scores. */
  SoftmaxConfig config() {
    HwParams sm = CamSoftmax.params(p);
    double perUnit = p.cam().rescore()
        ? 4.0 / (p.model().headDim() * Math.pow(2, 2 * p.cam().keyBits() - 4))
        : 8.0 / (1 << p.cam().matchAdcBits());
    return SoftmaxConfig.forScale(sm, perUnit * (0.5 + rnd.nextDouble()));
  }

  private long[] uniform(int bits) {
    long[] v = new long[p.model().headDim()];
    for (int j = 0; j < v.length; j++) {
      v[j] = rnd.nextLong(-(1L << (bits - 1)), 1L << (bits - 1));
    }
    return v;
  }
}
