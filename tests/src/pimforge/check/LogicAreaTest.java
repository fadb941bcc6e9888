package pimforge.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import pimforge.cost.CellAreas;

/** Converting Yosys `stat` output (hierarchical) into logic area, without running Yosys. */
class LogicAreaTest {
  private static final String LOG = String.join("\n",
      "=== PimBank ===",
      "",
      "   Number of wires:                 10",
      "   Number of cells:                  5",
      "     $_AND_                          3",
      "     $_DFF_P_                        2",
      "     cells_8x8                       1",
      "",
      "=== design hierarchy ===",
      "",
      "   LayerTop                          1",
      "     PimBank                         8",
      "",
      "   Number of wires:                 90",
      "   Number of cells:                 41",
      "     $_AND_                         24",
      "     $_DFF_P_                       16",
      "     cells_8x8                       8",
      "");

  @Test
  void perModuleAreaAndTotalsFromTheStatBlocks() {
    Map<String, Double> per = LogicArea.perModule(LOG);
    assertEquals(Map.of("PimBank", 3 * CellAreas.um2("$_AND_") + 2 * CellAreas.um2("$_DFF_P_")), per);
    YosysSynth.Result r = YosysSynth.parseStat(true, LOG);
    Map<String, Long> unknown = new LinkedHashMap<>();
    double total = CellAreas.um2(r.cellsByType(), unknown);
    assertEquals(24 * 1.064 + 16 * 4.522, total, 1e-9, "black boxes are not cells");
    assertTrue(unknown.isEmpty(), unknown.toString());
  }

  @Test
  void everyGenericGateHasAnArea() {
    for (String t : new String[] {"$_NOT_", "$_AND_", "$_OR_", "$_XOR_", "$_XNOR_", "$_MUX_", "$_NAND_", "$_NOR_",
        "$_ANDNOT_", "$_ORNOT_", "$_DFF_P_", "$_DFFE_PP_", "$_SDFF_PP0_", "$_SDFFE_PP0P_", "$_AOI3_", "$_OAI4_"}) {
      assertTrue(CellAreas.um2(t) > 0, t);
    }
    Map<String, Long> unknown = new LinkedHashMap<>();
    CellAreas.um2(Map.of("$_FANCY_", 2L), unknown);
    assertEquals(Map.of("$_FANCY_", 2L), unknown);
  }
}
