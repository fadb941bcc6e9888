package pimforge.cosim;

import pimforge.ports.StreamPorts;

/**
 * C++ source of the generic Verilator harness for a unit with {@link StreamPorts}. It runs whole
 * transactions natively (never one JVM call per signal).
 *
 * <p>Protocol on stdin, one transaction per line: {@code T op expectOut n v1..vn}: send command
 * {@code op} (if the unit has a command port), stream the n values as beats ({@code last} on the
 * final one), then, if {@code expectOut} is 1, collect result beats up to {@code last}, else wait
 * until the unit is no longer busy. Answer on stdout: {@code R cycles v...}. First line printed:
 * {@code HASH <design hash>} (from the design's parameter header, to catch a stale build); last
 * line {@code END cycles}. A hang (no handshake for --watchdog cycles) or protocol error prints
 * {@code ERROR ...} and exits with 3.
 *
 * <p>A unit with an AXI4 master ({@link StreamPorts#memoryAddressBits()} > 0) is served by a memory
 * model of 2^addressBits bytes, zero at reset: one write and one read burst at a time (INCR,
 * 8-byte beats, WSTRB honoured), a fixed read latency ({@link StreamPorts#HARNESS_READ_LATENCY}), and with stalls enabled a second seeded
 * generator that withholds AWREADY/WREADY/ARREADY and delays BVALID/RVALID (never drops a valid
 * once raised, as AXI requires). Before END it prints {@code MEM <hex bytes>} of the whole memory.
 */
final class StreamHarnessSource {
  private StreamHarnessSource() {}

  static String generate(StreamPorts ports, String paramsHeader) {
    StringBuilder setIn = new StringBuilder();
    for (int l = 0; l < ports.inLanes(); l++) {
      setIn.append("  top->io_in_bits_data_").append(l).append(" = (uint64_t)v[").append(l)
          .append("] & IN_MASK;\n");
    }
    StringBuilder getOut = new StringBuilder();
    for (int l = 0; l < ports.outLanes(); l++) {
      getOut.append("  out.push_back(sign_extend(top->io_out_bits_data_").append(l).append(", OUT_BITS));\n");
    }
    String cmd = ports.cmdBits() == 0 ? "  (void)op;\n" : """
          long idle = 0;
          for (;;) {
            bool offer = !stall();
            top->io_cmd_valid = offer; top->io_cmd_bits = op; top->eval();
            bool fire = offer && top->io_cmd_ready;
            tick();
            if (fire) break;
            if (++idle > watchdog) fail("command not accepted");
          }
          top->io_cmd_valid = 0;
        """;
    return TEMPLATE
        .replace("@MAIN@", HarnessMain.SOURCE)
        .replace("@TOP@", ports.top())
        .replace("@HEADER@", paramsHeader)
        .replace("@IN_LANES@", Integer.toString(ports.inLanes()))
        .replace("@IN_BITS@", Integer.toString(ports.inBits()))
        .replace("@OUT_BITS@", Integer.toString(ports.outBits()))
        .replace("@SEND_CMD@", cmd)
        .replace("@SET_IN@", setIn)
        .replace("@GET_OUT@", getOut)
        .replace("@MEMORY@", ports.memoryAddressBits() == 0 ? NO_MEMORY
            : MEMORY.replace("@ADDR_BITS@", Integer.toString(ports.memoryAddressBits()))
                .replace("@READ_LATENCY@", Integer.toString(StreamPorts.HARNESS_READ_LATENCY)));
  }

  private static final String NO_MEMORY = """
      static void mem_before_edge() {}
      static void mem_after_edge() {}
      static void mem_dump() {}
      """;

