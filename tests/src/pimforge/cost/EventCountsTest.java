package pimforge.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import pimforge.golden.BankSchedule;
import pimforge.layer.CompiledLayer;
import pimforge.layer.Engine;
import pimforge.layer.Event;
import pimforge.layer.Instruction;
import pimforge.layer.LayerCompiler;
import pimforge.layer.LayerConfigs;
import pimforge.layer.LayerTiming;
import pimforge.layer.Opcode;
import pimforge.layer.RandomLayers;
import pimforge.params.AttentionParams;
import pimforge.params.AttentionParams.Schedule;
import pimforge.params.HwParams;

/**
 * Event counts against the exact timing, whose XBAR_WRITES and INSTRUCTIONS the co-simulation tests
 * prove equal to the RTL's counters, and against hand counts of single instructions.
 */
class EventCountsTest {
  private static final HwParams SMALL = LayerConfigs.small();

  @Test
  void crossbarWritesAndInstructionsEqualTheTimingModelForBothSchedules() {
    for (Schedule s : Schedule.values()) {
      HwParams p = SMALL.withAttention(new AttentionParams(SMALL.attention().maxSeqLen(), s,
          SMALL.attention().headPipelineDepth()));
      CompiledLayer c = LayerCompiler.compile(p, RandomLayers.of(p, 3), p.attention().maxSeqLen());
      for (List<Instruction> prog : List.of(c.setupProgram(), c.program())) {
        LayerTiming t = LayerTiming.of(p, prog);
        EventCounts e = EventCounts.of(p, prog);
        assertEquals(t.xbarWrites(), e.total(Event.XBAR_WRITES), s + " XBAR_WRITES");
        assertEquals(t.instructions(), e.instructions(), s + " INSTRUCTIONS");
      }
    }
  }

  @Test
  void oneMvmCountsEveryTileStepOfEveryBank() {
    HwParams p = SMALL;
    var d = p.derived();
    Instruction mvm = new Instruction(Opcode.MVM, pimforge.layer.LayerStage.QKV, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0,
        0, Instruction.BIAS);
    EventCounts e = EventCounts.of(p, List.of(mvm, Instruction.end()));
    long products = 3L * 2; // repeat x bankCount
    long steps = (long) d.wordsPerTile() * p.precision().inputBits();
    long tiles = p.bank().tilesPerBank();
    assertEquals(products * tiles * d.adcsPerTile() * steps, e.total(Event.ADC_CONVERSIONS));
    assertEquals(products * tiles * p.crossbar().rows() * steps, e.total(Event.DAC_DRIVES));
    assertEquals(e.total(Event.ADC_CONVERSIONS) * p.crossbar().rows(), e.total(Event.CELL_READS));
    long outWords = d.bankOutputs() / p.crossbar().lanes();
    assertEquals(3L * 2 + products * outWords, e.total(Event.SCRATCH_READ_WORDS), "input beats + bias words");
    assertEquals(products * outWords, e.total(Event.SCRATCH_WRITE_WORDS));
    assertEquals(0, e.byEngine(Engine.SFU)[Event.SCRATCH_READ_WORDS.ordinal()]);
  }

  @Test
  void hostWeightsProgramsSlicesTimesGroupsCellsPerWeight() {
    HwParams p = SMALL;
    Instruction w = new Instruction(Opcode.HOST_WEIGHTS, pimforge.layer.LayerStage.WEIGHTS, 0, 0, 1, 0, 0, 0, 0, 0,
        0, 0, 2, 0, 0, 0);
    EventCounts e = EventCounts.of(p, List.of(w, Instruction.end()));
    long weights = 2 * (BankSchedule.of(p).weightLoadCycles() - 1) * p.crossbar().lanes();
    assertEquals(weights, e.total(Event.XBAR_WRITES));
    assertEquals(weights * p.precision().slices() * p.precision().columnGroups(), e.total(Event.CELLS_PROGRAMMED));
    assertTrue(e.total(Event.STREAM_BITS) > 0);
  }
}
