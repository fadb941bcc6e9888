package pimforge.layer;

import pimforge.params.HwParams;

/**
 * The CAM unit's input shifts in the layer top (structural: from the parameters only). Q leaves
 * its requantization within +-min(2^(inputBits-1)-1, actMax), K and V within
 * +-min(weightMax, actMax) (the ranges they would have in the crossbars); V is shifted right
 * (round half up) just enough to fit cam.valueBits, and with cam.rescore Q and K just enough to fit
 * cam.keyBits. Binary scores keep Q and K unshifted: satSym to keyBits keeps every sign, while a
 * shift would round small elements of either sign to 0, which the CAM reads as negative.
 *
 * @param query right shift of a query element into keyBits
 * @param key right shift of a key element into keyBits
 * @param value right shift of a value element into valueBits
 */
record CamShifts(int query, int key, int value) {

  static CamShifts of(HwParams p) {
    long actMax = (1L << (p.sfu().actBits() - 1)) - 1;
    long qMax = Math.min((1L << (p.precision().inputBits() - 1)) - 1, actMax);
    long kvMax = Math.min(p.precision().weightMax(), actMax);
    int kb = p.cam().keyBits();
    boolean exact = p.cam().rescore();
    return new CamShifts(exact ? Math.max(0, signedBits(qMax) - kb) : 0, exact ? Math.max(0, signedBits(kvMax) - kb) : 0,
        Math.max(0, signedBits(kvMax) - p.cam().valueBits()));
  }

  /** Signed bits that hold +-max. */
  private static int signedBits(long max) {
    return 65 - Long.numberOfLeadingZeros(max);
  }

  /**
   * Left shift of the unit's context (V units, (sum p v + 2^(O-1)) >> O) to the scale of the P V
   * product the context requantization (SfuConfig.CTX) expects: sum (p >> shiftProb) v, in V's
   * crossbar units.
   */
  int context(HwParams p, int shiftProb) {
    return p.softmax().outputBits() - shiftProb + value;
  }
}
