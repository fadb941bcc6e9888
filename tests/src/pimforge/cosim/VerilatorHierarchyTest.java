package pimforge.cosim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which modules the Verilator build verilates once as hierarchy blocks: the model top's LayerTop
 * when the model top instantiates it more than once, never with waves (Verilator cannot trace inside
 * a hierarchy block), and what PIMFORGE_HIER_BLOCKS says when set.
 */
class VerilatorHierarchyTest {
  @TempDir
  Path design;

  private void rtl(String module, String body) throws Exception {
    Files.createDirectories(design.resolve("rtl"));
    Files.writeString(design.resolve("rtl").resolve(module + ".sv"), "module " + module + "();\n" + body + "endmodule\n");
  }

  @Test
  void modelTopOfSeveralLayersHasOneLayerTopBlock() throws Exception {
    rtl("ModelTop", "  LayerTop tops_0 (\n  );\n  LayerTop tops_1 (\n  );\n");
    rtl("LayerTop", "  PimBank banks_0 (\n  );\n");
    rtl("PimBank", "");
    assertEquals(List.of("LayerTop"), VerilatorBuild.hierBlocks("ModelTop", design, false, null));
    assertEquals(List.of(), VerilatorBuild.hierBlocks("ModelTop", design, true, null), "waves: flat");
    assertEquals(List.of(), VerilatorBuild.hierBlocks("LayerTop", design, false, null), "layer top: flat");
    assertEquals(List.of(), VerilatorBuild.hierBlocks("ModelTop", design, false, "flat"));
    assertEquals(List.of(), VerilatorBuild.hierBlocks("ModelTop", design, false, ""));
    assertEquals(List.of("LayerTop", "PimBank"),
        VerilatorBuild.hierBlocks("ModelTop", design, false, "LayerTop, PimBank"));
    assertEquals(List.of("PimBank"), VerilatorBuild.hierBlocks("LayerTop", design, false, "PimBank"));
    assertThrows(IllegalArgumentException.class,
        () -> VerilatorBuild.hierBlocks("ModelTop", design, false, "NoSuchModule"));
    assertThrows(IllegalArgumentException.class, () -> VerilatorBuild.hierBlocks("ModelTop", design, false, "ModelTop"));
  }

  @Test
  void modelTopOfOneLayerStaysFlat() throws Exception {
    rtl("ModelTop", "  LayerTop tops_0 (\n  );\n");
    rtl("LayerTop", "");
    assertEquals(List.of(), VerilatorBuild.hierBlocks("ModelTop", design, false, null));
  }
}
