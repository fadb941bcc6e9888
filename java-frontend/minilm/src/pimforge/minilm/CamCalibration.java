package pimforge.minilm;

import java.util.ArrayList;
import java.util.List;
import pimforge.golden.cam.MatchAdc;

/**
 * What CAM attention on the float encoder takes from calibration sentences (never the evaluated
 * ones), from one float pass with exact attention:
 * <ul>
 *   <li>centering ({@link Centering}): per layer, the mean of every K (and Q) channel over the
 *       calibration tokens, subtracted before the sign (a constant per channel: it folds into the
 *       K/Q projection biases, no hardware). Centering K leaves exact attention unchanged
 *       (q.(k - m) differs from q.k by a constant per query); centering Q does not: it removes the
 *       mean query's preference for some keys;
 *   <li>alpha per layer and head: the least-squares fit of q.k by alpha * (2c - d) over all
 *       query/key pairs of each calibration sentence, c the match count of the (centered) sign
 *       vectors as the match-line ADC reports it (code * d / (2^b - 1)).
 * </ul>
 */
public final class CamCalibration {
  /** Which projections are centered before the sign. */
  public enum Centering { NONE, KEYS, QUERIES_AND_KEYS }

  private final double[][] qMean; // [layer][channel], zeros without centering
  private final double[][] kMean;
  private final double[][] alpha; // [layer][head]

  private CamCalibration(double[][] qMean, double[][] kMean, double[][] alpha) {
    this.qMean = qMean;
    this.kMean = kMean;
    this.alpha = alpha;
  }

  /** Sign bits (+1 for x - mean > 0, else -1) of the d elements of {@code x} from {@code off}. */
  long[] bits(int layer, boolean query, float[] x, int off, int d) {
    double[] mean = query ? qMean[layer] : kMean[layer];
    long[] b = new long[d];
    for (int e = 0; e < d; e++) {
      b[e] = x[off + e] - mean[off + e] > 0 ? 1 : -1;
    }
    return b;
  }

  double alpha(int layer, int head) {
    return alpha[layer][head];
  }

  /**
   * @param sentences calibration token ids
   * @param center which per-channel means are subtracted before the sign
   * @param adcBits the match-line ADC's bits
   */
  public static CamCalibration fit(MiniLmWeights w, List<int[]> sentences, Centering center, int adcBits) {
    int layers = w.layers().size();
    int heads = w.shape().numHeads();
    int hidden = w.shape().hiddenSize();
    int d = hidden / heads;
    List<List<float[][][]>> qk = new ArrayList<>(); // [layer] -> per sentence {q, k}
    for (int l = 0; l < layers; l++) {
      qk.add(new ArrayList<>());
    }
    FloatEncoder recorder = new FloatEncoder(w, (layer, q, k, v, h, mask) -> {
      qk.get(layer).add(new float[][][] {q, k});
      return FloatEncoder.attend(q, k, v, h, mask);
    });
    for (int[] ids : sentences) {
      recorder.encode(ids);
    }
    double[][] qMean = new double[layers][hidden];
    double[][] kMean = new double[layers][hidden];
    if (center != Centering.NONE) {
      for (int l = 0; l < layers; l++) {
        long tokens = 0;
        for (float[][][] s : qk.get(l)) {
          for (int t = 0; t < s[0].length; t++) {
            tokens++;
            for (int c = 0; c < hidden; c++) {
              qMean[l][c] += s[0][t][c];
              kMean[l][c] += s[1][t][c];
            }
          }
        }
        for (int c = 0; c < hidden; c++) {
          qMean[l][c] = center == Centering.QUERIES_AND_KEYS ? qMean[l][c] / tokens : 0;
          kMean[l][c] /= tokens;
        }
      }
    }
    CamCalibration means = new CamCalibration(qMean, kMean, null);
    int[] code = MatchAdc.codes(d, adcBits);
    double top = (1 << adcBits) - 1;
    double[][] alpha = new double[layers][heads];
    for (int l = 0; l < layers; l++) {
      for (int h = 0; h < heads; h++) {
        double num = 0;
        double den = 0;
        for (float[][][] s : qk.get(l)) {
          int n = s[0].length;
          long[][] qb = new long[n][];
          long[][] kb = new long[n][];
          for (int t = 0; t < n; t++) {
            qb[t] = means.bits(l, true, s[0][t], h * d, d);
            kb[t] = means.bits(l, false, s[1][t], h * d, d);
          }
          for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
              int count = 0;
              double dot = 0;
              for (int e = 0; e < d; e++) {
                count += qb[i][e] == kb[j][e] ? 1 : 0;
                dot += (double) s[0][i][h * d + e] * s[1][j][h * d + e];
              }
              double sim = 2 * code[count] * d / top - d;
              num += dot * sim;
              den += sim * sim;
            }
          }
        }
        alpha[l][h] = den > 0 ? num / den : 0;
      }
    }
    return new CamCalibration(qMean, kMean, alpha);
  }
}
