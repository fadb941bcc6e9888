package pimforge.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import pimforge.TestSupport;
import pimforge.check.VerilatorLint;
import pimforge.config.HwConfigReader;
import pimforge.model.ModelPresets;
import pimforge.params.AttentionParams;
import pimforge.params.HwParams;

/**
 * The model top at each encoder/decoder preset's full context (generate's default): the layer plan
 * fits, and both programs compile with every instruction field in range (encoded), so the scratchpad
 * and address widths follow from the record. BERT-base is generated in full and linted.
 */
class ModelTopPresetsTest {
  @TempDir
  Path tmp;

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"bert-base", "bert-large", "gpt2", "all-minilm-l6-v2"})
  void presetFitsAtItsFullContext(String name) {
    HwParams d = HwConfigReader.defaults(ModelPresets.get(name).orElseThrow());
    int full = d.model().maxPositions();
    HwParams p = d.withAttention(new AttentionParams(full, d.attention().schedule(), d.attention().headPipelineDepth()));
    LayerPlan plan = LayerPlan.of(p);
    LayerCompiler.Programs programs = LayerCompiler.programs(p, full);
    for (List<Instruction> prog : List.of(programs.setup(), programs.layer())) {
      assertTrue(prog.size() <= plan.programDepth(), name);
      prog.forEach(Instruction::encode); // throws naming the field that does not fit
    }
    int addressBits = 32 - Integer.numberOfLeadingZeros(plan.scratchWords() - 1);
    System.out.println(String.format("%s at %d tokens: %d banks per layer, %d layers, scratchpad %d words "
        + "(%d address bits), %d + %d instructions", name, full, plan.banks().size(), p.model().numLayers(),
        plan.scratchWords(), addressBits, programs.setup().size(), programs.layer().size()));
    assertTrue(addressBits <= InstructionField.ADDRESS_BITS, name);
  }

  @Test
  void bertBaseModelTopGeneratesAtFullContextLintClean() throws Exception {
    TestSupport.Run r = TestSupport.cli("generate", "--model", "bert-base", "--out", tmp.resolve("out").toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("ModelTop: 12 layer top(s) x"), r.out());
    assertTrue(r.out().contains("512 tokens per pass"), r.out());
    Path dir;
    try (var s = Files.list(tmp.resolve("out"))) {
      dir = s.filter(f -> f.getFileName().toString().startsWith("bert-base-")).findFirst().orElseThrow();
    }
    String md = Files.readString(dir.resolve("report.md"));
    assertTrue(md.contains("## Model top"), md);
    assertTrue(md.contains("12 layers, each stationary on its own layer top"), md);
    assertTrue(Files.readString(dir.resolve("include/bert-base_params.h")).contains("PIMFORGE_REG_MODEL_ROUTE"));
    VerilatorLint.Result lint = VerilatorLint.run(dir.resolve("rtl"), "ModelTop");
    assertTrue(lint.clean(), lint.findings());
  }
}
