package pimforge.report;

import pimforge.params.HwParams;

/**
 * Identity of one generated design: its name (the model name), content hash and top module.
 *
 * @param name design name, used in file and folder names
 * @param hash full SHA-256 hex of the params (see {@link DesignHash})
 * @param top top-level hardware module
 */
public record DesignId(String name, String hash, String top) {
  public static DesignId of(HwParams p, String top) {
    return new DesignId(p.model().name(), DesignHash.of(p), top);
  }

  public String hash8() {
    return DesignHash.hash8(hash);
  }

  /** Output folder name: {@code <design>-<hash8>}. */
  public String folderName() {
    return name + "-" + hash8();
  }

  /** First line of every emitted .sv, .h and filelist.f. */
  public String slashHeader() {
    return "// pimforge " + name + " " + hash;
  }

  /** First line of every emitted Markdown file (invisible when rendered). */
  public String markdownHeader() {
    return "<!-- pimforge " + name + " " + hash + " -->";
  }
}
