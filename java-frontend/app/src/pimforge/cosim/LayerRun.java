package pimforge.cosim;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import pimforge.io.AtomicOutputDir;
import pimforge.layer.Instruction;
import pimforge.layer.LayerPlan;
import pimforge.layer.LayerRegisters;
import pimforge.layer.LayerStage;
import pimforge.params.HwParams;

/**
 * Runs programs on the LayerTop simulator as a host driver would: for each phase, write the
 * program into the instruction memory over AXI4-Lite, queue its s_axis beats, START, wait for
 * DONE, read the performance counters and take the m_axis beats. One simulator process runs all
 * phases (the banks keep the weights a setup phase loaded).
 */
public final class LayerRun {
  private static final long RUN_TIMEOUT_SECONDS = 1800;
  public static final String TOP = "LayerTop";

  /** A program and the s_axis beats its HOST_IN / HOST_WEIGHTS instructions consume. */
  public record Phase(List<Instruction> program, List<long[]> beats) {}

  /** The hardware performance counters after a run (register map in {@link LayerRegisters}). */
  /** ... and STATUS after the run (bit LayerRegisters.STATUS_KV_OVERFLOW: a KV-cache controller refused a token). */
  public record Counters(long cycles, long xbarWrites, long instructions, long[] stageCycles, long status) {
    public long stage(LayerStage s) {
      return stageCycles[s.id()];
    }
  }

  /** m_axis beats of one phase, how many carried TLAST, the counters, cycles START to DONE seen by the host. */
  public record PhaseResult(List<long[]> outBeats, int lastBeats, Counters counters, long hostCycles) {}

  /** Phases, total cycles, wall seconds, and the KV-cache memory image (null without m_axi). */
  public record Result(List<PhaseResult> phases, long totalCycles, double seconds, byte[] memory) {
    public double cyclesPerSecond() {
      return seconds > 0 ? totalCycles / seconds : 0;
    }
  }

  private LayerRun() {}

  public static VerilatorBuild.Simulator build(HwParams p, Path cacheRoot, boolean waves)
      throws IOException, InterruptedException {
    LayerPlan plan = LayerPlan.of(p);
    int memoryBits = pimforge.kvcache.KvCacheLayout.layerTopAddressBits(p);
    return VerilatorBuild.build(p, TOP,
        header -> LayerHarnessSource.generate(plan, header, TOP, LayerRegisters.CTRL, memoryBits), cacheRoot, waves);
  }

  /**
   * @param maxCycles cycles a phase may run before the harness declares a hang
   * @param waves FST file to write, or null (the simulator must have been built with waves)
   * @param replayHint appended to any failure so it can be reproduced
   */
  public static Result run(VerilatorBuild.Simulator sim, LayerPlan plan, List<Phase> phases, StreamRun.Stalls stalls,
      long maxCycles, Path waves, String replayHint) throws IOException, InterruptedException {
    Path work = Files.createTempDirectory("pimforge-layer");
    try {
      Path input = work.resolve("host.txt");
      write(plan, phases, maxCycles, input);
      SimulatorProcess.Output out = SimulatorProcess.run(sim, work, input, stalls, List.of(), waves,
          RUN_TIMEOUT_SECONDS, replayHint);
      return parse(out.lines(), sim.designHash(), plan.lanes(), phases.size(), out.seconds(), replayHint);
    } finally {
      AtomicOutputDir.deleteTree(work);
    }
  }

  /** Registers read after each run, in this order. */
  static List<Integer> counterReads() {
    List<Integer> a = new ArrayList<>(List.of(LayerRegisters.CYCLES, LayerRegisters.CYCLES + 4,
        LayerRegisters.XBAR_WRITES, LayerRegisters.XBAR_WRITES + 4, LayerRegisters.INSTRUCTIONS));
    for (int s = 0; s < LayerStage.COUNTERS; s++) {
      a.add(LayerRegisters.STAGE_CYCLES + 8 * s);
      a.add(LayerRegisters.STAGE_CYCLES + 8 * s + 4);
    }
    a.add(LayerRegisters.STATUS);
    a.add(LayerRegisters.ID);
    return a;
  }

  private static void write(LayerPlan plan, List<Phase> phases, long maxCycles, Path file) throws IOException {
    try (BufferedWriter w = Files.newBufferedWriter(file)) {
      for (Phase ph : phases) {
        writeProgram(w, plan, 0, ph.program());
        writeBeats(w, plan, ph.beats());
        w.write("G " + maxCycles + "\n");
        for (int a : counterReads()) {
          w.write("R " + a + "\n");
        }
        w.write("O\n");
      }
    }
  }

