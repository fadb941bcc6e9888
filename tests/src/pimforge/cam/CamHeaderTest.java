package pimforge.cam;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import pimforge.golden.cam.CamOp;
import pimforge.params.HwParams;
import pimforge.report.CHeader;
import pimforge.report.DesignId;

/** The C header of a CAM design carries the unit's commands and its derived numbers. */
class CamHeaderTest {
  @Test
  void headerHasCommandsAndDerivedNumbers() {
    HwParams p = CamConfigs.CONFIGS.get(0);
    String h = CHeader.text(p, DesignId.of(p, "CamAttention"));
    assertTrue(h.contains("#define PIMFORGE_CAM_OP_QUERY " + CamOp.QUERY + "\n"), h);
    assertTrue(h.contains("#define PIMFORGE_CAM_OP_WRITE " + CamOp.WRITE + "\n"), h);
    assertTrue(h.contains("#define PIMFORGE_CAM_DERIVED_OUT_BEATS " + p.camDerived().outBeats() + "\n"), h);
    assertTrue(h.contains("#define PIMFORGE_CAM_DERIVED_PER_TILE_KEEP 3\n"), h);
  }
}
