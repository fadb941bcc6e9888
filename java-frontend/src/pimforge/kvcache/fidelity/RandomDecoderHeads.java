package pimforge.kvcache.fidelity;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Synthetic decoder heads with the two structures KV-cache methods rely on: key outliers per
 * channel (KIVI) and attention concentrated on a few heavy-hitter tokens (H2O). One layer of
 * {@code heads} independent heads, no layer after attention. Per head (its own seeded generator):
 * <ul>
 *   <li>{@link #OUTLIER_CHANNELS} of the d channels are outliers: channel c has a magnitude s_c
 *       uniform in 10..20 and a sign m_c; every token's key there is {@code s_c * (m_c + 0.3 z)}
 *       (z standard normal), i.e. 10-20x the other channels, nearly constant over tokens;
 *   <li>the heavy hitters are token 0 and {@link #HEAVY_TOKENS} more positions drawn uniformly
 *       from 1..tokens-1 (spread over the whole sequence, so a recent window loses most of them);
 *   <li>u is a random unit direction over the non-outlier channels; keys on those channels are
 *       {@code z + BETA * u} for heavy hitters and {@code z} otherwise;
 *   <li>queries are {@code ALPHA * u + z} on the non-outlier channels and {@code 0.1 z} on the
 *       outlier channels (their score term is then nearly the same for every key);
 *   <li>values are z on every channel.
 * </ul>
 * With ALPHA = 8, BETA = 6 and d = 64 a heavy hitter's logit is about ALPHA * BETA / sqrt(d) = 6 above
 * the mean of the others (whose logits vary with a standard deviation of about 1.4); at 128 tokens
 * (seed 1, 4 heads) 96 % of a row's probability falls on its 9 largest entries (KvFidelityTest).
 */
public final class RandomDecoderHeads implements FidelityWorkload {
  public static final int OUTLIER_CHANNELS = 4;
  public static final int HEAVY_TOKENS = 8;
  public static final double ALPHA = 8;
  public static final double BETA = 6;

  private final List<HeadActivations> heads = new ArrayList<>();
  private final long seed;

  /**
   * @param heads number of heads, at least 1
   * @param tokens sequence length, at least 2
   * @param headDim d, more than {@link #OUTLIER_CHANNELS}
   * @param seed generator seed (head h uses seed * 1000003 + h)
   */
  public RandomDecoderHeads(int heads, int tokens, int headDim, long seed) {
    if (heads < 1 || tokens < 2 || headDim <= OUTLIER_CHANNELS) {
      throw new IllegalArgumentException("heads " + heads + " tokens " + tokens + " headDim " + headDim);
    }
    this.seed = seed;
    for (int h = 0; h < heads; h++) {
      this.heads.add(head(new Random(seed * 1000003L + h), tokens, headDim));
    }
  }

  private static HeadActivations head(Random r, int n, int d) {
    List<Integer> channels = shuffled(r, 0, d);
    boolean[] outlier = new boolean[d];
    double[] mag = new double[d];
    double[] sign = new double[d];
    for (int i = 0; i < OUTLIER_CHANNELS; i++) {
      int c = channels.get(i);
      outlier[c] = true;
      mag[c] = 10 + 10 * r.nextDouble();
      sign[c] = r.nextBoolean() ? 1 : -1;
    }
    boolean[] heavy = new boolean[n];
    heavy[0] = true;
    List<Integer> later = shuffled(r, 1, n);
    for (int i = 0; i < Math.min(HEAVY_TOKENS, later.size()); i++) {
      heavy[later.get(i)] = true;
    }
    double[] u = new double[d];
    double norm = 0;
    for (int c = 0; c < d; c++) {
      u[c] = outlier[c] ? 0 : r.nextGaussian();
      norm += u[c] * u[c];
    }
    for (int c = 0; c < d; c++) {
      u[c] /= Math.sqrt(norm);
    }
    float[][] q = new float[n][d];
    float[][] k = new float[n][d];
    float[][] v = new float[n][d];
    for (int t = 0; t < n; t++) {
      for (int c = 0; c < d; c++) {
        if (outlier[c]) {
          k[t][c] = (float) (mag[c] * (sign[c] + 0.3 * r.nextGaussian()));
          q[t][c] = (float) (0.1 * r.nextGaussian());
        } else {
          k[t][c] = (float) (r.nextGaussian() + (heavy[t] ? BETA * u[c] : 0));
          q[t][c] = (float) (ALPHA * u[c] + r.nextGaussian());
        }
        v[t][c] = (float) r.nextGaussian();
      }
    }
    return new HeadActivations(q, k, v);
  }

  private static List<Integer> shuffled(Random r, int from, int to) {
    List<Integer> xs = new ArrayList<>();
    for (int i = from; i < to; i++) {
      xs.add(i);
    }
    Collections.shuffle(xs, r);
    return xs;
  }

  @Override
  public String name() {
    return "random decoder heads (seed " + seed + ")";
  }

  @Override
  public int layers() {
    return 1;
  }

  @Override
  public int heads() {
    return heads.size();
  }

  @Override
  public HeadActivations head(int layer, int head) {
    if (layer != 0) {
      throw new IndexOutOfBoundsException("layer " + layer + " of 1");
    }
    return heads.get(head);
  }

  @Override
  public boolean hasLayer() {
    return false;
  }

  @Override
  public float[][] layerOutput(int layer, float[][] context) {
    throw new UnsupportedOperationException("random decoder heads have no layer after attention");
  }
}
