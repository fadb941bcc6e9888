package pimforge.minilm;

import java.util.List;

/**
 * What {@link FloatEncoder} computes for one sentence.
 *
 * @param hiddenStates index 0: embedding output (after its LayerNorm); index i: output of layer i;
 *     each [tokens][hidden], padding positions included
 * @param sentenceEmbedding mean over non-padding tokens of the last hidden state, L2-normalized
 */
public record EncoderOutput(List<float[][]> hiddenStates, float[] sentenceEmbedding) {

  public EncoderOutput {
    hiddenStates = List.copyOf(hiddenStates);
  }

  /** Output of the last layer, [tokens][hidden] (ONNX output "last_hidden_state"). */
  public float[][] lastHiddenState() {
    return hiddenStates.get(hiddenStates.size() - 1);
  }

  /** Cosine similarity of two sentence embeddings (both are unit length, so the dot product). */
  public static double cosine(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += (double) a[i] * b[i];
      na += (double) a[i] * a[i];
      nb += (double) b[i] * b[i];
    }
    return dot / Math.sqrt(na * nb);
  }
}
