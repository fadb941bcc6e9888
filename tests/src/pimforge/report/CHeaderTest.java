package pimforge.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import pimforge.config.HwConfigReader;
import pimforge.model.ModelPresets;
import pimforge.params.HwParams;
import pimforge.params.Precision;

class CHeaderTest {
  private static final HwParams TINY = HwConfigReader.defaults(ModelPresets.get("tiny").orElseThrow())
      .withPrecision(new Precision(8, 6, 2, 8, Precision.AdcMode.CLIP, Precision.SignedScheme.DIFFERENTIAL));
  private static final DesignId ID = DesignId.of(TINY, "PimBank");
  private static final String H = CHeader.text(TINY, ID);

  private static String define(String name) {
    Matcher m = Pattern.compile("(?m)^#define " + name + " (.+)$").matcher(H);
    assertTrue(m.find(), name + " missing from\n" + H);
    String v = m.group(1);
    assertTrue(!m.find(), name + " defined twice");
    return v;
  }

  @Test
  void namesTheHarnessUsesCarryTheRecordValues() {
    assertEquals("8", define("PIMFORGE_CROSSBAR_LANES"));
    assertEquals("6", define("PIMFORGE_PRECISION_INPUT_BITS"));
    assertEquals(Integer.toString(TINY.derived().accumulatorBits()), define("PIMFORGE_DERIVED_ACCUMULATOR_BITS"));
    assertEquals(Integer.toString(TINY.derived().bankInputs()), define("PIMFORGE_DERIVED_BANK_INPUTS"));
    assertEquals(Integer.toString(TINY.precision().slices()), define("PIMFORGE_PRECISION_SLICES"));
    assertEquals("16", define("PIMFORGE_MODEL_HEAD_DIM"));
  }

  @Test
  void booleansEnumsStringsAndHash() {
    assertEquals("0", define("PIMFORGE_CAM_ENABLED"));
    assertEquals("0", define("PIMFORGE_MODEL_GATED_FFN"));
    assertEquals("\"CLIP\"", define("PIMFORGE_PRECISION_ADC_MODE"));
    assertEquals("1", define("PIMFORGE_PRECISION_ADC_MODE_CLIP"));
    assertEquals("1", define("PIMFORGE_PRECISION_SIGNED_SCHEME_DIFFERENTIAL"));
    assertEquals("\"tiny\"", define("PIMFORGE_MODEL_NAME"));
    assertEquals("\"" + ID.hash() + "\"", define("PIMFORGE_DESIGN_HASH"));
    assertTrue(H.startsWith("// pimforge tiny " + ID.hash() + "\n"));
    assertTrue(H.contains("#ifndef PIMFORGE_TINY_PARAMS_H"));
  }

  @Test
  void everyLeafOfTheJsonBecomesADefine() {
    long leaves = countLeaves(CanonicalJson.tree(TINY));
    long defines = H.lines().filter(l -> l.startsWith("#define PIMFORGE_")).count();
    // leaves + guard + 4 identity defines + 3 bank commands + one flag per enum-valued string
    long flags = H.lines().filter(l -> l.matches("#define \\w+ \"[A-Z][A-Z0-9_]*\"")).count();
    assertEquals(leaves + 1 + 4 + 3 + flags, defines);
    assertTrue(H.contains("#define PIMFORGE_BANK_OP_MULTIPLY_UNSIGNED " + pimforge.golden.BankOp.MULTIPLY_UNSIGNED));
  }

  private static long countLeaves(com.fasterxml.jackson.databind.JsonNode n) {
    if (!n.isContainerNode()) {
      return 1;
    }
    long c = 0;
    for (var child : n) {
      c += countLeaves(child);
    }
    return c;
  }

  @Test
  void camelCaseBecomesUpperSnake() {
    assertEquals("ACCUMULATOR_BITS", CHeader.upperSnake("accumulatorBits"));
    assertEquals("KV_CACHE", CHeader.upperSnake("kvCache"));
    assertEquals("ADC_LSB_BITS", CHeader.upperSnake("adcLSBBits"));
    assertEquals("LANES", CHeader.upperSnake("lanes"));
  }
}
