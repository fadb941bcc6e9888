package pimforge.layer;

import java.util.ArrayList;
import java.util.List;
import pimforge.params.AttentionParams;
import pimforge.params.AttentionParams.Schedule;
import pimforge.params.HwParams;
import pimforge.params.ParamError;

/**
 * The layer top's cycles per stage for both attention schedules at attention.maxSeqLen tokens,
 * from {@link LayerTiming} on the compiled programs (the timing does not depend on the weights, so
 * any layer will do; a fixed random one is used). The reports print these numbers; the
 * co-simulation test checks them against the hardware counters.
 */
public record LayerSchedules(int seqLen, Schedule configured, List<Entry> entries) {

  /**
   * One schedule: its plan and timings, or why the design does not fit with it.
   *
   * @param notFitting null when it fits, else the parameter error
   */
  public record Entry(Schedule schedule, LayerPlan plan, LayerTiming setup, LayerTiming layer, String notFitting) {}

  public static LayerSchedules of(HwParams p) {
    List<Entry> entries = new ArrayList<>();
    int seq = p.attention().maxSeqLen();
    for (Schedule s : Schedule.values()) {
      try {
        HwParams q = p.withAttention(new AttentionParams(seq, s, p.attention().headPipelineDepth()));
        LayerPlan plan = LayerPlan.of(q);
        LayerCompiler.Programs c = LayerCompiler.programs(q, seq);
        entries.add(new Entry(s, plan, LayerTiming.of(q, c.setup()), LayerTiming.of(q, c.layer()), null));
      } catch (ParamError e) {
        if (s == p.attention().schedule()) {
          throw e; // the configured design itself does not fit the layer top
        }
        entries.add(new Entry(s, null, null, null, e.getMessage()));
      }
    }
    return new LayerSchedules(seq, p.attention().schedule(), List.copyOf(entries));
  }

  public Entry entry(Schedule s) {
    return entries.stream().filter(e -> e.schedule() == s).findFirst().orElseThrow();
  }
}
