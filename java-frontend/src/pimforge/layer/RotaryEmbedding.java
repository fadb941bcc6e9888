package pimforge.layer;

import pimforge.params.Rope;

/**
 * Rotary position embedding in double math, the float reference (written from the definition, not
 * from the hardware tables): for each head, the first rotaryDim elements are rotated in pairs by
 * angle pos * invFreq_i (RoFormer, Su et al. 2021, eq. 34), pairs (i, i + rotaryDim/2) for HALVES
 * (transformers' rotate_half: GPT-NeoX, Llama) or (2i, 2i+1) for INTERLEAVED (rotate_every_two:
 * GPT-J); invFreq_i = theta^(-2i/rotaryDim), divided by factor for linear scaling, and for llama3
 * scaling smoothed between the low- and high-frequency wavelengths as in transformers'
 * {@code _compute_llama3_parameters}. Elements past rotaryDim pass unchanged.
 */
final class RotaryEmbedding {
  private RotaryEmbedding() {}

  /** Rotates x [token][heads * headDim] in place; token t sits at position firstPosition + t. */
  static void apply(double[][] x, int heads, int headDim, Rope rope, int firstPosition) {
    int r = rope.rotaryDim();
    int half = r / 2;
    for (int t = 0; t < x.length; t++) {
      double pos = firstPosition + t;
      for (int h = 0; h < heads; h++) {
        int o = h * headDim;
        for (int i = 0; i < half; i++) {
          double angle = pos * invFreq(rope, i);
          double c = Math.cos(angle);
          double s = Math.sin(angle);
          int a = rope.pairing() == Rope.Pairing.HALVES ? o + i : o + 2 * i;
          int b = rope.pairing() == Rope.Pairing.HALVES ? o + i + half : o + 2 * i + 1;
          double xa = x[t][a];
          double xb = x[t][b];
          x[t][a] = xa * c - xb * s;
          x[t][b] = xb * c + xa * s;
        }
      }
    }
  }

  private static double invFreq(Rope rope, int i) {
    double base = 1.0 / Math.pow(rope.theta(), (2.0 * i) / rope.rotaryDim());
    switch (rope.scaling()) {
      case NONE:
        return base;
      case LINEAR:
        return base / rope.factor();
      default:
        double lowFreqWavelen = rope.originalMaxPositions() / rope.lowFreqFactor();
        double highFreqWavelen = rope.originalMaxPositions() / rope.highFreqFactor();
        double wavelen = 2 * Math.PI / base;
        if (wavelen > lowFreqWavelen) {
          return base / rope.factor();
        }
        if (wavelen < highFreqWavelen) {
          return base;
        }
        double smooth = (rope.originalMaxPositions() / wavelen - rope.lowFreqFactor())
            / (rope.highFreqFactor() - rope.lowFreqFactor());
        return (1 - smooth) * base / rope.factor() + smooth * base;
    }
  }
}
