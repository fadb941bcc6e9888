package pimforge.cosim;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs an external tool with a time limit; output goes to files so a chatty tool cannot block. */
public final class ToolRunner {
  private ToolRunner() {}

  /** Exit code and captured output of a finished run. */
  public record Result(int exitCode, Path stdout, Path stderr) {
    public String stderrText() {
      return readQuietly(stderr);
    }

    public String stdoutText() {
      return readQuietly(stdout);
    }
  }

  /**
   * Runs {@code command} in {@code workDir}, stdin from {@code stdin} (or nothing), killing it after
   * {@code timeoutSeconds}. Output files are named after {@code logName} inside {@code workDir}.
   */
  public static Result run(List<String> command, Path workDir, Path stdin, String logName,
      long timeoutSeconds) throws IOException, InterruptedException {
    Path out = workDir.resolve(logName + ".out");
    Path err = workDir.resolve(logName + ".err");
    ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile());
    if (stdin != null) {
      pb.redirectInput(stdin.toFile());
    } else {
      pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    }
    Process process;
    try {
      process = pb.start();
    } catch (IOException e) {
      throw new CosimFailure("cannot start " + command.get(0) + ": " + e.getMessage());
    }
    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      process.waitFor();
      throw new CosimFailure(command.get(0) + " did not finish within " + timeoutSeconds + " s");
    }
    return new Result(process.exitValue(), out, err);
  }

  private static String readQuietly(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      return "";
    }
  }

  /** Last {@code n} lines of a text, for error messages. */
  public static String tail(String text, int n) {
    String[] lines = text.split("\n");
    int from = Math.max(0, lines.length - n);
    return String.join("\n", java.util.Arrays.asList(lines).subList(from, lines.length));
  }
}
