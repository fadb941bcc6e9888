package pimforge.cosim;

import pimforge.layer.LayerPlan;
import pimforge.layer.LayerRegisters;

/**
 * C++ source of the Verilator harness of {@code LayerTop}: an AXI4-Lite master, an AXI-Stream
 * source feeding s_axis from a queue and an AXI-Stream sink draining m_axis, all advanced together
 * every cycle (so streams flow while register accesses or a run are in progress).
 *
 * <p>Protocol on stdin, one command per line: {@code W addr data} (register write), {@code R addr}
 * (register read, answers {@code V data}), {@code S n v...} (queue n beats of lanes values for
 * s_axis, TLAST on the last), {@code G maxCycles} (write CTRL.START and wait for irq, answers
 * {@code D cycles}), {@code O} (answers {@code O beats lasts v...} with the m_axis beats taken so
 * far, then forgets them). First line printed: {@code HASH <design hash>}; last {@code END cycles}.
 * A protocol error or a run longer than maxCycles prints {@code ERROR ...} and exits with 3.
 */
final class LayerHarnessSource {
  private LayerHarnessSource() {}

  static String generate(LayerPlan plan, String paramsHeader) {
    return generate(plan, paramsHeader, LayerRun.TOP, LayerRegisters.CTRL);
  }

  /**
   * The harness of any top with the layer top's ports ({@code ModelTop} too): {@code G} writes START
   * to {@code ctrlAddress} and waits for irq.
   */
  static String generate(LayerPlan plan, String paramsHeader, String top, long ctrlAddress) {
    return generate(plan, paramsHeader, top, ctrlAddress, 0);
  }

  /** With an AXI4 master m_axi_* of {@code memoryAddressBits} (0: none), served by {@link AxiMemorySource}. */
  static String generate(LayerPlan plan, String paramsHeader, String top, long ctrlAddress, int memoryAddressBits) {
    int lanes = plan.lanes();
    int bits = plan.elementBits();
    int width = lanes * bits;
    return TEMPLATE
        .replace("@MAIN@", HarnessMain.SOURCE)
        .replace("@HEADER@", paramsHeader)
        .replace("@LANES@", Integer.toString(lanes))
        .replace("@BITS@", Integer.toString(bits))
        .replace("@WORDS@", Integer.toString((width + 31) / 32))
        .replace("@SET_TDATA@", assign(width, "top->s_axis_tdata", true))
        .replace("@GET_TDATA@", assign(width, "top->m_axis_tdata", false))
        .replace("@CTRL@", Long.toString(ctrlAddress))
        .replace("@MEMORY@", AxiMemorySource.of("m_axi_", memoryAddressBits))
        .replace("@TOP@", top);
  }

