package pimforge.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import pimforge.params.ModelFeatures;
import pimforge.params.ModelFeatures.Block;
import pimforge.params.ModelFeatures.WindowLayers;
import pimforge.params.ModelShape;
import pimforge.params.ModelShape.Activation;
import pimforge.params.PatchEmbedding;
import pimforge.params.Rope;
import pimforge.params.Rope.Pairing;
import pimforge.params.ModelShape.Family;
import pimforge.params.ModelShape.Norm;

/**
 * Built-in model shapes (figures from REFERENCE.md and the models' Hugging Face config.json,
 * including their RoPE settings, block structure and windows, as {@link HfConfigImporter} reads them).
 */
public final class ModelPresets {
  private ModelPresets() {}

  private static final Map<String, ModelShape> PRESETS = build();

  private static Map<String, ModelShape> build() {
    Map<String, ModelShape> m = new LinkedHashMap<>();
    add(m, new ModelShape("tiny", Family.ENCODER, 64, 4, 4, 2, 256, 128, 1000,
        Norm.LAYERNORM, 1e-12, Activation.GELU, false, false));
    add(m, new ModelShape("bert-base", Family.ENCODER, 768, 12, 12, 12, 3072, 512, 30522,
        Norm.LAYERNORM, 1e-12, Activation.GELU, false, false));
    add(m, new ModelShape("bert-large", Family.ENCODER, 1024, 16, 16, 24, 4096, 512, 30522,
        Norm.LAYERNORM, 1e-12, Activation.GELU, false, false));
    add(m, new ModelShape("gpt2", Family.DECODER, 768, 12, 12, 12, 3072, 1024, 50257,
        Norm.LAYERNORM, 1e-5, Activation.GELU_TANH, false, true));
    add(m, new ModelShape("opt-1.3b", Family.DECODER, 2048, 32, 32, 24, 8192, 2048, 50272,
        Norm.LAYERNORM, 1e-5, Activation.RELU, false, true));
    // meta-llama/Llama-2-7b-hf: rope_theta 10000 (default), whole head rotated, rotate_half pairing.
    add(m, new ModelShape("llama2-7b", Family.DECODER, 4096, 32, 32, 32, 11008, 4096, 32000,
        Norm.RMSNORM, 1e-5, Activation.SILU, true, true, rotary(Rope.plain(10000.0, 128, Pairing.HALVES))));
    // meta-llama/Meta-Llama-3-8B: GQA 32/8, rope_theta 500000.
    add(m, new ModelShape("llama3-8b", Family.DECODER, 4096, 32, 8, 32, 14336, 8192, 128256,
        Norm.RMSNORM, 1e-5, Activation.SILU, true, true, rotary(Rope.plain(500000.0, 128, Pairing.HALVES))));
    // mistralai/Mistral-7B-v0.1: GQA 32/8, rope_theta 10000, sliding_window 4096 on every layer.
    add(m, new ModelShape("mistral-7b", Family.DECODER, 4096, 32, 8, 32, 14336, 32768, 32000,
        Norm.RMSNORM, 1e-5, Activation.SILU, true, true, ModelFeatures.builder()
            .rope(Rope.plain(10000.0, 128, Pairing.HALVES)).window(4096, WindowLayers.ALL).build()));
    // Qwen/Qwen2-7B: GQA 28/4, rope_theta 1e6, rms_norm_eps 1e-6, use_sliding_window false.
    add(m, new ModelShape("qwen2-7b", Family.DECODER, 3584, 28, 4, 28, 18944, 131072, 152064,
        Norm.RMSNORM, 1e-6, Activation.SILU, true, true, rotary(Rope.plain(1000000.0, 128, Pairing.HALVES))));
    // microsoft/phi-2: parallel attention + MLP on one LayerNorm, partial_rotary_factor 0.4 (32 of 80 dims).
    add(m, new ModelShape("phi-2", Family.DECODER, 2560, 32, 32, 32, 10240, 2048, 51200,
        Norm.LAYERNORM, 1e-5, Activation.GELU_TANH, false, true, ModelFeatures.builder()
            .rope(Rope.plain(10000.0, 32, Pairing.HALVES)).block(Block.PARALLEL_SHARED_NORM).build()));
    // google/vit-base-patch16-224: pre-norm encoder over (224/16)^2 + 1 = 197 tokens, no vocabulary.
    ModelFeatures.Builder vit = ModelFeatures.builder();
    vit.patches = new PatchEmbedding(224, 16, 3);
    add(m, new ModelShape("vit-b16", Family.ENCODER, 768, 12, 12, 12, 3072, 197, 0,
        Norm.LAYERNORM, 1e-12, Activation.GELU, false, true, vit.build()));
    add(m, new ModelShape("all-minilm-l6-v2", Family.ENCODER, 384, 12, 12, 6, 1536, 512, 30522,
        Norm.LAYERNORM, 1e-12, Activation.GELU, false, false));
    // Tiny decoders, one per block structure the layer top computes: quick to generate and simulate.
    add(m, new ModelShape("tiny-gpt2", Family.DECODER, 64, 4, 4, 2, 256, 128, 1000,
        Norm.LAYERNORM, 1e-5, Activation.GELU_TANH, false, true));
    add(m, new ModelShape("tiny-llama", Family.DECODER, 64, 4, 2, 2, 128, 128, 1000,
        Norm.RMSNORM, 1e-6, Activation.SILU, true, true, rotary(Rope.plain(10000.0, 16, Pairing.HALVES))));
    add(m, new ModelShape("tiny-gptj", Family.DECODER, 64, 4, 4, 2, 256, 128, 1000,
        Norm.LAYERNORM, 1e-5, Activation.GELU_TANH, false, true, ModelFeatures.builder()
            .rope(Rope.plain(10000.0, 8, Pairing.INTERLEAVED)).block(Block.PARALLEL_SHARED_NORM).build()));
    add(m, new ModelShape("tiny-neox", Family.DECODER, 64, 4, 4, 2, 256, 128, 1000,
        Norm.LAYERNORM, 1e-5, Activation.GELU_TANH, false, true, ModelFeatures.builder()
            .rope(Rope.plain(10000.0, 4, Pairing.HALVES)).block(Block.PARALLEL_TWO_NORMS).build()));
    // Gemma-style: explicit head_dim 32 (4 x 32 = 128 > hidden 64), multi-query, GeGLU, RoPE.
    ModelFeatures.Builder gemma = ModelFeatures.builder().rope(Rope.plain(10000.0, 32, Pairing.HALVES));
    gemma.explicitHeadDim = 32;
    add(m, new ModelShape("tiny-gemma", Family.DECODER, 64, 4, 1, 2, 128, 128, 1000,
        Norm.RMSNORM, 1e-6, Activation.GELU_TANH, true, true, gemma.build()));
    ModelFeatures.Builder alibi = ModelFeatures.builder();
    alibi.positions = ModelFeatures.Positions.ALIBI;
    add(m, new ModelShape("tiny-bloom", Family.DECODER, 64, 4, 4, 2, 256, 128, 1000,
        Norm.LAYERNORM, 1e-5, Activation.GELU_TANH, false, true, alibi.build()));
    return Collections.unmodifiableMap(m);
  }

  private static ModelFeatures rotary(Rope r) {
    return ModelFeatures.builder().rope(r).build();
  }

  private static void add(Map<String, ModelShape> m, ModelShape s) {
    m.put(s.name(), s);
  }

  /** The preset of that name (exact, lower case), if there is one. */
  public static Optional<ModelShape> get(String name) {
    return Optional.ofNullable(PRESETS.get(name));
  }

  /** Preset names in a stable order (for error messages and help). */
  public static Iterable<String> names() {
    return PRESETS.keySet();
  }

  public static String namesList() {
    return String.join(", ", PRESETS.keySet());
  }
}
