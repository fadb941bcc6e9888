package pimforge.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import pimforge.params.AttentionParams.Schedule;
import pimforge.params.HwParams;

/**
 * LayerMachineModel and the RTL tests' independent OpcodeReference (written from Opcode.java by
 * another hand) agree bit for bit on whole compiled layers, scratchpad included.
 */
class ReferenceAgreementTest {

  static Stream<Arguments> configs() {
    return Stream.of(
        Arguments.of(LayerConfigs.small(Schedule.STRAIGHTFORWARD, false), 16),
        Arguments.of(LayerConfigs.split(Schedule.DECOMPOSED, true), 11),
        Arguments.of(LayerConfigs.wideSfu(Schedule.DECOMPOSED, false), 7),
        Arguments.of(LayerConfigs.gqa(Schedule.STRAIGHTFORWARD), 16));
  }

  @ParameterizedTest
  @MethodSource("configs")
  void bothInterpretersGiveTheSameLayer(HwParams p, int seqLen) {
    CompiledLayer c = LayerCompiler.compile(p, RandomLayers.of(p, 31), seqLen);
    LayerMachineModel mine = new LayerMachineModel(p);
    OpcodeReference ref = new OpcodeReference(p);
    mine.run(c.setupProgram(), c.setupBeats());
    ref.run(c.setupProgram(), c.setupBeats());
    List<long[]> a = mine.run(c.program(), c.beats());
    List<long[]> b = ref.run(c.program(), c.beats());
    assertEquals(b.size(), a.size());
    for (int i = 0; i < a.size(); i++) {
      assertArrayEquals(b.get(i), a.get(i), "m_axis beat " + i);
    }
    for (int w = 0; w < mine.scratchpad().words(); w++) {
      assertArrayEquals(ref.word(w), mine.scratchpad().read(w), "scratchpad word " + w);
    }
  }
}
