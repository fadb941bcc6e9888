package pimforge.golden.cam;

import pimforge.params.AttentionParams;
import pimforge.params.HwParams;

/**
 * The softmax inside the CAM attention unit: the softmax unit (RTL pimforge.hw.softmax.Softmax,
 * golden {@link pimforge.golden.softmax.SoftmaxModel}) with the design's softmax parameters and rows of
 * at most topK scores, so its row buffer holds the survivors only. Both the Chisel generator and
 * the golden model build it from this record.
 */
public final class CamSoftmax {
  private CamSoftmax() {}

  /**
   * {@code p} with attention.maxSeqLen = cam.topK (and the CAM and the KV cache's layer-top switch
   * off: the record is the softmax's only).
   */
  public static HwParams params(HwParams p) {
    AttentionParams a = p.attention();
    return p.withCam(p.cam().withEnabled(false)).withKvCache(p.kvCache().withEnabled(false))
        .withAttention(new AttentionParams(p.cam().topK(), a.schedule(), a.headPipelineDepth()));
  }
}
