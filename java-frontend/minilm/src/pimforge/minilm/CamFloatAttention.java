package pimforge.minilm;

import pimforge.config.HwConfigReader;
import pimforge.golden.cam.CamAttentionModel;
import pimforge.params.AttentionParams;
import pimforge.params.CamParams;
import pimforge.params.Check;
import pimforge.params.HwParams;
import pimforge.params.ModelShape;

/**
 * CAM attention in every layer of the float encoder, to measure what it costs in accuracy. Per
 * head, the keys' sign bits go into the golden CAM model ({@link CamAttentionModel}: match-line
 * ADC, per-tile then global top-k, ties to the lower index, exactly the unit's selection); each
 * query keeps its survivors, a double softmax over their scores and the float weighted sum of their
 * V rows give the context (the unit's fixed-point softmax and context are not modelled here).
 *
 * <p>Score of a survivor: {@code alpha * (2c - d) / sqrt(d)} with c = code * d / (2^b - 1) the
 * match count the ADC code stands for, i.e. alpha times the Hamming similarity of the sign
 * vectors, alpha per layer and head from {@link CamCalibration} (HAD's scaled sign, fitted instead
 * of trained); with {@code rescore} the exact {@code q.k / sqrt(d)} (CAM as a filter). With
 * centering, the calibration's per-channel means are subtracted before the sign.
 *
 * <p>Key placement: the unit keeps row r in tile r mod T, so token j in row j spreads the tokens
 * over the T tiles and the per-tile stage passes up to T * perTileKeep of them (interleaved, what
 * the layer top does); for comparison, row (j / R) + (j mod R) * T places them in token order, a
 * short sentence filling only the first tiles, each of which passes only perTileKeep rows.
 */
public final class CamFloatAttention implements FloatEncoder.Attention {
  /** Keys the CAM holds: the tokenizer's longest sentence. */
  public static final int KEYS = MiniLmTokenizer.MAX_TOKENS;

  private final HwParams cam;
  private final CamCalibration cal;
  private final boolean interleave;

  /**
   * @param cam the CAM's parameters ({@link #params}); cam.rescore selects exact re-scoring
   * @param cal centering means (or none) and score scales
   * @param interleave place the tokens over the tiles (else token j in row j)
   */
  public CamFloatAttention(HwParams cam, CamCalibration cal, boolean interleave) {
    this.cam = cam;
    this.cal = cal;
    this.interleave = interleave;
  }

  /** The CAM row of token j. */
  private int row(int j) {
    int tiles = cam.camDerived().tiles();
    int r = cam.cam().rowsPerTile();
    return interleave ? j : j / r + (j % r) * tiles;
  }

  /**
   * A CAM for {@code shape}'s heads: {@link #KEYS} keys in tiles of 16 rows, top-{@code topK} in 2
   * stages (CAMformer's per-tile pruning), the widest (lossless) match ADC for the head dimension, sign-only keys.
   */
  public static HwParams params(ModelShape shape, int topK, boolean rescore) {
    return params(shape, topK, rescore, 2);
  }

  /** As above with {@code stages} top-k stages (1: the exact top-k of all keys, no per-tile pruning). */
  public static HwParams params(ModelShape shape, int topK, boolean rescore, int stages) {
    int d = shape.headDim();
    CamParams c = new CamParams(true, 16, topK, stages, Check.ceilLog2(d + 1L), 16, 2,
        Math.max(8, Integer.highestOneBit(2 * d - 1)), Math.min(8, Integer.lowestOneBit(d)), rescore);
    return HwConfigReader.defaults(shape).withAttention(new AttentionParams(KEYS, AttentionParams.Schedule.DECOMPOSED, 2))
        .withCam(c);
  }

  @Override
  public float[][] attend(int layer, float[][] q, float[][] k, float[][] v, int numHeads, int[] mask) {
    int n = q.length;
    int d = q[0].length / numHeads;
    int b = cam.cam().matchAdcBits();
    double top = (1 << b) - 1;
    double scale = 1.0 / Math.sqrt(d);
    float[][] context = new float[n][numHeads * d];
    long[] zeros = new long[d];
    for (int head = 0; head < numHeads; head++) {
      int off = head * d;
      CamAttentionModel m = new CamAttentionModel(cam);
      int[] token = new int[KEYS];
      for (int j = 0; j < n; j++) {
        if (mask[j] != 0) {
          m.write(row(j), cal.bits(layer, false, k[j], off, d), zeros);
          token[row(j)] = j;
        }
      }
      double alpha = cal.alpha(layer, head);
      for (int i = 0; i < n; i++) {
        long[] qb = cal.bits(layer, true, q[i], off, d);
        int[] rows = m.survivors(qb);
        int[] surv = new int[rows.length];
        for (int s = 0; s < rows.length; s++) {
          surv[s] = rows[s] < 0 ? -1 : token[rows[s]];
        }
        double[] logit = new double[surv.length];
        double max = Double.NEGATIVE_INFINITY;
        for (int s = 0; s < surv.length && surv[s] >= 0; s++) {
          if (cam.cam().rescore()) {
            double dot = 0;
            for (int e = 0; e < d; e++) {
              dot += (double) q[i][off + e] * k[surv[s]][off + e];
            }
            logit[s] = dot * scale;
          } else {
            logit[s] = alpha * (2 * m.code(qb, rows[s]) * d / top - d) * scale;
          }
          max = Math.max(max, logit[s]);
        }
        double total = 0;
        double[] acc = new double[d];
        for (int s = 0; s < surv.length && surv[s] >= 0; s++) {
          double p = Math.exp(logit[s] - max);
          total += p;
          for (int e = 0; e < d; e++) {
            acc[e] += p * v[surv[s]][off + e];
          }
        }
        for (int e = 0; e < d; e++) {
          context[i][off + e] = (float) (acc[e] / total);
        }
      }
    }
    return context;
  }
}
