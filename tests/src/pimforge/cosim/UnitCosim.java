package pimforge.cosim;

import java.util.List;
import pimforge.params.HwParams;
import pimforge.ports.StreamPorts;

/** The build-and-run step every stream-unit co-simulation test shares. */
public final class UnitCosim {
  private UnitCosim() {}

  /**
   * Builds (or takes from the cache) the simulator of the unit with {@code ports}, runs the
   * transactions with the host withholding valid/ready {@code stallPercent} % of the cycles (0 =
   * never; the stall pattern seeded by {@code seed}), and prints build time, cycles and simulation speed.
   *
   * @param watchdog cycles without a handshake after which the harness declares a hang
   * @param hint replay hint appended to any failure
   */
  public static StreamRun.Result run(HwParams p, StreamPorts ports, List<StreamRun.Transaction> transactions,
      int stallPercent, long seed, long watchdog, String hint) throws java.io.IOException, InterruptedException {
    VerilatorBuild.Simulator sim = VerilatorBuild.build(p, ports, CosimSeeds.cacheRoot(), false);
    StreamRun.Result r = StreamRun.run(sim, transactions,
        stallPercent > 0 ? new StreamRun.Stalls(stallPercent, seed) : StreamRun.Stalls.NONE, watchdog, null, hint);
    System.out.println(String.format("  build %.1f s, %d transactions, %d cycles, %.0f simulated cycles/s",
        sim.buildSeconds(), transactions.size(), r.totalCycles(), r.cyclesPerSecond()));
    return r;
  }
}
