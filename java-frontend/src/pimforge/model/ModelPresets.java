package pimforge.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import pimforge.params.ModelShape;
import pimforge.params.ModelShape.Activation;
import pimforge.params.ModelShape.Family;
import pimforge.params.ModelShape.Norm;

/** Built-in model shapes (figures from REFERENCE.md and the models' Hugging Face config.json). */
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
    add(m, new ModelShape("llama2-7b", Family.DECODER, 4096, 32, 32, 32, 11008, 4096, 32000,
        Norm.RMSNORM, 1e-5, Activation.SILU, true, true));
    add(m, new ModelShape("llama3-8b", Family.DECODER, 4096, 32, 8, 32, 14336, 8192, 128256,
        Norm.RMSNORM, 1e-5, Activation.SILU, true, true));
    add(m, new ModelShape("mistral-7b", Family.DECODER, 4096, 32, 8, 32, 14336, 32768, 32000,
        Norm.RMSNORM, 1e-5, Activation.SILU, true, true));
    add(m, new ModelShape("all-minilm-l6-v2", Family.ENCODER, 384, 12, 12, 6, 1536, 512, 30522,
        Norm.LAYERNORM, 1e-12, Activation.GELU, false, false));
    return Collections.unmodifiableMap(m);
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
