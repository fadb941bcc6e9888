package pimforge.layer;

import pimforge.params.HwParams;
import pimforge.params.ModelShape;

/**
 * Scratchpad regions of one layer at attention.maxSeqLen, in words (lanes elements each). The
 * compiler places every tensor in these regions; their sum sizes the scratchpad memory.
 * (Initial sizing by region; the compiler owns the exact allocation and may refine it.)
 */
public record ScratchLayout(int words) {

  static ScratchLayout of(HwParams p, int lanes) {
    ModelShape m = p.model();
    int seq = p.attention().maxSeqLen();
    int hb = m.hiddenSize() / lanes;
    int kb = m.kvDim() / lanes;
    int fb = m.ffnSize() / lanes;
    int sb = LayerPlan.ceilDiv(seq, lanes);
    int outB = p.derived().bankOutputs() / lanes;
    long activations = (long) seq * (4 * hb + 2 * kb + 2 * fb);
    long attention = 2L * p.attention().headPipelineDepth() * seq * Math.max(sb, outB) + 4L * seq * Math.max(hb, outB);
    long params = 4L * hb + 2L * kb + 3L * fb + 256;
    return new ScratchLayout((int) Math.min(Integer.MAX_VALUE, activations + attention + params));
  }
}
