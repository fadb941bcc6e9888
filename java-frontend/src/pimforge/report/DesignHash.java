package pimforge.report;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import pimforge.params.HwParams;

/**
 * Content hash of a design: SHA-256 over the canonical JSON of the params plus the tool version.
 * Stamped into every emitted file so a stale artifact can be told from a fresh one.
 */
public final class DesignHash {
  private DesignHash() {}

  public static String of(HwParams p) {
    return of(p, ToolVersion.VERSION);
  }

  static String of(HwParams p, String toolVersion) {
    String text = CanonicalJson.compact(CanonicalJson.tree(p)) + "\ntoolVersion=" + toolVersion;
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  /** First 8 hex characters: the folder-name suffix. */
  public static String hash8(String fullHash) {
    return fullHash.substring(0, 8);
  }
}
