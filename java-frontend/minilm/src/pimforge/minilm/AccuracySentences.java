package pimforge.minilm;

import java.util.List;

/**
 * Fixed sentences: calibration (sets the static scales) and evaluation (never calibrated on).
 * Evaluation spans 4 to 128 tokens ([CLS] and [SEP] included; the longest is truncated at 128)
 * over varied topics and registers: questions, instructions, news, dialogue, technical text.
 */
public final class AccuracySentences {
  private AccuracySentences() {}

  public static final List<String> CALIBRATION = List.of(
      "Good night",
      "Thank you very much.",
      "Where is the nearest pharmacy?",
      "The quick brown fox jumps over the lazy dog.",
      "Processing-in-memory accelerators compute matrix products inside the memory array.",
      "She sold her old bicycle and bought a train ticket to the mountains.",
      "How many layers does a small sentence embedding model have?",
      "Please send me the report before Friday.",
      "My grandmother grew tomatoes, beans and sunflowers in the small garden behind her house.",
      "Why do leaves change colour in autumn before they fall from the trees?",
      "The new phone has a larger screen, a faster processor and a battery that lasts two days, but it"
          + " costs almost twice as much as last year's model.",
      "Researchers trained the network on millions of labelled images and then tested it on photographs"
          + " it had never seen; it recognised most animals correctly but often confused wolves with"
          + " huskies when snow was in the background.",
      "We missed the last bus, so we walked along the river, talked about old friends and watched the"
          + " lights of the city come on one by one.",
      "Before signing the contract, read every clause carefully, ask a lawyer about anything you do"
          + " not understand, and keep a copy of all the documents in a safe place.",
      "Our neighbours adopted a rescue dog last spring. At first he hid under the stairs whenever"
          + " somebody rang the bell, but after a few weeks of patient training he started greeting"
          + " visitors at the door with his tail wagging.",
      "The city council met on Tuesday evening to discuss the new budget. Several residents spoke"
          + " about the condition of the roads, the closing hours of the public library and the lack"
          + " of affordable housing near the university. The mayor promised to publish a revised plan"
          + " before the end of the month, although members of the opposition argued that the"
          + " proposal still underestimated the cost of repairing the old bridge over the river and"
          + " did not explain how the extra bus lines would be paid for in the coming years.");

  public static final String SHORT = "Cats sleep a lot.";

  public static final List<String> EVALUATION = List.of(
      "Hello there",
      SHORT,
      "Is this restaurant open on Sundays?",
      "A man is playing a guitar on the street.",
      "The weather today is sunny with a light breeze from the west.",
      "Transformers use attention to relate every token to every other token in a sequence.",
      "I forgot my umbrella, so I got soaked walking home from the station.",
      "Quantum computers may one day break widely used public-key cryptography.",
      "The children built a sandcastle while their parents read books under the umbrella.",
      "Stock markets fell sharply after the central bank raised interest rates again.",
      "Preheat the oven to 180 degrees, mix the flour with the butter and sugar, add two eggs one at"
          + " a time, and bake the cake for about forty minutes until a knife comes out clean.",
      "\"Did you remember to call the plumber?\" she asked. \"Not yet,\" he admitted, \"but I will do"
          + " it right after lunch, I promise.\"",
      "The patient was admitted with a high fever and a persistent cough; after a chest X-ray"
          + " confirmed pneumonia, the doctors started a course of antibiotics and monitored her"
          + " oxygen levels overnight.",
      "Rain forests cover only a small part of the planet's surface, yet they are home to more than"
          + " half of all known species of plants and animals. Logging, mining and farming clear"
          + " millions of hectares every year, and scientists warn that the loss of habitat could"
          + " push many of these species to extinction before they have even been described.",
      "In 1969 the Apollo 11 mission landed two astronauts on the Moon. Neil Armstrong stepped onto"
          + " the surface first, followed by Buzz Aldrin, while Michael Collins stayed in orbit aboard"
          + " the command module. The crew collected rock samples, set up experiments and planted a"
          + " flag before returning safely to Earth, splashing down in the Pacific Ocean eight days"
          + " after launch.",
      "When you install the software for the first time, the setup program asks where it should"
          + " place its files and whether it may create a shortcut on the desktop. Accept the"
          + " defaults unless you have a good reason not to. After the installation has finished,"
          + " restart the computer, open the application from the start menu, sign in with the"
          + " account you created earlier, and follow the short tutorial, which explains how to"
          + " import your existing documents, how to share them with colleagues, and how to restore"
          + " an older version of a file if you make a mistake while editing it late at night. Back up"
          + " your work regularly, because no program can protect you from every accident.");
}
