package pimforge.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import pimforge.params.ParamError;

/** The default technology table and its validation. */
class TechTableTest {
  private static final TechTable D = TechTable.defaults();

  @Test
  void everyDefaultConstantHasAUnitAValueAndASource() {
    assertFalse(D.constants().isEmpty());
    D.constants().forEach((k, c) -> {
      assertNotNull(TechTable.unit(k), k + " has a unit suffix");
      assertTrue(c.value() >= 0, k);
      assertFalse(c.source().isBlank(), k);
    });
    assertEquals(TechTable.CHOICES.keySet(), D.choices().keySet());
  }

  @Test
  void everyDefaultNamesACheckableSource() {
    // Either a figure of REFERENCE.md or a file of a public repository (NeuroSim's Param.cpp, Accelergy's
    // ISAAC library, CACTI's technology files), never a number recalled from memory.
    java.util.regex.Pattern repoFile = java.util.regex.Pattern.compile("[\\w.-]+/[\\w.-]+, [\\w/.-]+\\.(cpp|py|dat)");
    D.constants().forEach((k, c) -> assertTrue(c.source().contains("REFERENCE.md")
        || repoFile.matcher(c.source()).find(), k + ": " + c.source()));
    // The NeuroSim-derived cell energies are the formulas their sources give.
    assertEquals(4.0 * 4.0 / 240e3 * 50e-9 * 1e12, D.get("cellProgram_pJ"), 0.005);
    assertEquals(0.5 * 0.5 / 240e3 * 10e-9 * 1e15, D.get("cellRead_fJ"), 0.05);
    assertEquals(170.0 / 128 / 8, D.get("dacArea1b_um2"), 0.001);
    assertEquals(146 * 0.032 * 0.032, D.get("sramCellArea_um2PerBit"), 0.0001); // CACTI: 146 F^2, F = 32 nm
  }

  @Test
  void adcSourcesDisagreeByMoreThanTenfold() {
    double accelergy = AdcCosts.energyPj(D, "accelergy", 6);
    double mnsim = AdcCosts.energyPj(D, "mnsim", 6);
    assertEquals(1.20, AdcCosts.energyPj(D, "isaac", 6), 1e-12);
    assertEquals(0.040, accelergy, 1e-12);
    assertEquals(10.0, mnsim, 1e-12);
    assertTrue(mnsim / accelergy > 10);
    assertTrue(AdcCosts.energyPj(D, "isaac", 12) > AdcCosts.energyPj(D, "isaac", 10), "extrapolated upwards");
  }

  @Test
  void roundTripsThroughItsJson() {
    TechTable again = TechTable.parse(D.toJson(), D);
    assertEquals(D, again);
  }

  @Test
  void badTablesNameTheKeyAndTheAllowedRange() {
    assertError(t -> ((ObjectNode) t.get("constants")).remove("cellRead_fJ"), "tech.constants.cellRead_fJ", "is missing");
    assertError(t -> ((ObjectNode) t.get("constants").get("dacDrive1b_pJ")).put("value", -1),
        "tech.constants.dacDrive1b_pJ.value", "allowed a finite number >= 0 (in pJ)");
    assertError(t -> ((ObjectNode) t.get("constants")).putObject("dacDrive").put("value", 1).put("source", "x"),
        "tech.constants.dacDrive", "is not a known constant");
    assertError(t -> ((ObjectNode) t.get("constants").get("dacDrive1b_pJ")).remove("source"),
        "tech.constants.dacDrive1b_pJ.source", "allowed a non-empty text");
    assertError(t -> ((ObjectNode) t.get("choices").get("adcEnergyModel")).put("value", "magic"),
        "tech.choices.adcEnergyModel.value", "allowed one of isaac, accelergy, mnsim");
    assertError(t -> ((ObjectNode) t).putObject("extra"), "tech.extra", "allowed: choices, constants");
  }

  @Test
  void aKeyWithoutAUnitIsRejectedEvenInTheDefaults() {
    ObjectNode t = (ObjectNode) D.toJson();
    ((ObjectNode) t.get("constants")).putObject("dacDrive").put("value", 1).put("source", "x");
    ParamError e = assertThrows(ParamError.class, () -> TechTable.parse(t, null));
    assertTrue(e.getMessage().contains("tech.constants.dacDrive") && e.getMessage().contains("no unit suffix"),
        e.getMessage());
  }

  private interface Edit {
    void apply(ObjectNode table);
  }

  private static void assertError(Edit edit, String key, String allowed) {
    ObjectNode t = ((ObjectNode) D.toJson()).deepCopy();
    edit.apply(t);
    ParamError e = assertThrows(ParamError.class, () -> TechTable.parse(t, D));
    assertTrue(e.getMessage().contains(key), e.getMessage());
    assertTrue(e.getMessage().contains(allowed), e.getMessage());
  }
}