  /** The AXI4 slave memory model (signals io_m_axi_*, the names of pimforge.hw.kvcache.Axi4Master). */
  private static final String MEMORY = """
      static const int MEM_ADDR_BITS = @ADDR_BITS@;
      static std::vector<uint8_t> mem_bytes((size_t)1 << MEM_ADDR_BITS, 0);
      static uint64_t mem_stall_state = 0x9E3779B97F4A7C15ull;
      static bool mem_stall() {
        if (stall_percent == 0) return false;
        mem_stall_state ^= mem_stall_state << 13; mem_stall_state ^= mem_stall_state >> 7; mem_stall_state ^= mem_stall_state << 17;
        return (int)(mem_stall_state % 100) < stall_percent;
      }
      static const int READ_LATENCY = @READ_LATENCY@;
      static bool w_open = false, b_due = false, r_open = false;
      static uint64_t w_addr = 0, r_addr = 0;
      static int w_left = 0, r_left = 0, r_wait = 0;
      static bool aw_fire, w_fire, b_fire, ar_fire, r_fire;
      static uint64_t aw_addr, ar_addr;
      static int aw_len, ar_len;
      static void mem_check(uint64_t addr) {
        if (addr + 8 > mem_bytes.size()) fail("AXI4 access outside the memory model");
      }
      // Drives the slave side for this cycle and notes the handshakes (evaluated before the edge).
      static void mem_before_edge() {
        top->io_m_axi_awready = !w_open && !b_due && !mem_stall();
        top->io_m_axi_wready = w_open && !mem_stall();
        if (b_due && !top->io_m_axi_bvalid) top->io_m_axi_bvalid = !mem_stall();
        top->io_m_axi_bresp = 0;
        top->io_m_axi_arready = !r_open && !mem_stall();
        if (r_open && r_wait == 0 && !top->io_m_axi_rvalid) top->io_m_axi_rvalid = !mem_stall();
        if (top->io_m_axi_rvalid) {
          mem_check(r_addr);
          uint64_t v = 0;
          for (int k = 0; k < 8; k++) v |= (uint64_t)mem_bytes[r_addr + k] << (8 * k);
          top->io_m_axi_rdata = v;
          top->io_m_axi_rlast = r_left == 1;
          top->io_m_axi_rresp = 0;
        }
        top->eval();
        aw_fire = top->io_m_axi_awvalid && top->io_m_axi_awready;
        w_fire = top->io_m_axi_wvalid && top->io_m_axi_wready;
        b_fire = top->io_m_axi_bvalid && top->io_m_axi_bready;
        ar_fire = top->io_m_axi_arvalid && top->io_m_axi_arready;
        r_fire = top->io_m_axi_rvalid && top->io_m_axi_rready;
        // Address channels are sampled at the handshake, before the edge moves the master on.
        if (aw_fire) {
          if (top->io_m_axi_awburst != 1 || top->io_m_axi_awsize != 3) fail("only INCR bursts of 8-byte beats are modelled");
          aw_addr = top->io_m_axi_awaddr; aw_len = top->io_m_axi_awlen + 1;
        }
        if (ar_fire) {
          if (top->io_m_axi_arburst != 1 || top->io_m_axi_arsize != 3) fail("only INCR bursts of 8-byte beats are modelled");
          ar_addr = top->io_m_axi_araddr; ar_len = top->io_m_axi_arlen + 1;
        }
        if (w_fire) {
          mem_check(w_addr);
          uint64_t v = top->io_m_axi_wdata;
          for (int k = 0; k < 8; k++) if ((top->io_m_axi_wstrb >> k) & 1) mem_bytes[w_addr + k] = (uint8_t)(v >> (8 * k));
          if ((bool)top->io_m_axi_wlast != (w_left == 1)) fail("WLAST does not match AWLEN");
        }
      }
      static void mem_after_edge() {
        if (aw_fire) { w_open = true; w_addr = aw_addr; w_left = aw_len; }
        if (w_fire) { w_addr += 8; if (--w_left == 0) { w_open = false; b_due = true; } }
        if (b_fire) { b_due = false; top->io_m_axi_bvalid = 0; }
        if (ar_fire) {
          r_open = true; r_addr = ar_addr; r_left = ar_len; r_wait = READ_LATENCY;
        } else if (r_open && r_wait > 0) {
          r_wait--;
        }
        if (r_fire) {
          r_addr += 8;
          top->io_m_axi_rvalid = 0;
          if (--r_left == 0) r_open = false;
        }
      }
      static void mem_dump() {
        printf("MEM ");
        for (uint8_t b : mem_bytes) printf("%02x", b);
        printf("\\n");
      }
      """;

