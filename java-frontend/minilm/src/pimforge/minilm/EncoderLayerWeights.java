package pimforge.minilm;

/** One post-LayerNorm BERT block: self-attention, then the feed-forward network. */
public record EncoderLayerWeights(
    Linear query,
    Linear key,
    Linear value,
    Linear attentionOutput,
    LayerNormWeights attentionNorm,
    Linear intermediate,
    Linear output,
    LayerNormWeights outputNorm) {}
