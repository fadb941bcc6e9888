package pimforge.layer;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import pimforge.params.HwParams;

/**
 * Bit-exact functional golden model of LayerTop: executes a program sequentially in program order
 * (what any correct concurrent schedule of it computes) with exactly {@link Opcode}'s semantics
 * (each opcode's {@link OpcodeSpec#execute}),
 * on the unit golden models (one {@link PimBankModel} per plan bank, one {@link SoftmaxModel},
 * one {@link SfuModel}). State (scratchpad, bank weights, unit registers) persists across
 * {@link #run} calls, as in the hardware: run the setup program, then layer programs.
 */
public final class LayerMachineModel {
  private final MachineState m;
  private long instructions;

  public LayerMachineModel(HwParams p) {
    this(p, LayerPlan.of(p));
  }

  public LayerMachineModel(HwParams p, LayerPlan plan) {
    this.m = new MachineState(p, plan);
  }

  public Scratchpad scratchpad() {
    return m.sp;
  }

  /** Weights written into crossbars by the last run (the XBAR_WRITES register): whole banks, padding included. */
  public long crossbarWrites() {
    return m.crossbarWrites;
  }

  /** Instructions executed by the last run, END included (the INSTRUCTIONS register). */
  public long instructions() {
    return instructions;
  }

  /** Sets the POSITION register (as the host does over AXI4-Lite, e.g. 0 for a new sequence). */
  public void setPosition(long position) {
    m.position = position & ((1L << pimforge.golden.sfu.RopeTable.POSITION_BITS) - 1);
  }

  /** The POSITION register. */
  public long position() {
    return m.position;
  }

  /**
   * The KV-cache memory as the layer top's m_axi_* port sees it (2^KvCacheLayout.layerTopAddressBits
   * bytes; KV head h's records at h << KvCacheLayout.addressBits), or null without kvCache.enabled.
   */
  public byte[] kvMemoryImage() {
    if (m.kv == null) {
      return null;
    }
    byte[] image = new byte[1 << pimforge.kvcache.KvCacheLayout.layerTopAddressBits(m.p)];
    for (int h = 0; h < m.kv.length; h++) {
      byte[] mem = m.kv[h].memory();
      System.arraycopy(mem, 0, image, h << m.kv[h].layout().addressBits(), mem.length);
    }
    return image;
  }

  /** The KV-cache controller models, one per KV head (read-only use), or null without kvCache.enabled. */
  public pimforge.kvcache.KvCacheModel[] kvCaches() {
    return m.kv == null ? null : m.kv.clone();
  }

  /**
   * Executes {@code program} from instruction 0 until END, taking s_axis beats (lanes elements
   * each, read as elementBits two's complement) in order; returns the m_axis beats. Throws when
   * the program runs out of s_axis beats, leaves some unread, or has no END.
   */
  public List<long[]> run(List<Instruction> program, List<long[]> sAxisBeats) {
    m.in = new ArrayDeque<>(sAxisBeats);
    m.out = new ArrayList<>();
    instructions = 0;
    m.crossbarWrites = 0;
    for (Instruction i : program) {
      instructions++;
      if (i.opcode() == Opcode.END) {
        m.position = (m.position + i.a()) & ((1L << pimforge.golden.sfu.RopeTable.POSITION_BITS) - 1);
        if (!m.in.isEmpty()) {
          throw new IllegalStateException(m.in.size() + " s_axis beats left unread at END");
        }
        return m.out;
      }
      i.opcode().spec().execute(m, i);
    }
    throw new IllegalStateException("program without END");
  }
}
