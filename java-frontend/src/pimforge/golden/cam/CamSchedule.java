package pimforge.golden.cam;

import pimforge.golden.softmax.SoftmaxSchedule;
import pimforge.params.CamDerived;
import pimforge.params.HwParams;

/**
 * Cycle counts of the CAM attention unit's transactions when the host never stalls, from the
 * RTL's state machine (checked exactly against Verilator in CamCosimTest), command handshake to
 * the last answer beat (or to idle for a transaction without an answer).
 */
public final class CamSchedule {
  private CamSchedule() {}

  /**
   * The cycles of one query by pass.
   *
   * @param association command (1), header (1), query load (d/lanes beats), search of the T tiles (one per
   *     cycle, per-tile top-m and the merge of the previous tile's candidates in the same cycle),
   *     the last merge (1)
   * @param rescoring topK * d/lanes with cam.rescore (lanes MACs), else 0
   * @param normalization the softmax unit's row of ceil(topK / softmax.lanes) beats:
   *     {@link SoftmaxSchedule#rowCycles} (command, load, exp + sum, divide, drain)
   * @param contextualization topK * d/lanes (lanes MACs)
   * @param output camDerived.outBeats answer beats
   */
  public record Query(long association, long rescoring, long normalization, long contextualization, long output) {
    public long total() {
      return association + rescoring + normalization + contextualization + output;
    }
  }

  public static Query query(HwParams p) {
    CamDerived d = p.camDerived();
    long macs = (long) p.cam().topK() * d.elementBeats();
    return new Query(2L + d.elementBeats() + d.tiles() + 1, p.cam().rescore() ? macs : 0,
        SoftmaxSchedule.rowCycles(CamSoftmax.params(p), d.softmaxBeats()), macs, d.outBeats());
  }

  /** CONFIGURE: command, the packet, then the softmax unit's configure (command + its packet). */
  public static long configCycles(HwParams p) {
    return 1L + p.camDerived().configBeats() + SoftmaxSchedule.configCycles(CamSoftmax.params(p));
  }

  /** WRITE: command and the packet's beats (the CAM row, V and key memories are written as beats arrive). */
  public static long writeCycles(HwParams p) {
    return 1L + p.camDerived().writeBeats();
  }

  /** CLEAR: command and its one beat. */
  public static long clearCycles(HwParams p) {
    return 2;
  }
}
