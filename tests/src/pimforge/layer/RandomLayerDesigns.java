package pimforge.layer;

import java.util.Random;
import pimforge.config.HwConfigReader;
import pimforge.params.AttentionParams.Schedule;
import pimforge.params.HwParams;
import pimforge.params.ModelFeatures;
import pimforge.params.ModelShape;
import pimforge.params.Rope;

/**
 * Layer designs drawn at random from one seed (VexRiscv's random-configuration regression): block
 * type (BERT-style encoder, GPT-style decoder, Llama-style gated decoder), norm, activation, grouped
 * query heads, attention schedule, lanes, tile size and grid, head pipeline depth, SFU format and
 * sequence length, under the layer top's compatibility rules (a head fits and divides a bank's
 * inputs, widths are multiples of the lanes). Sizes stay small so that a Verilator build is quick.
 */
final class RandomLayerDesigns {
  private RandomLayerDesigns() {}

  /** A drawn design and the sequence length to run it at. */
  record Design(HwParams params, int seqLen, String description) {}

  static Design draw(long seed) {
    Random r = new Random(seed);
    for (int attempt = 0; ; attempt++) {
      try {
        return tryDraw(r, seed);
      } catch (pimforge.params.ParamError e) {
        if (attempt > 50) {
          throw new IllegalStateException("seed " + seed + ": no valid design in 50 draws: " + e.getMessage());
        }
      }
    }
  }

  private static Design tryDraw(Random r, long seed) {
    String block = switch (r.nextInt(5)) {
      case 0 -> "encoder";
      case 1 -> "decoder";
      case 2 -> "gated decoder";
      case 3 -> "parallel decoder";
      default -> "ALiBi decoder";
    };
    int lanes = new int[] {2, 4, 8}[r.nextInt(3)];
    int heads = new int[] {2, 4}[r.nextInt(2)];
    int headDim = Math.max(lanes, new int[] {8, 16}[r.nextInt(2)]);
    int hidden = heads * headDim;
    int kvHeads = block.equals("encoder") ? heads : new int[] {1, 2, heads}[r.nextInt(3)];
    if (heads % kvHeads != 0) {
      kvHeads = heads;
    }
    int ffn = hidden * (2 + 2 * r.nextInt(2));
    boolean decoder = !block.equals("encoder");
    boolean gated = block.equals("gated decoder");
    ModelShape.Norm norm = gated || (decoder && r.nextBoolean()) ? ModelShape.Norm.RMSNORM : ModelShape.Norm.LAYERNORM;
    ModelShape.Activation act = gated ? ModelShape.Activation.SILU
        : decoder ? new ModelShape.Activation[] {ModelShape.Activation.GELU_TANH, ModelShape.Activation.RELU,
            ModelShape.Activation.SILU}[r.nextInt(3)]
        : ModelShape.Activation.GELU;
    ModelFeatures.Builder f = ModelFeatures.builder();
    // Some decoders state head_dim explicitly, twice hidden / heads (Gemma-style: Q wider than hidden).
    if (decoder && r.nextInt(4) == 0) {
      headDim *= 2;
      f.explicitHeadDim = headDim;
    }
    // Rotary embedding on gated and parallel decoders (and some plain ones): whole or partial head,
    // either pairing; ALiBi decoders have no position embedding.
    boolean rotary = gated || block.equals("parallel decoder") || (block.equals("decoder") && r.nextBoolean());
    if (rotary) {
      int rotaryDim = r.nextBoolean() ? headDim : Math.max(2, headDim / 2);
      f.rope(Rope.plain(r.nextBoolean() ? 10000 : 500000, rotaryDim,
          r.nextBoolean() ? Rope.Pairing.HALVES : Rope.Pairing.INTERLEAVED));
    }
    if (block.equals("parallel decoder")) {
      f.block(r.nextBoolean() ? ModelFeatures.Block.PARALLEL_SHARED_NORM : ModelFeatures.Block.PARALLEL_TWO_NORMS);
    }
    if (block.equals("ALiBi decoder")) {
      f.positions = ModelFeatures.Positions.ALIBI;
    }
    ModelShape m = new ModelShape("rand-" + Long.toHexString(seed & 0xFFFFFFL), decoder ? ModelShape.Family.DECODER
        : ModelShape.Family.ENCODER, hidden, heads, kvHeads, 1, ffn, 128, 1000, norm, decoder ? 1e-5 : 1e-12, act,
        gated, decoder).withFeatures(f.build());
    Schedule schedule = !rotary && r.nextBoolean() ? Schedule.DECOMPOSED : Schedule.STRAIGHTFORWARD;
    int rows = new int[] {16, 32}[r.nextInt(2)];
    int cols = new int[] {16, 32}[r.nextInt(2)];
    int gridRows = 1 + r.nextInt(2);
    int gridCols = 1 + r.nextInt(2);
    int maxSeq = new int[] {8, 12, 16}[r.nextInt(3)];
    int depth = 1 + r.nextInt(3);
    boolean narrowSfu = r.nextInt(3) == 0;
    String sfu = narrowSfu ? String.format(", \"sfu\": {\"actBits\": 12, \"actFracBits\": 6, \"residualBits\": 16,"
        + " \"activationLutEntries\": 2048}") : "";
    String json = String.format("{\"crossbar\": {\"rows\": %d, \"cols\": %d, \"lanes\": %d},"
        + " \"bank\": {\"tileGridRows\": %d, \"tileGridCols\": %d},"
        + " \"attention\": {\"maxSeqLen\": %d, \"schedule\": \"%s\", \"headPipelineDepth\": %d}%s}",
        rows, cols, lanes, gridRows, gridCols, maxSeq, schedule, depth, sfu);
    HwParams p;
    try {
      p = HwConfigReader.fromTree(new com.fasterxml.jackson.databind.ObjectMapper().readTree(json), m);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
    LayerPlan.of(p); // the compatibility rules of the layer top
    int seq = 1 + r.nextInt(maxSeq);
    String d = String.format("%s%s%s %s, hidden %d, %d heads (%d kv) x %d, ffn %d, %s %s, %s, %d lanes, %dx%d tiles"
        + " in %dx%d, depth %d, %s SFU, seq %d of %d", block,
        rotary ? " (" + m.features().rope().describe(headDim) + ")" : "",
        f.explicitHeadDim > 0 ? " (explicit head_dim)" : "", norm, hidden, heads, kvHeads, headDim, ffn, act,
        decoder ? "pre-LN" : "post-LN", schedule, lanes, rows, cols, gridRows, gridCols, depth,
        narrowSfu ? "12.6" : "default", seq, maxSeq);
    return new Design(p, seq, d);
  }
}
