package pimforge.minilm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ErfTest {

  @Test
  void matchesTabulatedValues() {
    // Reference values of erf to 16 digits (e.g. Abramowitz and Stegun table 7.1, extended).
    assertEquals(0.0, Erf.erf(0.0), 0.0);
    assertEquals(0.1124629160182849, Erf.erf(0.1), 1e-15);
    assertEquals(0.5204998778130465, Erf.erf(0.5), 1e-15);
    assertEquals(0.8427007929497149, Erf.erf(1.0), 1e-15);
    assertEquals(0.9953222650189527, Erf.erf(2.0), 1e-15);
    assertEquals(0.9999779095030014, Erf.erf(3.0), 1e-15);
    assertEquals(-0.8427007929497149, Erf.erf(-1.0), 1e-15);
    assertEquals(1.0, Erf.erf(7.0), 0.0);
    assertEquals(-1.0, Erf.erf(-40.0), 0.0);
  }

  @Test
  void geluIsTheErfForm() {
    assertEquals(0.0, FloatEncoder.gelu(0.0), 0.0);
    assertEquals(0.8413447460685429, FloatEncoder.gelu(1.0), 1e-15); // 1 * Phi(1)
    assertEquals(-0.15865525393145707, FloatEncoder.gelu(-1.0), 1e-15);
    // The tanh approximation differs here by ~1e-4; the erf form must not.
    assertEquals(1.9544997361036416, FloatEncoder.gelu(2.0), 1e-15);
  }
}
