package pimforge.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import pimforge.cosim.CosimFailure;
import pimforge.params.ParamError;

/**
 * Turns exceptions into exit codes: a user mistake (bad parameter, bad or missing input file,
 * usage error) is one line {@code error: <message>} on stderr and exit code 2; anything else is a
 * bug in pimforge, reported as one line with exit 1 (set PIMFORGE_DEBUG=1 for the stack trace).
 */
final class UserErrorHandler implements CommandLine.IExecutionExceptionHandler {
  static final int USER_ERROR = 2;
  static final int INTERNAL_ERROR = 1;

  @Override
  public int handleExecutionException(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
    if (e instanceof ParamError || e instanceof IOException || e instanceof UncheckedIOException) {
      cl.getErr().println("error: " + oneLine(e.getMessage()));
      return USER_ERROR;
    }
    if (e instanceof CosimFailure) { // the simulator crashed, hung or broke the protocol
      cl.getErr().println("error: co-simulation: " + oneLine(e.getMessage()));
      return INTERNAL_ERROR;
    }
    cl.getErr().println("error: internal: " + oneLine(e.toString()));
    if (System.getenv("PIMFORGE_DEBUG") != null) {
      e.printStackTrace(cl.getErr());
    }
    return INTERNAL_ERROR;
  }

  static int onUsageError(CommandLine.ParameterException e, String[] args) {
    CommandLine cl = e.getCommandLine();
    cl.getErr().println("error: " + oneLine(e.getMessage()));
    cl.getErr().println("(see '" + cl.getCommandSpec().qualifiedName() + " --help')");
    return USER_ERROR;
  }

  private static String oneLine(String s) {
    return s == null ? "" : s.replaceAll("\\s*\\R\\s*", " ").trim();
  }
}
