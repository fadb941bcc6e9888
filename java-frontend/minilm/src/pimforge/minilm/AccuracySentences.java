package pimforge.minilm;

import java.util.List;

/** Fixed sentences: calibration (sets the static scales) and evaluation (never calibrated on). */
public final class AccuracySentences {
  private AccuracySentences() {}

  public static final List<String> CALIBRATION = List.of(
      "The quick brown fox jumps over the lazy dog.",
      "Processing-in-memory accelerators compute matrix products inside the memory array.",
      "She sold her old bicycle and bought a train ticket to the mountains.",
      "How many layers does a small sentence embedding model have?");

  public static final List<String> EVALUATION = List.of(
      "A man is playing a guitar on the street.",
      "The weather today is sunny with a light breeze from the west.",
      "Transformers use attention to relate every token to every other token in a sequence.",
      "I forgot my umbrella, so I got soaked walking home from the station.",
      "Quantum computers may one day break widely used public-key cryptography.",
      "The children built a sandcastle while their parents read books under the umbrella.",
      "Is this restaurant open on Sundays?",
      "Stock markets fell sharply after the central bank raised interest rates again.");

  public static final String SHORT = "Cats sleep a lot.";
}
