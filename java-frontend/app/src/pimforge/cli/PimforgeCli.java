package pimforge.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import pimforge.report.ToolVersion;

/**
 * The pimforge command line. Each subcommand is its own class, listed below.
 */
@Command(
    name = "pimforge",
    mixinStandardHelpOptions = true,
    versionProvider = PimforgeCli.Version.class,
    description = "Generates processing-in-memory hardware for Transformer inference.",
    subcommands = {GenerateCommand.class, SimulateCommand.class, CheckCommand.class, AccuracyCommand.class,
        EvaluateCommand.class, SweepCommand.class, KvFidelityCommand.class, CamCyclesCommand.class,
        CamAccuracyCommand.class,
        CommandLine.HelpCommand.class})
public final class PimforgeCli implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand (try --help)");
  }

  /** The configured command line: user errors exit 2 with one line on stderr. */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new PimforgeCli());
    cl.setExecutionExceptionHandler(new UserErrorHandler());
    cl.setParameterExceptionHandler(UserErrorHandler::onUsageError);
    return cl;
  }

  /** Runs in-process with the given streams (tests use this). */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cl = commandLine();
    cl.setOut(out);
    cl.setErr(err);
    int code = cl.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"pimforge " + ToolVersion.VERSION};
    }
  }
}
