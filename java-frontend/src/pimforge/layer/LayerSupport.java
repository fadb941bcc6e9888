package pimforge.layer;

import java.util.Locale;
import pimforge.params.ModelFeatures;
import pimforge.params.ModelShape;
import pimforge.params.ParamError;

/**
 * What the layer top (one Transformer layer in hardware, {@link LayerPlan}) does not compute yet.
 * {@link #require} refuses such a model with a {@link ParamError} naming the model field, before
 * anything is generated or simulated, so a layer is never computed wrongly. The mapping report
 * ({@code generate --top PimBank}) still maps these models.
 *
 * <p>Not refused because they do not change the computation of one layer: an embedding projection
 * (ALBERT, ELECTRA; before the first layer), shared layer weights (ALBERT; the layer is the same),
 * a ViT patch embedding (before the first layer). Computed by the layer top: causal attention
 * (decoders), rotary embedding, ALiBi, gated FFN, parallel attention + FFN blocks (pre-norm).
 * The first feature found is named, structural ones (experts, parallel block, head layout) before
 * position handling.
 */
public final class LayerSupport {
  private LayerSupport() {}

  private static final String ONLY_BANK = "; generate --top PimBank maps the model without it";

  /**
   * Refuses what the layer top does not compute for this design. A sliding window is exact while a
   * pass is no longer than the window (every key is then inside it), so it is refused only when
   * attention.maxSeqLen exceeds it.
   */
  public static void require(pimforge.params.HwParams p) {
    ModelShape m = p.model();
    ModelFeatures f = m.features();
    if (f.slidingWindow() > 0 && p.attention().maxSeqLen() > f.slidingWindow()) {
      throw new ParamError("model.features.slidingWindow", "is " + f.slidingWindow() + " tokens on "
          + f.windowLayers().name().toLowerCase(Locale.ROOT) + " layers, shorter than attention.maxSeqLen = "
          + p.attention().maxSeqLen() + ": the layer top attends over the whole pass; allowed attention.maxSeqLen"
          + " <= " + f.slidingWindow() + ONLY_BANK);
    }
    require(m);
  }

  /** The model features the layer top never computes (a sliding window is checked by {@link #require(pimforge.params.HwParams)}). */
  public static void require(ModelShape m) {
    ModelFeatures f = m.features();
    if (f.isMoe()) {
      throw new ParamError("model.features.numExperts", "is " + f.numExperts() + " (top-" + f.expertsPerToken()
          + " routing): the layer top has no router and one dense FFN" + ONLY_BANK);
    }
    if (f.relativeBuckets() > 0) {
      throw new ParamError("model.features.relativeBuckets", "is " + f.relativeBuckets() + ": the relative-position "
          + "score bias is not computed by the layer top" + ONLY_BANK);
    }
    if (f.isParallel() && !m.preNorm()) {
      throw new ParamError("model.features.block", "is " + f.block() + " with post-norm: a parallel block normalizes "
          + "its input (pre-norm); allowed SEQUENTIAL for post-norm models");
    }
    if (f.attnLogitSoftcap() > 0) {
      throw new ParamError("model.features.attnLogitSoftcap", "is " + f.attnLogitSoftcap() + ": score soft-capping "
          + "(c * tanh(s / c)) is not computed by the layer top" + ONLY_BANK);
    }
    if (f.sandwichNorm()) {
      throw new ParamError("model.features.sandwichNorm", "is true: the extra norms after attention and FFN are not "
          + "computed by the layer top" + ONLY_BANK);
    }
  }
}
