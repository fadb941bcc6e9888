package pimforge.kvcache.fidelity;

/**
 * Activations the KV-cache fidelity is measured on: per layer, the heads' float q/k/v over one
 * sequence, and optionally the rest of the layer after attention.
 */
public interface FidelityWorkload {
  /** A name for reports. */
  String name();

  int layers();

  /** Heads per layer (each with its own K/V, as in multi-head attention). */
  int heads();

  /** Activations of one head of one layer, {@code [tokens][headDim]} each. */
  HeadActivations head(int layer, int head);

  /** Whether {@link #layerOutput} exists (a real layer behind the attention). */
  boolean hasLayer();

  /**
   * The layer's output, {@code [tokens][hidden]}, computed in float from a given attention context
   * {@code [tokens][heads * headDim]} (heads concatenated) and the layer's own input.
   *
   * @throws UnsupportedOperationException if {@link #hasLayer()} is false
   */
  float[][] layerOutput(int layer, float[][] context);
}
