package pimforge.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import pimforge.params.ModelFeatures.Block;
import pimforge.params.ModelFeatures.Positions;
import pimforge.params.ModelShape;
import pimforge.params.ParamError;
import pimforge.params.Rope;
import pimforge.params.Rope.Pairing;
import pimforge.params.Rope.Scaling;

/**
 * Configs whose fields contradict each other, or that ask for something pimforge does not
 * compute, get one line naming the HF field; the RoPE, GPT-NeoX and Falcon readers honour their
 * fields.
 */
class HfConfigContradictionsTest {
  static final String LLAMA = "\"model_type\": \"llama\", \"hidden_size\": 4096, \"num_attention_heads\": 32, "
      + "\"num_hidden_layers\": 2, \"intermediate_size\": 11008, \"max_position_embeddings\": 4096, "
      + "\"vocab_size\": 32000";
  static final String GPTJ = "\"model_type\": \"gptj\", \"n_embd\": 4096, \"n_head\": 16, \"n_layer\": 2, "
      + "\"n_positions\": 2048, \"vocab_size\": 50400";

  static ModelShape parse(String json) throws Exception {
    return HfConfigImporter.fromTree(new ObjectMapper().readTree(json), "m", "config.json");
  }

  static Stream<Arguments> contradictions() {
    return Stream.of(
        Arguments.of("KV heads not dividing heads", "{" + LLAMA + ", \"num_key_value_heads\": 5}",
            "config.json: num_key_value_heads is 5, allowed a divisor of the 32 attention heads"),
        Arguments.of("more KV heads than heads", "{" + LLAMA + ", \"num_key_value_heads\": 64}",
            "config.json: num_key_value_heads is 64, allowed a divisor of the 32 attention heads"),
        Arguments.of("rotary_dim odd", "{" + GPTJ + ", \"rotary_dim\": 63}",
            "config.json: rotary_dim gives 63 rotated dimensions, allowed an even number 2..256 (the head width)"),
        Arguments.of("rotary_dim larger than the head", "{" + GPTJ + ", \"rotary_dim\": 512}",
            "config.json: rotary_dim gives 512 rotated dimensions, allowed an even number 2..256 (the head width)"),
        Arguments.of("partial rotary factor giving an odd width", "{\"model_type\": \"phi\", \"hidden_size\": 2560, "
            + "\"num_attention_heads\": 32, \"num_hidden_layers\": 2, \"intermediate_size\": 10240, "
            + "\"max_position_embeddings\": 2048, \"vocab_size\": 51200, \"partial_rotary_factor\": 0.42}",
            "config.json: partial_rotary_factor gives 33 rotated dimensions, allowed an even number 2..80"),
        Arguments.of("unknown rope_scaling type", "{" + LLAMA + ", \"rope_scaling\": {\"type\": \"yarn\", \"factor\": 4}}",
            "config.json: rope_scaling.type is 'yarn', allowed one of default, linear, llama3"),
        Arguments.of("rope_scaling rope_type dynamic", "{" + LLAMA + ", \"rope_scaling\": {\"rope_type\": \"dynamic\", "
            + "\"factor\": 2.0}}", "config.json: rope_scaling.rope_type is 'dynamic', allowed one of default, linear, llama3"),
        Arguments.of("llama3 scaling without its fields", "{" + LLAMA + ", \"rope_scaling\": {\"rope_type\": \"llama3\", "
            + "\"factor\": 8.0}}", "config.json: rope_scaling.low_freq_factor is missing, allowed a number"),
        Arguments.of("head_dim contradicting hidden / heads where the class has none", "{\"model_type\": \"gpt2\", "
            + "\"n_embd\": 768, \"n_head\": 12, \"n_layer\": 2, \"n_positions\": 1024, \"vocab_size\": 50257, "
            + "\"head_dim\": 80}", "config.json: head_dim is 80 while hidden 768 / 12 heads = 64"),
        Arguments.of("heads not dividing hidden without head_dim", "{\"model_type\": \"llama\", \"hidden_size\": 4100, "
            + "\"num_attention_heads\": 32, \"num_hidden_layers\": 2, \"intermediate_size\": 11008, "
            + "\"max_position_embeddings\": 4096, \"vocab_size\": 32000}",
            "config.json: num_attention_heads is 32, allowed a divisor of the hidden size 4100 (no head_dim is given)"),
        Arguments.of("odd head width rotated whole", "{\"model_type\": \"llama\", \"hidden_size\": 4000, "
            + "\"num_attention_heads\": 32, \"num_hidden_layers\": 2, \"intermediate_size\": 11008, "
            + "\"max_position_embeddings\": 4096, \"vocab_size\": 32000}",
            "config.json: hidden_size / num_attention_heads gives 125 rotated dimensions, allowed an even number"),
        Arguments.of("Gemma-2 windows disagreeing", "{\"model_type\": \"gemma2\", \"hidden_size\": 2304, "
            + "\"num_attention_heads\": 8, \"num_key_value_heads\": 4, \"head_dim\": 256, \"num_hidden_layers\": 2, "
            + "\"intermediate_size\": 9216, \"max_position_embeddings\": 8192, \"vocab_size\": 256000, "
            + "\"sliding_window\": 4096, \"sliding_window_size\": 2048}",
            "config.json: sliding_window_size is 2048 while sliding_window is 4096, allowed equal values"),
        Arguments.of("Qwen2 sliding window switched on", "{\"model_type\": \"qwen2\", \"hidden_size\": 896, "
            + "\"num_attention_heads\": 14, \"num_key_value_heads\": 2, \"num_hidden_layers\": 2, "
            + "\"intermediate_size\": 4864, \"max_position_embeddings\": 32768, \"vocab_size\": 151936, "
            + "\"use_sliding_window\": true, \"sliding_window\": 4096}", "config.json: use_sliding_window is true"),
        Arguments.of("Mixtral picking more experts than it has", "{\"model_type\": \"mixtral\", \"hidden_size\": 4096, "
            + "\"num_attention_heads\": 32, \"num_hidden_layers\": 2, \"intermediate_size\": 14336, "
            + "\"max_position_embeddings\": 32768, \"vocab_size\": 32000, \"num_local_experts\": 8, "
            + "\"num_experts_per_tok\": 9}", "config.json: num_experts_per_tok is 9, allowed 1..8 (num_local_experts)"),
        Arguments.of("mixformer MoE MLP", "{\"model_type\": \"mixformer-sequential\", \"n_embd\": 2560, \"n_head\": 32, "
            + "\"n_layer\": 2, \"n_positions\": 2048, \"vocab_size\": 51200, \"architecture\": {\"block_cls\": "
            + "\"parallel\", \"mlp\": {\"mlp_cls\": \"moe\"}}}", "config.json: architecture.mlp.mlp_cls is 'moe'"),
        Arguments.of("ALBERT groups not dividing layers", "{\"model_type\": \"albert\", \"hidden_size\": 768, "
            + "\"num_attention_heads\": 12, \"num_hidden_layers\": 12, \"intermediate_size\": 3072, "
            + "\"max_position_embeddings\": 512, \"vocab_size\": 30000, \"num_hidden_groups\": 5}",
            "config.json: num_hidden_groups is 5, allowed a divisor of num_hidden_layers = 12"),
        Arguments.of("BERT relative_key attention", "{\"model_type\": \"bert\", \"hidden_size\": 768, "
            + "\"num_attention_heads\": 12, \"num_hidden_layers\": 12, \"intermediate_size\": 3072, "
            + "\"max_position_embeddings\": 512, \"vocab_size\": 30522, \"position_embedding_type\": \"relative_key\"}",
            "config.json: position_embedding_type is 'relative_key', allowed absolute"),
        Arguments.of("Phi with Q/K LayerNorms", "{\"model_type\": \"phi\", \"hidden_size\": 2560, "
            + "\"num_attention_heads\": 32, \"num_hidden_layers\": 2, \"intermediate_size\": 10240, "
            + "\"max_position_embeddings\": 2048, \"vocab_size\": 51200, \"qk_layernorm\": true}",
            "config.json: qk_layernorm is true"),
        Arguments.of("OPT-350m projections", "{\"model_type\": \"opt\", \"hidden_size\": 1024, \"num_attention_heads\": 16,"
            + " \"num_hidden_layers\": 24, \"ffn_dim\": 4096, \"max_position_embeddings\": 2048, \"vocab_size\": 50272, "
            + "\"word_embed_proj_dim\": 512}", "config.json: word_embed_proj_dim is 512 while hidden_size is 1024"),
        Arguments.of("legacy config with no way to tell the type", "{\"hidden_size\": 768}",
            "config.json: model_type is missing, and neither architectures nor the file name tell the model type"),
        Arguments.of("LLaVA around an unknown text model", "{\"model_type\": \"llava\", \"text_config\": "
            + "{\"model_type\": \"vicuna\"}}", "config.json: text_config.model_type is 'vicuna', allowed one of llama, "
            + "mistral inside llava"),
        Arguments.of("LLaVA quantized as a whole", "{\"model_type\": \"llava\", \"text_config\": "
            + "{\"model_type\": \"llama\"}, \"quantization_config\": {\"quant_method\": \"bitsandbytes\", "
            + "\"load_in_4bit\": true}}", "config.json: quantization_config says bitsandbytes 4-bit weights"),
        Arguments.of("GPT-2 with cross-attention", "{\"model_type\": \"gpt2\", \"n_embd\": 768, \"n_head\": 12, "
            + "\"n_layer\": 2, \"n_positions\": 1024, \"vocab_size\": 50257, \"add_cross_attention\": true}",
            "config.json: add_cross_attention is true"),
        Arguments.of("nested field of the wrong type", "{\"model_type\": \"llava\", \"text_config\": "
            + "{\"model_type\": \"llama\", \"vocab_size\": \"32064\"}}",
            "config.json: text_config.vocab_size is \"32064\", allowed an integer"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("contradictions")
  void oneLineNamingTheField(String what, String json, String message) {
    ParamError e = assertThrows(ParamError.class, () -> parse(json));
    assertTrue(e.getMessage().startsWith(message), e.getMessage());
    assertTrue(!e.getMessage().contains("\n"), "one line");
  }

  @Test
  void ropeScalingLinearAndLlama3ChangeOnlyTheFrequencyTable() throws Exception {
    Rope linear = parse("{" + LLAMA + ", \"rope_scaling\": {\"type\": \"linear\", \"factor\": 2.0}}").features().rope();
    assertEquals(new Rope(10000.0, 128, Pairing.HALVES, Scaling.LINEAR, 2.0, 0, 0, 0), linear);
    Rope llama31 = parse("{" + LLAMA + ", \"rope_theta\": 500000.0, \"rope_scaling\": {\"factor\": 8.0, "
        + "\"low_freq_factor\": 1.0, \"high_freq_factor\": 4.0, \"original_max_position_embeddings\": 8192, "
        + "\"rope_type\": \"llama3\"}}").features().rope();
    assertEquals(new Rope(500000.0, 128, Pairing.HALVES, Scaling.LLAMA3, 8.0, 1.0, 4.0, 8192), llama31);
    assertEquals(Scaling.NONE, parse("{" + LLAMA + ", \"rope_scaling\": {\"rope_type\": \"default\"}}")
        .features().rope().scaling());
  }

  @Test
  void gptNeoxParallelResidualWithTwoNormsAndQuarterRotary() throws Exception {
    ModelShape s = parse("{\"model_type\": \"gpt_neox\", \"hidden_size\": 2560, \"num_attention_heads\": 32, "
        + "\"num_hidden_layers\": 32, \"intermediate_size\": 10240, \"max_position_embeddings\": 2048, "
        + "\"vocab_size\": 50432, \"rotary_pct\": 0.25, \"rotary_emb_base\": 10000, \"use_parallel_residual\": true}");
    assertEquals(Block.PARALLEL_TWO_NORMS, s.features().block());
    assertEquals(Rope.plain(10000.0, 20, Pairing.HALVES), s.features().rope());
  }

  @Test
  void falconMultiQueryParallelAndAlibi() throws Exception {
    String base = "\"model_type\": \"falcon\", \"hidden_size\": 4544, \"num_attention_heads\": 71, "
        + "\"num_hidden_layers\": 32, \"vocab_size\": 65024";
    ModelShape f7b = parse("{" + base + ", \"multi_query\": true, \"parallel_attn\": true}");
    assertEquals(1, f7b.numKvHeads());
    assertEquals(4 * 4544, f7b.ffnSize());
    assertEquals(Block.PARALLEL_SHARED_NORM, f7b.features().block());
    assertEquals(Rope.plain(10000.0, 64, Pairing.HALVES), f7b.features().rope());
    ModelShape alibi = parse("{" + base + ", \"alibi\": true, \"parallel_attn\": false, \"multi_query\": false}");
    assertEquals(Positions.ALIBI, alibi.features().positions());
    assertEquals(Block.SEQUENTIAL, alibi.features().block());
    ModelShape f40b = parse("{\"model_type\": \"falcon\", \"hidden_size\": 8192, \"num_attention_heads\": 128, "
        + "\"num_kv_heads\": 8, \"new_decoder_architecture\": true, \"num_hidden_layers\": 60, \"vocab_size\": 65024}");
    assertEquals(8, f40b.numKvHeads());
    assertEquals(Block.PARALLEL_TWO_NORMS, f40b.features().block());
  }

  @Test
  void mistralExplicitHeadDimAndSlidingWindow() throws Exception {
    ModelShape nemo = parse("{\"model_type\": \"mistral\", \"hidden_size\": 5120, \"num_attention_heads\": 32, "
        + "\"num_key_value_heads\": 8, \"head_dim\": 128, \"num_hidden_layers\": 40, \"intermediate_size\": 14336, "
        + "\"max_position_embeddings\": 1024000, \"vocab_size\": 131072, \"rope_theta\": 1000000.0, "
        + "\"sliding_window\": null}");
    assertEquals(128, nemo.headDim());
    assertEquals(4096, nemo.qDim(), "32 x 128, not the hidden 5120");
    assertEquals(0, nemo.features().slidingWindow());
  }
}
