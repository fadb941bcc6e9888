package pimforge.sfu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import pimforge.cosim.CosimSeeds;
import pimforge.ports.StreamPorts;
import pimforge.cosim.StreamRun;
import pimforge.cosim.UnitCosim;
import pimforge.golden.sfu.SfuModel;
import pimforge.golden.sfu.SfuSchedule;
import pimforge.params.HwParams;

/**
 * Co-simulation of the special-function unit in Verilator against the golden model, bit for bit,
 * for every command, with exact cycle counts when the host does not stall. Each case is a
 * configuration and a seed (odd seeds stall the host 30% of the time). Replay with
 * {@code PIMFORGE_COSIM_SEEDS=<seed> ./mill -i tests.testOnly pimforge.sfu.SfuCosimTest}.
 */
class SfuCosimTest {
  private static final int SEEDS = 2;

  static Stream<Arguments> cases() {
    List<Long> seeds = CosimSeeds.seeds(SEEDS).boxed().toList();
    return Stream.of(SfuConfigs.layerNormGelu(), SfuConfigs.rmsNormSilu(), SfuConfigs.layerNormGeluTanh())
        .flatMap(p -> seeds.stream().map(seed -> Arguments.of(SfuConfigs.describe(p), p, seed)));
  }

  /** More seeds for the per-channel table (LOAD_CHANNELS / REQUANT_CHANNELS) on the cached builds. */
  private static final int CHANNEL_SEEDS = 8;

  static Stream<Arguments> channelCases() {
    List<Long> seeds = CosimSeeds.seeds(CHANNEL_SEEDS).boxed().toList();
    return Stream.of(SfuConfigs.layerNormGelu(), SfuConfigs.rmsNormSilu(), SfuConfigs.layerNormGeluTanh())
        .flatMap(p -> seeds.stream().map(seed -> Arguments.of(SfuConfigs.describe(p), p, seed)));
  }

  @ParameterizedTest(name = "{0} seed {2}")
  @MethodSource("channelCases")
  void channelTableMatchesGoldenModel(String name, HwParams p, long seed) throws Exception {
    check(name, p, seed, SfuStimulus.channels(p, seed));
  }

  @ParameterizedTest(name = "{0} seed {2}")
  @MethodSource("cases")
  void sfuMatchesGoldenModel(String name, HwParams p, long seed) throws Exception {
    check(name, p, seed, SfuStimulus.of(p, seed));
  }

  private static void check(String name, HwParams p, long seed, SfuStimulus stim) throws Exception {
    boolean stalls = seed % 2 == 1;
    String hint = CosimSeeds.replayHint(seed, SfuCosimTest.class);
    System.out.println("sfu cosim seed=" + seed + " " + name + (stalls ? " stalls=30%" : ""));
    StreamRun.Result r = UnitCosim.run(p, StreamPorts.sfu(p), stim.transactions, stalls ? 30 : 0, seed, 5000, hint);

    SfuModel golden = new SfuModel(p);
    SfuSchedule schedule = new SfuSchedule(p);
    for (int t = 0; t < stim.transactions.size(); t++) {
      StreamRun.Transaction tx = stim.transactions.get(t);
      StreamRun.Response got = r.responses().get(t);
      String where = "transaction " + t + " (op " + tx.op() + "); " + hint;
      assertArrayEquals(golden.run(tx.op(), tx.values()), got.values(), where);
      long want = schedule.cycles(tx.op(), tx.values().length / p.sfu().lanes());
      if (stalls) {
        assertTrue(got.cycles() >= want, "stalls cannot make it faster: " + where);
      } else {
        assertEquals(want, got.cycles(), "cycles vs SfuSchedule: " + where);
      }
    }
  }
}
