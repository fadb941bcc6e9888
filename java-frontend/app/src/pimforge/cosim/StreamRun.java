package pimforge.cosim;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import pimforge.io.AtomicOutputDir;

/** Runs a list of transactions through a built simulator, in one process, with a time limit. */
public final class StreamRun {
  private static final long RUN_TIMEOUT_SECONDS = 600;

  /** One host transaction: command, input values, and whether the unit answers with a packet. */
  public record Transaction(int op, boolean expectOutput, long[] values) {}

  /** The unit's answer to one transaction: cycles from command to last beat, and the values. */
  public record Response(long cycles, long[] values) {}

  /**
   * All answers, total simulated cycles, wall-clock seconds of the simulator process, and the final
   * memory image of a unit with an AXI4 master (null without one).
   */
  public record Result(List<Response> responses, long totalCycles, double seconds, byte[] memory) {
    public double cyclesPerSecond() {
      return seconds > 0 ? totalCycles / seconds : 0;
    }
  }

  /** Host flow-control behaviour: percent of cycles the host withholds valid/ready (0 = never). */
  public record Stalls(int percent, long seed) {
    public static final Stalls NONE = new Stalls(0, 0);
  }

  private StreamRun() {}

  /**
   * @param watchdogCycles cycles without a handshake after which the harness declares a hang
   * @param waves FST file to write, or null (the simulator must have been built with waves)
   * @param replayHint appended to any failure so it can be reproduced
   */
  public static Result run(VerilatorBuild.Simulator sim, List<Transaction> transactions, Stalls stalls,
      long watchdogCycles, Path waves, String replayHint) throws IOException, InterruptedException {
    Path work = Files.createTempDirectory("pimforge-cosim");
    try {
      Path input = work.resolve("transactions.txt");
      write(transactions, input);
      SimulatorProcess.Output out = SimulatorProcess.run(sim, work, input, stalls,
          List.of("--watchdog", Long.toString(watchdogCycles)), waves, RUN_TIMEOUT_SECONDS, replayHint);
      return parse(out.lines(), sim.designHash(), transactions.size(), out.seconds(), replayHint);
    } finally {
      AtomicOutputDir.deleteTree(work);
    }
  }

  private static void write(List<Transaction> transactions, Path file) throws IOException {
    try (BufferedWriter w = Files.newBufferedWriter(file)) {
      for (Transaction t : transactions) {
        w.write("T " + t.op() + " " + (t.expectOutput() ? 1 : 0) + " " + t.values().length);
        for (long v : t.values()) {
          w.write(' ');
          w.write(Long.toString(v));
        }
        w.write('\n');
      }
    }
  }

  private static Result parse(List<String> lines, String hash, int expected, double seconds, String hint) {
    List<Response> responses = new ArrayList<>();
    long total = -1;
    byte[] memory = null;
    boolean hashSeen = false;
    for (String line : lines) {
      String[] f = line.trim().split("\\s+");
      switch (f[0]) {
        case "HASH" -> {
          if (!f[1].equals(hash)) {
            throw new CosimFailure("stale simulator: built for design " + f[1] + ", expected " + hash);
          }
          hashSeen = true;
        }
        case "R" -> responses.add(new Response(Long.parseLong(f[1]),
            Arrays.stream(f, 2, f.length).mapToLong(Long::parseLong).toArray()));
        case "END" -> total = Long.parseLong(f[1]);
        case "MEM" -> memory = java.util.HexFormat.of().parseHex(f.length > 1 ? f[1] : "");
        default -> throw new CosimFailure("unexpected simulator output '" + line + "'; " + hint);
      }
    }
    if (!hashSeen || total < 0 || responses.size() != expected) {
      throw new CosimFailure("simulator output incomplete (" + responses.size() + " of " + expected
          + " transactions); " + hint);
    }
    return new Result(responses, total, seconds, memory);
  }
}
