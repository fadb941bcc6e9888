package pimforge.params;

/**
 * A user mistake in a model or hardware configuration. The message names the field and what is
 * allowed, so the CLI can print it as one line (exit code 2) instead of a stack trace.
 */
public final class ParamError extends RuntimeException {
  private final String field;

  public ParamError(String field, String message) {
    super(field + ": " + message);
    this.field = field;
  }

  /** Dotted path of the offending field, e.g. {@code crossbar.rows}. */
  public String field() {
    return field;
  }
}