  private static Result parse(List<String> lines, String hash, int lanes, int phases, double seconds, String hint) {
    Iterator<String> it = lines.iterator();
    String first = it.hasNext() ? it.next() : "";
    if (!first.startsWith("HASH ")) {
      throw new CosimFailure("simulator output does not start with HASH: '" + first + "'; " + hint);
    }
    if (!first.substring(5).trim().equals(hash)) {
      throw new CosimFailure("stale simulator: built for design " + first.substring(5) + ", expected " + hash);
    }
    List<PhaseResult> results = new ArrayList<>();
    for (int ph = 0; ph < phases; ph++) {
      long hostCycles = Long.parseLong(expect(it, "D", hint)[1]);
      Counters c = counters(it, hint);
      String[] o = expect(it, "O", hint);
      results.add(new PhaseResult(outBeats(o, lanes), Integer.parseInt(o[2]), c, hostCycles));
    }
    byte[] memory = null;
    String line = it.hasNext() ? it.next() : "";
    if (line.startsWith("MEM")) {
      String hex = line.substring(3).trim();
      memory = java.util.HexFormat.of().parseHex(hex);
      line = it.hasNext() ? it.next() : "";
    }
    String[] end = line.trim().split("\\s+");
    if (!end[0].equals("END") || end.length < 2) {
      throw new CosimFailure("expected END from the simulator, got '" + abbreviate(line) + "'; " + hint);
    }
    return new Result(results, Long.parseLong(end[1]), seconds, memory);
  }

  /** The answers ({@code V}) to one {@link #counterReads()} block. */
  static Counters counters(Iterator<String> it, String hint) {
    long[] regs = new long[counterReads().size()];
    for (int i = 0; i < regs.length; i++) {
      regs[i] = Long.parseLong(expect(it, "V", hint)[1]);
    }
    if (regs[regs.length - 1] != LayerRegisters.ID_VALUE) {
      throw new CosimFailure("ID register reads " + regs[regs.length - 1] + "; " + hint);
    }
    long[] stages = new long[LayerStage.COUNTERS];
    for (int s = 0; s < stages.length; s++) {
      stages[s] = regs[5 + 2 * s] | regs[6 + 2 * s] << 32;
    }
    return new Counters(regs[0] | regs[1] << 32, regs[2] | regs[3] << 32, regs[4], stages, regs[regs.length - 2]);
  }

  /** The beats of an {@code O} answer. */
  static List<long[]> outBeats(String[] o, int lanes) {
    int beats = Integer.parseInt(o[1]);
    List<long[]> out = new ArrayList<>();
    for (int b = 0; b < beats; b++) {
      long[] beat = new long[lanes];
      for (int l = 0; l < lanes; l++) {
        beat[l] = Long.parseLong(o[3 + b * lanes + l]);
      }
      out.add(beat);
    }
    return out;
  }

  /** Instruction-memory writes of {@code program} into the layer window at {@code base}, and its beats. */
  static void writeProgram(BufferedWriter w, LayerPlan plan, long base, List<Instruction> program) throws IOException {
    if (program.size() > plan.programDepth()) {
      throw new IllegalArgumentException("program of " + program.size() + " instructions, the instruction"
          + " memory holds " + plan.programDepth());
    }
    for (int i = 0; i < program.size(); i++) {
      int[] words = program.get(i).encode();
      for (int j = 0; j < Instruction.USED_WORDS; j++) {
        w.write("W " + (base + LayerRegisters.IMEM + 4L * (Instruction.WORDS * i + j)) + " "
            + Integer.toUnsignedLong(words[j]) + "\n");
      }
    }
  }

  static void writeBeats(BufferedWriter w, LayerPlan plan, List<long[]> beats) throws IOException {
    if (beats.isEmpty()) {
      return;
    }
    StringBuilder b = new StringBuilder("S ").append(beats.size());
    for (long[] beat : beats) {
      if (beat.length != plan.lanes()) {
        throw new IllegalArgumentException("s_axis beat of " + beat.length + " values, lanes = " + plan.lanes());
      }
      for (long v : beat) {
        b.append(' ').append(v);
      }
    }
    w.write(b.append('\n').toString());
  }

  static String[] expect(Iterator<String> it, String tag, String hint) {
    if (!it.hasNext()) {
      throw new CosimFailure("simulator output ended early (expected " + tag + "); " + hint);
    }
    String line = it.next();
    String[] f = line.trim().split("\\s+");
    if (!f[0].equals(tag)) {
      throw new CosimFailure("unexpected simulator output '" + abbreviate(line) + "' (expected " + tag + "); " + hint);
    }
    return f;
  }

  private static String abbreviate(String s) {
    return s.length() > 200 ? s.substring(0, 200) + "..." : s;
  }
}
