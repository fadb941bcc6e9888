package pimforge.minilm;

import java.util.ArrayList;
import java.util.List;
import pimforge.params.HwParams;

/**
 * The compiled encoder ({@link CompiledEncoder}) vs the float one on a set of sentences: embedding
 * cosines and per-layer errors.
 */
public final class AccuracyEvaluation {
  private AccuracyEvaluation() {}

  /**
   * @param cosines cosine(quantized, float) of the sentence embedding, one per sentence
   * @param layerMaxAbsError max |quantized - float| over tokens and features, index 0 = embedding
   *     output, i = layer i, maximum over sentences
   */
  public record Result(double[] cosines, double[] layerMaxAbsError) {
    public double meanCosine() {
      return java.util.Arrays.stream(cosines).average().orElse(Double.NaN);
    }

    public double minCosine() {
      return java.util.Arrays.stream(cosines).min().orElse(Double.NaN);
    }
  }

  /** Tokenizes the sentences (unpadded). */
  public static List<int[]> tokenize(MiniLmTokenizer tok, List<String> sentences) {
    List<int[]> ids = new ArrayList<>();
    for (String s : sentences) {
      ids.add(tok.encode(s));
    }
    return ids;
  }

  /**
   * @param calibration token ids of the calibration sentences (never the evaluated ones)
   * @param sentences token ids of the evaluated sentences
   */
  public static Result evaluate(MiniLmWeights w, HwParams p, List<int[]> calibration, List<int[]> sentences) {
    return evaluate(w, new CompiledEncoder(w, p, calibration), sentences);
  }

  public static Result evaluate(MiniLmWeights w, CompiledEncoder quantized, List<int[]> sentences) {
    FloatEncoder reference = new FloatEncoder(w);
    double[] cos = new double[sentences.size()];
    double[] err = new double[w.layers().size() + 1];
    for (int s = 0; s < sentences.size(); s++) {
      EncoderOutput f = reference.encode(sentences.get(s));
      EncoderOutput q = quantized.encode(sentences.get(s));
      cos[s] = EncoderOutput.cosine(f.sentenceEmbedding(), q.sentenceEmbedding());
      for (int l = 0; l < err.length; l++) {
        float[][] a = f.hiddenStates().get(l);
        float[][] b = q.hiddenStates().get(l);
        for (int t = 0; t < a.length; t++) {
          for (int i = 0; i < a[t].length; i++) {
            err[l] = Math.max(err[l], Math.abs(a[t][i] - b[t][i]));
          }
        }
      }
    }
    return new Result(cos, err);
  }
}
