package pimforge.params;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The one immutable hardware parameter record. Everything generated (RTL, golden model,
 * co-simulation harness, C header, reports, design.json) is a function of it. Construction
 * validates every field and every cross-field rule, so a record that exists is legal.
 */
public record HwParams(
    ModelShape model,
    Precision precision,
    CrossbarParams crossbar,
    BankParams bank,
    AttentionParams attention,
    SoftmaxParams softmax,
    SfuParams sfu,
    KvCacheParams kvCache,
    CamParams cam) {

  public HwParams {
    Check.present("model", model);
    Check.present("precision", precision);
    Check.present("crossbar", crossbar);
    Check.present("bank", bank);
    Check.present("attention", attention);
    Check.present("softmax", softmax);
    Check.present("sfu", sfu);
    Check.present("kvCache", kvCache);
    Check.present("cam", cam);
    Check.that(attention.maxSeqLen() <= model.maxPositions(), "attention.maxSeqLen",
        "is " + attention.maxSeqLen() + ", allowed 1.." + model.maxPositions() + " (model.maxPositions)");
    XbarDerived.of(precision, crossbar, bank); // throws if the accumulator would be too wide
    SoftmaxDerived.of(softmax, attention);
    SfuDerived.of(model, sfu); // throws if the SFU does not fit the model
    Check.that(!kvCache.enabled() || model.family() == ModelShape.Family.DECODER, "kvCache.enabled",
        "is true, allowed only for decoder models (model.family DECODER; an encoder has no decode step)");
    if (kvCache.enabled()) {
      Check.that(attention.schedule() == AttentionParams.Schedule.STRAIGHTFORWARD, "attention.schedule",
          "is " + attention.schedule() + ", allowed STRAIGHTFORWARD with kvCache.enabled (K and V must exist to be cached)");
      Check.that(model.features().positions() != ModelFeatures.Positions.ALIBI, "kvCache.enabled",
          "is true, not implemented for ALiBi models (a decode step's score row has no ALiBi bias over cache slots yet)");
      int capacity = pimforge.kvcache.KvEvictionModel.capacityOf(kvCache);
      String field = switch (kvCache.policy()) {
        case FULL, HEAVY_HITTER -> "kvCache.budgetTokens";
        case SLIDING_WINDOW, SINKS_WINDOW -> "kvCache.windowTokens";
      };
      Check.that(capacity <= attention.maxSeqLen(), field,
          "keeps " + capacity + " tokens, allowed up to attention.maxSeqLen " + attention.maxSeqLen()
              + " with kvCache.enabled (a decode step's softmax row holds every slot)");
    }
    if (cam.enabled()) {
      CamDerived.of(cam, model, attention, softmax); // throws if the CAM cannot hold the keys or the head
    }
  }

  /** Derived quantities of the CAM attention unit; null (absent from design.json) unless cam.enabled. */
  @JsonProperty("camDerived")
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public CamDerived camDerived() {
    return cam.enabled() ? CamDerived.of(cam, model, attention, softmax) : null;
  }

  /** Derived quantities of the special-function unit. */
  @JsonProperty("sfuDerived")
  public SfuDerived sfuDerived() {
    return SfuDerived.of(model, sfu);
  }

  /** Derived quantities of the crossbar tile and bank. */
  @JsonProperty("derived")
  public XbarDerived derived() {
    return XbarDerived.of(precision, crossbar, bank);
  }

  /** Derived quantities of the softmax unit. */
  @JsonProperty("softmaxDerived")
  public SoftmaxDerived softmaxDerived() {
    return SoftmaxDerived.of(softmax, attention);
  }

  /** Same record with another model/hardware piece swapped in (records are immutable). */
  public HwParams withSoftmax(SoftmaxParams s) {
    return new HwParams(model, precision, crossbar, bank, attention, s, sfu, kvCache, cam);
  }

  public HwParams withAttention(AttentionParams a) {
    return new HwParams(model, precision, crossbar, bank, a, softmax, sfu, kvCache, cam);
  }

  public HwParams withCrossbar(CrossbarParams c) {
    return new HwParams(model, precision, c, bank, attention, softmax, sfu, kvCache, cam);
  }

  public HwParams withPrecision(Precision p) {
    return new HwParams(model, p, crossbar, bank, attention, softmax, sfu, kvCache, cam);
  }

  public HwParams withSfu(SfuParams s) {
    return new HwParams(model, precision, crossbar, bank, attention, softmax, s, kvCache, cam);
  }

  public HwParams withModel(ModelShape m) {
    return new HwParams(m, precision, crossbar, bank, attention, softmax, sfu, kvCache, cam);
  }

  public HwParams withKvCache(KvCacheParams k) {
    return new HwParams(model, precision, crossbar, bank, attention, softmax, sfu, k, cam);
  }

  public HwParams withCam(CamParams c) {
    return new HwParams(model, precision, crossbar, bank, attention, softmax, sfu, kvCache, c);
  }

  public HwParams withBank(BankParams b) {
    return new HwParams(model, precision, crossbar, b, attention, softmax, sfu, kvCache, cam);
  }
}