  private static final String TEMPLATE = """
      // pimforge co-simulation harness for @TOP@ (generated from the design's parameter record).
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

      static const int IN_LANES = @IN_LANES@;
      static const int IN_BITS = @IN_BITS@;
      static const int OUT_BITS = @OUT_BITS@;
      static const uint64_t IN_MASK = (1ull << IN_BITS) - 1;

      static V@TOP@* top;
      static uint64_t cycles = 0;
      static uint64_t stall_state = 88172645463325252ull;
      static int stall_percent = 0;
      static long watchdog = 100000;
      #if VM_TRACE_FST
      static VerilatedFstC* waves = nullptr;
      #endif

      static void fail(const char* what) {
        printf("ERROR %s at cycle %llu\\n", what, (unsigned long long)cycles);
        fflush(stdout);
        exit(3);
      }

      static int64_t sign_extend(uint64_t v, int bits) {
        if (bits < 64) v &= (1ull << bits) - 1;
        uint64_t m = 1ull << (bits - 1);
        return (int64_t)((v ^ m) - m);
      }

      // Seeded xorshift: the host randomly withholds valid/ready to exercise flow control.
      static bool stall() {
        if (stall_percent == 0) return false;
        stall_state ^= stall_state << 13; stall_state ^= stall_state >> 7; stall_state ^= stall_state << 17;
        return (int)(stall_state % 100) < stall_percent;
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

      static void set_in(const int64_t* v) {
      @SET_IN@}

      static void get_out(std::vector<int64_t>& out) {
      @GET_OUT@}

      static void send_command(int op) {
      @SEND_CMD@}

      // Full duplex: while input beats go in, result beats already produced are taken (when
      // `out` is given), so a streaming unit need not buffer a whole packet.
      static bool out_done = false;
      static void send_beats(const std::vector<int64_t>& values, std::vector<int64_t>* out) {
        long beats = (long)values.size() / IN_LANES;
        for (long b = 0; b < beats; b++) {
          set_in(&values[b * IN_LANES]);
          top->io_in_bits_last = b == beats - 1;
          long idle = 0;
          for (;;) {
            bool offer = !stall();
            bool take = out && !out_done && !stall();
            top->io_in_valid = offer; top->io_out_ready = take; top->eval();
            bool fire = offer && top->io_in_ready;
            if (take && top->io_out_valid) {
              if (top->io_out_bits_last) out_done = true;
              get_out(*out);
            }
            tick();
            if (fire) break;
            if (++idle > watchdog) fail("input beat not accepted");
          }
        }
        top->io_in_valid = 0; top->io_out_ready = 0;
      }

      static void receive_packet(std::vector<int64_t>& out) {
        while (!out_done) {
          long idle = 0;
          for (;;) {
            bool take = !stall();
            top->io_out_ready = take; top->eval();
            if (take && top->io_out_valid) {
              bool last = top->io_out_bits_last;
              get_out(out);
              tick();
              if (last) { top->io_out_ready = 0; out_done = true; return; }
              break;
            }
            tick();
            if (++idle > watchdog) fail("result beat never came");
          }
        }
      }

      static void wait_idle() {
        long idle = 0;
        top->eval();
        while (top->io_busy) { tick(); if (++idle > watchdog) fail("unit stayed busy"); }
      }

      static int run(int argc, char** argv) {
        const char* waves_path = nullptr;
        for (int i = 1; i < argc; i++) {
          if (!strcmp(argv[i], "--stall-seed") && i + 1 < argc) { uint64_t s = strtoull(argv[++i], 0, 10); if (s) stall_state = s; }
          else if (!strcmp(argv[i], "--stall-percent") && i + 1 < argc) stall_percent = atoi(argv[++i]);
          else if (!strcmp(argv[i], "--watchdog") && i + 1 < argc) watchdog = atol(argv[++i]);
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
        std::vector<int64_t> values, out;
        char tag[8];
        while (scanf("%7s", tag) == 1) {
          int op, expect_out;
          long n;
          if (tag[0] != 'T' || scanf("%d %d %ld", &op, &expect_out, &n) != 3) fail("bad transaction header");
          if (n % IN_LANES != 0) fail("transaction length is not a whole number of beats");
          values.resize(n);
          for (long i = 0; i < n; i++) {
            long long v;
            if (scanf("%lld", &v) != 1) fail("short transaction");
            values[i] = v;
          }
          uint64_t start = cycles;
          send_command(op);
          out.clear();
          out_done = false;
          send_beats(values, expect_out ? &out : nullptr);
          if (expect_out) receive_packet(out); else wait_idle();
          printf("R %llu", (unsigned long long)(cycles - start));
          for (int64_t v : out) printf(" %lld", (long long)v);
          printf("\\n");
        }
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
