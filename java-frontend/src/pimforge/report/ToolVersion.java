package pimforge.report;

/** Version of the generator; part of every design hash, so a new tool version means a new hash. */
public final class ToolVersion {
  private ToolVersion() {}

  public static final String VERSION = "0.1.0";
}
