package pimforge.cost;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Area per Yosys generic cell ({@code synth} without a liberty file maps to $_AND_, $_DFF_P_, ...),
 * in um^2, taken as the X1 cell of the same function in the Nangate 45 nm Open Cell Library
 * (FreePDK45): INV 0.532, NAND2/NOR2 0.798, AND2/OR2/AOI21/OAI21 1.064, AOI22/OAI22 1.330,
 * XOR2/XNOR2 1.596, MUX2 1.862, DFF 4.522, DFF with reset 5.320, with enable = DFF + MUX2. The values
 * are recalled from that library's datasheet, not read from its liberty file (none is reachable
 * here): treat logic area as +-20 %. A cell type not in the table is charged as a MUX2 and
 * reported by name; module instances (black-boxed macros, submodules) are not cells and are skipped.
 */
public final class CellAreas {
  private CellAreas() {}

  static final double INV = 0.532;
  static final double NAND2 = 0.798;
  static final double AND2 = 1.064;
  static final double AOI22 = 1.330;
  static final double XOR2 = 1.596;
  static final double MUX2 = 1.862;
  static final double DFF = 4.522;
  static final double DFFR = 5.320;

  /** um^2 of one cell of a Yosys generic type, or NaN when the type is not in the table. */
  public static double um2(String type) {
    String t = type.startsWith("$_") ? type.substring(2, type.length() - 1) : type;
    if (t.startsWith("DFFE") || t.startsWith("SDFFE") || t.startsWith("SDFFCE") || t.startsWith("DFFSRE")) {
      return (t.startsWith("DFFE") ? DFF : DFFR) + MUX2;
    }
    if (t.startsWith("SDFF") || t.startsWith("DFFSR") || t.startsWith("ADFF")) {
      return DFFR;
    }
    if (t.startsWith("DFF") || t.startsWith("DLATCH")) {
      return DFF;
    }
    return switch (t) {
      case "NOT", "BUF" -> INV;
      case "NAND", "NOR" -> NAND2;
      case "AND", "OR", "ANDNOT", "ORNOT", "AOI3", "OAI3" -> AND2;
      case "AOI4", "OAI4" -> AOI22;
      case "XOR", "XNOR" -> XOR2;
      case "MUX", "NMUX" -> MUX2;
      default -> Double.NaN;
    };
  }

  /**
   * Area (um^2) of cell counts by type; unknown types are charged as MUX2 and listed in {@code unknown}.
   */
  public static double um2(Map<String, Long> cellsByType, Map<String, Long> unknown) {
    double a = 0;
    for (Map.Entry<String, Long> e : cellsByType.entrySet()) {
      if (!e.getKey().startsWith("$")) {
        continue; // a module instance (black box or submodule), not a cell
      }
      double per = um2(e.getKey());
      if (Double.isNaN(per)) {
        unknown.merge(e.getKey(), e.getValue(), Long::sum);
        per = MUX2;
      }
      a += per * e.getValue();
    }
    return a;
  }

  /** Convenience: area of cell counts, unknown types as MUX2. */
  public static double um2(Map<String, Long> cellsByType) {
    return um2(cellsByType, new LinkedHashMap<>());
  }
}
