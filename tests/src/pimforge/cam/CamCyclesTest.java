package pimforge.cam;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import pimforge.cost.CamformerCycles;
import pimforge.golden.cam.CamSchedule;
import pimforge.params.CamParams;
import pimforge.params.HwParams;
import pimforge.params.SoftmaxParams;

/** CAMformer's cycle model at its published point, and pimforge's schedule at the same point. */
class CamCyclesTest {
  @Test
  void camformerModelGivesThePublishedCycles() {
    CamformerCycles c = CamformerCycles.of(1024, 64, 32, 16);
    assertEquals(327, c.association());
    assertEquals(134, c.normalization());
    assertEquals(260, c.contextualization());
    assertEquals(721, c.total());
  }

  /** scripts/cam-cycles' first configuration: 75 + 110 + 256 + 20 = 461 cycles. */
  @Test
  void pimforgeAtTheCamformerPoint() {
    SoftmaxParams oneLane = new SoftmaxParams(20, 1, 16, 5, 512, 16, 4, 8);
    HwParams p = CamConfigs.of(1, 1024, oneLane, new CamParams(true, 16, 32, 2, 6, 16, 8, 64, 8, false));
    CamSchedule.Query q = CamSchedule.query(p);
    assertEquals(1 + 1 + 8 + 64 + 1, q.association());
    assertEquals(1 + 3 * 32 + 13, q.normalization());
    assertEquals(32 * 8, q.contextualization());
    assertEquals(3 * 4 + 8, q.output());
    assertEquals(461, q.total());
  }
}
