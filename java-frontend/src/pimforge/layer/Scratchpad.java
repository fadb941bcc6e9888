package pimforge.layer;

import pimforge.golden.sfu.Fixed;

/**
 * The layer top's scratchpad: {@code words} words of {@code lanes} signed elements of
 * {@code elementBits} bits. Reads and writes are whole beats (one word).
 */
public final class Scratchpad {
  private final int lanes;
  private final int elementBits;
  private final long[][] words;

  public Scratchpad(int words, int lanes, int elementBits) {
    this.lanes = lanes;
    this.elementBits = elementBits;
    this.words = new long[words][lanes];
  }

  public int words() {
    return words.length;
  }

  /** A copy of word {@code w}. */
  public long[] read(int w) {
    return words[check(w)].clone();
  }

  /** Element {@code e} of the flat element space: lane e % lanes of word e / lanes. */
  public long element(long e) {
    return words[check(Math.toIntExact(e / lanes))][(int) (e % lanes)];
  }

  /** Writes a beat as the hardware stores it: every element wrapped to elementBits (two's complement). */
  public void writeWrapped(int w, long[] beat) {
    long[] dst = words[check(w)];
    for (int l = 0; l < lanes; l++) {
      dst[l] = Fixed.signedLow(beat[l], elementBits);
    }
  }

  /** Writes a beat saturating every element to elementBits. */
  public void writeSaturated(int w, long[] beat) {
    long[] dst = words[check(w)];
    for (int l = 0; l < lanes; l++) {
      dst[l] = Fixed.saturate(beat[l], elementBits);
    }
  }

  /** {@code beats} consecutive words from {@code w}, flattened. */
  public long[] readBeats(int w, int beats) {
    long[] v = new long[beats * lanes];
    for (int b = 0; b < beats; b++) {
      System.arraycopy(words[check(w + b)], 0, v, b * lanes, lanes);
    }
    return v;
  }

  /** Writes {@code v} (a whole number of beats) saturated, from word {@code w}. */
  public void writeBeats(int w, long[] v) {
    for (int b = 0; b < v.length / lanes; b++) {
      writeSaturated(w + b, java.util.Arrays.copyOfRange(v, b * lanes, (b + 1) * lanes));
    }
  }

  private int check(int w) {
    if (w < 0 || w >= words.length) {
      throw new IllegalArgumentException("scratchpad word " + w + " outside 0.." + (words.length - 1));
    }
    return w;
  }
}
