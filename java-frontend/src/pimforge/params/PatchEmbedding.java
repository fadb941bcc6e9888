package pimforge.params;

/**
 * Vision Transformer input (HF {@code ViTConfig}): the image is cut into patches, each flattened
 * patch (channels x patch x patch values) is multiplied by one matrix (the patch embedding, a
 * convolution with stride = patch size), and a class token is prepended.
 *
 * @param imageSize image height = width, pixels (HF {@code image_size})
 * @param patchSize patch height = width, pixels (HF {@code patch_size})
 * @param channels input channels (HF {@code num_channels})
 */
public record PatchEmbedding(int imageSize, int patchSize, int channels) {
  public PatchEmbedding {
    Check.range("model.features.patches.imageSize", imageSize, 1, 65536);
    Check.range("model.features.patches.patchSize", patchSize, 1, imageSize);
    Check.range("model.features.patches.channels", channels, 1, 1024);
  }

  /** Patches per image: (imageSize / patchSize)^2 (floor, as the stride-patch convolution does). */
  public int patches() {
    int side = imageSize / patchSize;
    return side * side;
  }

  /** Tokens entering the encoder: the patches plus the class token. */
  public int tokens() {
    return patches() + 1;
  }

  /** Inputs of the patch-embedding matrix: channels x patchSize^2. */
  public int inputs() {
    return channels * patchSize * patchSize;
  }
}