  /** Copies between the packed word array {@code w} and a Verilator port of {@code width} bits. */
  private static String assign(int width, String port, boolean toPort) {
    if (width <= 64) {
      String packed = width <= 32 ? "(uint64_t)w[0]" : "((uint64_t)w[1] << 32 | w[0])";
      return toPort ? "  " + port + " = " + packed + ";\n"
          : "  uint64_t v = " + port + "; w[0] = (uint32_t)v;" + (width > 32 ? " w[1] = (uint32_t)(v >> 32);" : "") + "\n";
    }
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < (width + 31) / 32; i++) {
      b.append(toPort ? "  " + port + "[" + i + "] = w[" + i + "];\n" : "  w[" + i + "] = " + port + "[" + i + "];\n");
    }
    return b.toString();
  }

  private static final String TEMPLATE = """
      // pimforge co-simulation harness for @TOP@ (generated from the design's layer plan).
      #include <cstdint>
      #include <cstdio>
      #include <cstdlib>
      #include <cstring>
      #include <vector>
      #include <pthread.h>
      #include "V@TOP@.h"
      #include "verilated.h"
      #include "@HEADER@"
      #if VM_TRACE_FST
      #include "verilated_fst_c.h"
      #endif

      static const int LANES = @LANES@;
      static const int BITS = @BITS@;
      static const int WORDS = @WORDS@;

      static V@TOP@* top;
      static uint64_t cycles = 0;
      static uint64_t stall_state = 88172645463325252ull;
      static int stall_percent = 0;
      #if VM_TRACE_FST
      static VerilatedFstC* waves = nullptr;
      #endif

      struct Beat { std::vector<int64_t> v; bool last; };
      static std::vector<Beat> in_queue;
      static size_t in_pos = 0;
      static std::vector<Beat> out_beats;
      // AXI4-Lite handshakes seen in the last step.
      static bool aw_fire, w_fire, b_fire, ar_fire, r_fire;
      static uint32_t r_data;

      static void fail(const char* what) {
        printf("ERROR %s at cycle %llu\\n", what, (unsigned long long)cycles);
        fflush(stdout);
        exit(3);
      }

      static bool stall() {
        if (stall_percent == 0) return false;
        stall_state ^= stall_state << 13; stall_state ^= stall_state >> 7; stall_state ^= stall_state << 17;
        return (int)(stall_state % 100) < stall_percent;
      }

      static void pack(const std::vector<int64_t>& v, uint32_t* w) {
        memset(w, 0, sizeof(uint32_t) * WORDS);
        for (int l = 0; l < LANES; l++) {
          uint64_t x = (uint64_t)v[l];
          for (int b = 0; b < BITS; b++) {
            int bit = l * BITS + b;
            if ((x >> b) & 1) w[bit / 32] |= 1u << (bit % 32);
          }
        }
      }

      static std::vector<int64_t> unpack(const uint32_t* w) {
        std::vector<int64_t> v(LANES);
        for (int l = 0; l < LANES; l++) {
          uint64_t x = 0;
          for (int b = 0; b < BITS; b++) {
            int bit = l * BITS + b;
            x |= (uint64_t)((w[bit / 32] >> (bit % 32)) & 1) << b;
          }
          if (BITS < 64 && ((x >> (BITS - 1)) & 1)) x |= ~0ull << BITS;
          v[l] = (int64_t)x;
        }
        return v;
      }

      static void set_tdata(const std::vector<int64_t>& v) {
        uint32_t w[WORDS];
        pack(v, w);
      @SET_TDATA@}

      static std::vector<int64_t> get_tdata() {
        uint32_t w[WORDS];
      @GET_TDATA@  return unpack(w);
      }

      @MEMORY@
      static void tick() {
        mem_before_edge();
        top->clock = 0; top->eval();
      #if VM_TRACE_FST
        if (waves) waves->dump(2 * cycles);
      #endif
        top->clock = 1; top->eval();
      #if VM_TRACE_FST
        if (waves) waves->dump(2 * cycles + 1);
      #endif
        cycles++;
        mem_after_edge();
      }

      // One clock cycle: streams advance; the AXI4-Lite signals the caller set are sampled.
      static void step() {
        bool sv = in_pos < in_queue.size() && !stall();
        if (sv) { set_tdata(in_queue[in_pos].v); top->s_axis_tlast = in_queue[in_pos].last; }
        top->s_axis_tvalid = sv;
        bool mr = !stall();
        top->m_axis_tready = mr;
        top->eval();
        bool s_fire = sv && top->s_axis_tready;
        if (mr && top->m_axis_tvalid) out_beats.push_back(Beat{get_tdata(), (bool)top->m_axis_tlast});
        aw_fire = top->s_axil_awvalid && top->s_axil_awready;
        w_fire = top->s_axil_wvalid && top->s_axil_wready;
        b_fire = top->s_axil_bvalid && top->s_axil_bready;
        ar_fire = top->s_axil_arvalid && top->s_axil_arready;
        r_fire = top->s_axil_rvalid && top->s_axil_rready;
        if (r_fire) r_data = top->s_axil_rdata;
        tick();
        if (s_fire) in_pos++;
      }

      static const long AXIL_TIMEOUT = 1000;

      static void axil_write(uint32_t addr, uint32_t data) {
        top->s_axil_awaddr = addr; top->s_axil_awvalid = 1;
        top->s_axil_wdata = data; top->s_axil_wstrb = 0xF; top->s_axil_wvalid = 1;
        top->s_axil_bready = 0;
        bool aw = false, w = false;
        for (long i = 0; !(aw && w); i++) {
          step();
          if (aw_fire) { aw = true; top->s_axil_awvalid = 0; }
          if (w_fire) { w = true; top->s_axil_wvalid = 0; }
          if (i > AXIL_TIMEOUT) fail("AXI4-Lite write not accepted");
        }
        top->s_axil_bready = 1;
        for (long i = 0; ; i++) {
          step();
          if (b_fire) break;
          if (i > AXIL_TIMEOUT) fail("AXI4-Lite write response missing");
        }
        top->s_axil_bready = 0;
      }

      static uint32_t axil_read(uint32_t addr) {
        top->s_axil_araddr = addr; top->s_axil_arvalid = 1; top->s_axil_rready = 0;
        for (long i = 0; ; i++) {
          step();
          if (ar_fire) break;
          if (i > AXIL_TIMEOUT) fail("AXI4-Lite read not accepted");
        }
        top->s_axil_arvalid = 0; top->s_axil_rready = 1;
        for (long i = 0; ; i++) {
          step();
          if (r_fire) break;
          if (i > AXIL_TIMEOUT) fail("AXI4-Lite read data missing");
        }
        top->s_axil_rready = 0;
        return r_data;
      }

      static int run(int argc, char** argv) {
        const char* waves_path = nullptr;
        for (int i = 1; i < argc; i++) {
          if (!strcmp(argv[i], "--stall-seed") && i + 1 < argc) { uint64_t s = strtoull(argv[++i], 0, 10); if (s) stall_state = s; }
          else if (!strcmp(argv[i], "--stall-percent") && i + 1 < argc) stall_percent = atoi(argv[++i]);
          else if (!strcmp(argv[i], "--waves") && i + 1 < argc) waves_path = argv[++i];
        }
        Verilated::commandArgs(1, argv);
        top = new V@TOP@;
      #if VM_TRACE_FST
        if (waves_path) {
          Verilated::traceEverOn(true);
          waves = new VerilatedFstC;
          top->trace(waves, 99);
          waves->open(waves_path);
        }
      #else
        if (waves_path) fail("this harness was built without FST tracing");
      #endif
        printf("HASH %s\\n", PIMFORGE_DESIGN_HASH);
        top->reset = 1;
        for (int i = 0; i < 4; i++) tick();
        top->reset = 0;
        uint64_t start_all = cycles;
        char tag[8];
        while (scanf("%7s", tag) == 1) {
          if (!strcmp(tag, "W")) {
            unsigned long addr, data;
            if (scanf("%lu %lu", &addr, &data) != 2) fail("bad W");
            axil_write((uint32_t)addr, (uint32_t)data);
          } else if (!strcmp(tag, "R")) {
            unsigned long addr;
            if (scanf("%lu", &addr) != 1) fail("bad R");
            printf("V %lu\\n", (unsigned long)axil_read((uint32_t)addr));
          } else if (!strcmp(tag, "S")) {
            long n;
            if (scanf("%ld", &n) != 1) fail("bad S");
            for (long b = 0; b < n; b++) {
              Beat beat{std::vector<int64_t>(LANES), b == n - 1};
              for (int l = 0; l < LANES; l++) {
                long long v;
                if (scanf("%lld", &v) != 1) fail("short S");
                beat.v[l] = v;
              }
              in_queue.push_back(beat);
            }
          } else if (!strcmp(tag, "G")) {
            unsigned long long max_cycles;
            if (scanf("%llu", &max_cycles) != 1) fail("bad G");
            uint64_t start = cycles;
            axil_write(@CTRL@, 1);
            while (true) {
              top->eval();
              if (top->irq) break;
              if (cycles - start > max_cycles) fail("program did not reach END within the cycle limit");
              step();
            }
            printf("D %llu\\n", (unsigned long long)(cycles - start));
          } else if (!strcmp(tag, "O")) {
            long lasts = 0;
            for (const Beat& b : out_beats) lasts += b.last;
            printf("O %zu %ld", out_beats.size(), lasts);
            for (const Beat& b : out_beats) for (int64_t v : b.v) printf(" %lld", (long long)v);
            printf("\\n");
            out_beats.clear();
          } else {
            fail("unknown command");
          }
          fflush(stdout);
        }
        if (in_pos != in_queue.size()) fail("s_axis beats left unconsumed");
        mem_dump();
        printf("END %llu\\n", (unsigned long long)(cycles - start_all));
      #if VM_TRACE_FST
        if (waves) waves->close();
      #endif
        top->final();
        delete top;
        return 0;
      }

      @MAIN@
      """;
}
