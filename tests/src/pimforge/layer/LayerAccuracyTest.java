package pimforge.layer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import pimforge.params.AttentionParams.Schedule;
import pimforge.params.HwParams;

/**
 * The compiled layer on the golden model against the float layer (8-bit weights and bank inputs,
 * 8.4 SFU unless named, lossless ADC). Measured cosines: context 0.9985-0.9991, first residual (or its norm)
 * 0.9995-0.9996, FFN activation 0.9985-0.9989, layer output 0.9990-0.9993 (12.6 and 14.7 SFU: 0.9997-0.9998).
 * The bounds sit below those but above what real bugs give: one key per row dropped from the
 * softmax gives context 0.946-0.986; heads' contexts swapped give ~0.
 */
class LayerAccuracyTest {

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("straightforward post-LN", narrow(LayerConfigs.small(Schedule.STRAIGHTFORWARD, false)), 11L, 16),
        Arguments.of("decomposed post-LN", narrow(LayerConfigs.small(Schedule.DECOMPOSED, false)), 12L, 16),
        Arguments.of("straightforward pre-LN", narrow(LayerConfigs.small(Schedule.STRAIGHTFORWARD, true)), 13L, 16),
        Arguments.of("decomposed pre-LN", narrow(LayerConfigs.small(Schedule.DECOMPOSED, true)), 14L, 16),
        Arguments.of("straightforward split banks, 11 tokens",
            narrow(LayerConfigs.split(Schedule.STRAIGHTFORWARD, false)), 15L, 11),
        Arguments.of("decomposed split banks, 11 tokens",
            narrow(LayerConfigs.split(Schedule.DECOMPOSED, true)), 16L, 11),
        Arguments.of("straightforward 12.6 SFU", LayerConfigs.wideSfu(Schedule.STRAIGHTFORWARD, false), 19L, 16),
        Arguments.of("decomposed 12.6 SFU pre-LN", LayerConfigs.wideSfu(Schedule.DECOMPOSED, true), 20L, 16),
        Arguments.of("decomposed default SFU", LayerConfigs.small(Schedule.DECOMPOSED, false), 22L, 16),
        Arguments.of("straightforward grouped-query", narrow(LayerConfigs.gqa(Schedule.STRAIGHTFORWARD)), 17L, 16),
        Arguments.of("decomposed grouped-query", narrow(LayerConfigs.gqa(Schedule.DECOMPOSED)), 18L, 13),
        Arguments.of("GPT-2-style causal decoder", narrow(LayerConfigs.gpt2Style(Schedule.STRAIGHTFORWARD)), 23L, 16),
        Arguments.of("GPT-2-style causal decoder, decomposed", narrow(LayerConfigs.gpt2Style(Schedule.DECOMPOSED)),
            24L, 16),
        Arguments.of("Llama-style RoPE, SwiGLU, GQA", narrow(LayerConfigs.llamaStyle()), 25L, 16),
        Arguments.of("Llama-style, default SFU", LayerConfigs.llamaStyle(), 26L, 16),
        Arguments.of("GPT-J-style partial interleaved RoPE (8 of 16)",
            LayerConfigs.llamaStyle(pimforge.params.Rope.plain(10000, 8, pimforge.params.Rope.Pairing.INTERLEAVED)),
            27L, 16),
        Arguments.of("Llama-3.1-style scaled RoPE", LayerConfigs.llamaStyle(new pimforge.params.Rope(500000, 16,
            pimforge.params.Rope.Pairing.HALVES, pimforge.params.Rope.Scaling.LLAMA3, 8, 1, 4, 8)), 28L, 16),
        Arguments.of("GPT-J-style parallel block, shared norm", LayerConfigs.parallelStyle(true), 29L, 16),
        Arguments.of("GPT-NeoX-style parallel block, two norms", LayerConfigs.parallelStyle(false), 30L, 16),
        Arguments.of("BLOOM-style ALiBi", LayerConfigs.bloomStyle(Schedule.STRAIGHTFORWARD), 31L, 16),
        Arguments.of("GPT-Neo-style unscaled scores", LayerConfigs.gptNeoStyle(), 33L, 16),
        // One head slot: the heads must run one after another (the interleaved order overwrote the
        // slot a head still read; found by RandomLayerDesignTest).
        Arguments.of("one head slot, straightforward",
            LayerConfigs.withDepth(LayerConfigs.small(Schedule.STRAIGHTFORWARD, false), 1), 35L, 16),
        Arguments.of("one head slot, decomposed decoder",
            LayerConfigs.withDepth(LayerConfigs.small(Schedule.DECOMPOSED, true), 1), 36L, 16),
        Arguments.of("Gemma-style explicit head_dim, MQA, GeGLU", LayerConfigs.gemmaStyle(), 34L, 16),
        Arguments.of("BLOOM-style ALiBi, decomposed", LayerConfigs.bloomStyle(Schedule.DECOMPOSED), 32L, 16));
  }

  private static HwParams narrow(HwParams p) {
    return LayerConfigs.sfu84(p);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void goldenModelTracksTheFloatLayer(String name, HwParams p, long seed, int seqLen) {
    RandomLayers.RandomLayer layer = RandomLayers.of(p, seed);
    CompiledLayer c = LayerCompiler.compile(p, layer, seqLen);
    LayerMachineModel machine = new LayerMachineModel(p);
    machine.run(c.setupProgram(), c.setupBeats());
    long[][] out = c.toMatrix(machine.run(c.program(), c.beats()));
    double[][] got = layer.quantized().dequantizeOutput(out);
    FloatLayer.Trace want = layer.floatLayer().trace(layer.input(seqLen));
    // Intermediate tensors (integers, any scale: cosine is scale-invariant) catch attention bugs
    // that the residual path would hide in the output.
    ScratchLayout sl = ScratchLayout.of(p, p.crossbar().lanes());
    double ctx = Similarity.cosine(region(machine, sl, "ctx", sl.qStride(), seqLen), want.ctx());
    // h1 holds the first residual sum (pre-LN) or its norm (post-LN, normalized in place).
    double attn = Similarity.cosine(region(machine, sl, "h1", sl.hiddenStride(), seqLen),
        p.model().preNorm() ? want.resid1() : want.ffnIn());
    // ffnUp ends as FFN-down's input at per-channel scales: undo each channel's factor and the
    // activation table's offset (activation LSBs; 0 for a gated FFN).
    double[][] act = region(machine, sl, "ffnUp", sl.ffnStride(), seqLen);
    ChannelTable actTable = layer.quantized().channels(ScratchLayout.ChannelConfig.ACT);
    int offset = p.sfuDerived().activationOffset();
    for (double[] row : act) {
      for (int j = 0; j < actTable.entries(); j++) {
        row[j] = row[j] / actTable.factor(j) - offset;
      }
    }
    double up = Similarity.cosine(act, want.act());
    double cos = Similarity.cosine(got, want.out());
    System.out.println(String.format("%s: seed %d, seqLen %d, cosine context %.5f, first residual %.5f,"
        + " activation %.5f, layer output %.5f (max |err| %.4f); program %d + setup %d instructions",
        name, seed, seqLen, ctx, attn, up, cos, Similarity.maxAbsError(got, want.out()), c.program().size(),
        c.setupProgram().size()));
    assertTrue(ctx >= 0.995, name + " seed " + seed + ": context cosine " + ctx);
    assertTrue(attn >= 0.995, name + " seed " + seed + ": first residual cosine " + attn);
    assertTrue(up >= 0.995, name + " seed " + seed + ": FFN activation cosine " + up);
    assertTrue(cos >= 0.997, name + " seed " + seed + ": output cosine " + cos);
  }

  /** Rows of a scratch region as doubles, cut to the float tensor's width by the caller's cosine. */
  static double[][] region(LayerMachineModel machine, ScratchLayout sl, String name, int stride, int rows) {
    int lanes = machine.scratchpad().read(0).length;
    double[][] r = new double[rows][];
    for (int t = 0; t < rows; t++) {
      long[] v = machine.scratchpad().readBeats(sl.at(name) + t * stride, stride);
      r[t] = new double[v.length];
      for (int i = 0; i < v.length; i++) {
        r[t][i] = v[i];
      }
    }
    return r;
  }
}
