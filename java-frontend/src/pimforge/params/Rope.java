package pimforge.params;

import java.util.Locale;

/**
 * Rotary position embedding (RoPE) of a model: Q and K of each head are rotated by angles
 * position * theta^(-2i / rotaryDim), i = 0 .. rotaryDim/2 - 1. Meaning of each field as in
 * transformers' {@code modeling_rope_utils} and the model classes named below.
 *
 * @param theta base of the frequencies (HF {@code rope_theta}; GPT-NeoX {@code rotary_emb_base};
 *     GPT-J and Phi-2's legacy format fix it to 10000)
 * @param rotaryDim leading dimensions of each head that are rotated, an even number 2..headDim
 *     (HF {@code rotary_dim} in GPT-J / mixformer, {@code partial_rotary_factor} x head_dim in Phi,
 *     {@code rotary_pct} x head_dim in GPT-NeoX, else the whole head)
 * @param pairing which dimensions form a rotated pair
 * @param scaling frequency-table scaling (HF {@code rope_scaling.type} / {@code rope_type})
 * @param factor scaling factor (HF {@code rope_scaling.factor}); 1 for NONE
 * @param lowFreqFactor llama3 {@code low_freq_factor}; 0 unless LLAMA3
 * @param highFreqFactor llama3 {@code high_freq_factor}; 0 unless LLAMA3
 * @param originalMaxPositions llama3 {@code original_max_position_embeddings}, tokens; 0 unless LLAMA3
 */
public record Rope(
    double theta, int rotaryDim, Pairing pairing, Scaling scaling, double factor,
    double lowFreqFactor, double highFreqFactor, int originalMaxPositions) {

  /**
   * HALVES: dimension i pairs with i + rotaryDim/2 ({@code rotate_half}: GPT-NeoX, Llama, Mistral,
   * Qwen2, Gemma, Phi). INTERLEAVED: 2i pairs with 2i+1 ({@code rotate_every_two}: GPT-J).
   */
  public enum Pairing { HALVES, INTERLEAVED }

  /** NONE; LINEAR divides positions by factor; LLAMA3 rescales low frequencies (Llama 3.1). */
  public enum Scaling { NONE, LINEAR, LLAMA3 }

  public Rope {
    Check.range("model.features.rope.theta", theta, 1.0, 1e12);
    Check.range("model.features.rope.rotaryDim", rotaryDim, 2, 65536);
    Check.that(rotaryDim % 2 == 0, "model.features.rope.rotaryDim",
        "is " + rotaryDim + ", allowed an even number (dimensions are rotated in pairs)");
    Check.present("model.features.rope.pairing", pairing);
    Check.present("model.features.rope.scaling", scaling);
    Check.range("model.features.rope.factor", factor, scaling == Scaling.NONE ? 1.0 : 1e-6,
        scaling == Scaling.NONE ? 1.0 : 1e6);
    if (scaling == Scaling.LLAMA3) {
      Check.range("model.features.rope.lowFreqFactor", lowFreqFactor, 1e-6, 1e6);
      Check.range("model.features.rope.highFreqFactor", highFreqFactor, lowFreqFactor, 1e6);
      Check.range("model.features.rope.originalMaxPositions", originalMaxPositions, 1, 1 << 24);
    }
  }

  /** Unscaled RoPE over {@code rotaryDim} dimensions. */
  public static Rope plain(double theta, int rotaryDim, Pairing pairing) {
    return new Rope(theta, rotaryDim, pairing, Scaling.NONE, 1.0, 0, 0, 0);
  }

  /** One line for reports, e.g. "RoPE theta 500000, 128 of 128 dims, halves pairing, llama3 x8". */
  public String describe(int headDim) {
    String s = String.format(Locale.ROOT, "RoPE theta %s, %d of %d dims rotated, %s pairing", num(theta), rotaryDim,
        headDim, pairing.name().toLowerCase(Locale.ROOT));
    return switch (scaling) {
      case NONE -> s;
      case LINEAR -> s + ", linear scaling x" + num(factor);
      case LLAMA3 -> s + String.format(Locale.ROOT, ", llama3 scaling x%s (low %s, high %s, original %d positions)",
          num(factor), num(lowFreqFactor), num(highFreqFactor), originalMaxPositions);
    };
  }

  static String num(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }
}
