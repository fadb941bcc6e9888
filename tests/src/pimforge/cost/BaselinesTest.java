package pimforge.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import pimforge.config.HwConfigReader;
import pimforge.model.ModelPresets;
import pimforge.params.HwParams;

/**
 * The side-by-side rows compare at the published figure's own sequence length (pimforge evaluated
 * again at that length), each with its source, and the weaker baseline never stands alone.
 */
class BaselinesTest {
  private static final TechTable T = TechTable.defaults();

  private static HwParams hw(String preset) {
    return HwConfigReader.defaults(ModelPresets.get(preset).orElseThrow());
  }

  private static Baselines.Row row(List<Baselines.Row> rows, String what) {
    return rows.stream().filter(r -> r.what().startsWith(what)).findFirst()
        .orElseThrow(() -> new AssertionError("no row " + what + " in " + rows));
  }

  @Test
  void bertRowsCompareAtTheTensorRtLengthsWhateverSeqIs() {
    ModelEvaluation ev = ModelEvaluation.of(hw("bert-base"), T, 32, 0);
    List<Baselines.Row> rows = Baselines.rows(ev);
    for (int n : new int[] {128, 384}) {
      ModelEvaluation at = ModelEvaluation.of(ev.hw(), T, n, 0);
      Baselines.Row lat = row(rows, "bert-base prefill latency, " + n + " tokens");
      assertEquals(String.format(Locale.ROOT, "%.4g ms", at.prefillSeconds() * 1e3), lat.pimforge());
      assertTrue(lat.source().contains("TensorRT"), lat.source());
      Baselines.Row en = row(rows, "bert-base prefill energy, " + n + " tokens");
      assertEquals(String.format(Locale.ROOT, "%.4g J", at.prefillJoules()), en.pimforge());
    }
    assertTrue(row(rows, "bert-base prefill latency, 128").published().startsWith("0.580 ms"));
    assertTrue(row(rows, "bert-base prefill latency, 384").published().startsWith("1.15 ms"));
    // The ReTransformer row uses the same 128-token evaluation as the GPU row.
    Baselines.Row re = row(rows, "ReTransformer");
    assertTrue(re.pimforge().contains("at 128 tokens"), re.pimforge());
    for (Baselines.Row r : rows) {
      assertFalse(r.source().isBlank(), r.what());
    }
  }

  @Test
  void theEvaluationItselfIsUsedWhenSeqIsThePublishedLength() {
    ModelEvaluation ev = ModelEvaluation.of(hw("bert-large"), T, 128, 0);
    Baselines.Row lat = row(Baselines.rows(ev), "bert-large prefill latency, 128 tokens");
    assertEquals(String.format(Locale.ROOT, "%.4g ms", ev.prefillSeconds() * 1e3), lat.pimforge());
  }

  @Test
  void llamaFirstTokenAndDecodeRows() {
    ModelEvaluation ev = ModelEvaluation.of(hw("llama2-7b"), T, 64, 8);
    List<Baselines.Row> rows = Baselines.rows(ev);
    ModelEvaluation at128 = ModelEvaluation.of(ev.hw(), T, 128, 0);
    Baselines.Row first = row(rows, "llama2-7b first token latency, 128 tokens");
    assertEquals(String.format(Locale.ROOT, "%.4g ms", at128.prefillSeconds() * 1e3), first.pimforge());
    assertTrue(first.source().contains("TensorRT-LLM"), first.source());
    row(rows, "llama2-7b first token latency, 2048 tokens");
    Baselines.Row dec = row(rows, "llama2-7b decode latency per token");
    assertTrue(dec.pimforge().startsWith(String.format(Locale.ROOT, "%.4g ms at context 72",
        ev.decodeSecondsPerToken() * 1e3)), dec.pimforge());
    assertTrue(dec.source().contains("lmdeploy") && dec.source().contains("no KV cache"), dec.source());
    assertTrue(dec.source().contains("differs >2x"), dec.source());
  }

  @Test
  void noStrongFigureMeansNoGpuRatioAndNoWeakBaselineAlone() {
    // GPT-2 at 1024 tokens has only the CAMformer authors' attention profile: it must not appear alone.
    ModelEvaluation ev = ModelEvaluation.of(hw("gpt2"), T, 1024, 0);
    List<Baselines.Row> rows = Baselines.rows(ev);
    assertEquals("GPU", rows.get(0).what());
    assertTrue(rows.stream().noneMatch(r -> r.what().contains("weaker baseline")), rows.toString());
    // CAMformer's N = 1024 configuration: pimforge at 1024 tokens.
    assertTrue(row(rows, "CAMformer").pimforge().contains("N = 1024"), row(rows, "CAMformer").pimforge());
  }

  @Test
  void theWeakerBaselineStandsBesideTheTensorRtRows() {
    ModelEvaluation ev = ModelEvaluation.of(hw("bert-base"), T, 512, 0);
    List<Baselines.Row> rows = Baselines.rows(ev);
    Baselines.Row weak = row(rows, "bert-base attention only, 512 tokens");
    assertTrue(rows.indexOf(weak) > rows.indexOf(row(rows, "bert-base prefill latency, 384")));
    assertTrue(weak.source().contains("CAMformer"), weak.source());
  }

  @Test
  void paperRowsFarFromThePaperSayWhichAssumptionDiffers() {
    List<Baselines.Row> rows = Baselines.rows(ModelEvaluation.of(hw("bert-base"), T, 64, 0));
    for (String paper : new String[] {"CAMformer", "ReTransformer"}) {
      Baselines.Row r = row(rows, paper);
      double[] ratios = java.util.regex.Pattern.compile("([0-9.e+]+)x").matcher(r.ratio()).results()
          .mapToDouble(m -> Double.parseDouble(m.group(1))).toArray();
      boolean far = java.util.Arrays.stream(ratios).anyMatch(x -> x > 2 || x < 0.5);
      assertEquals(far, r.source().startsWith("differs >2x"), r.ratio() + " / " + r.source());
    }
  }
}
