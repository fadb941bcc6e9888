package pimforge.cosim;

/**
 * C++ of the AXI4 slave memory model the harnesses serve a top's AXI4 master with (signals
 * {@code <prefix>awvalid} ..., the names of pimforge.hw.kvcache.Axi4Master): 2^addressBits bytes,
 * zero at reset; one write and one read burst at a time (INCR, 8-byte beats, WSTRB honoured); read
 * data {@link pimforge.ports.StreamPorts#HARNESS_READ_LATENCY} cycles after the address; with host stalls enabled, a second seeded
 * generator withholds AWREADY/WREADY/ARREADY and delays BVALID/RVALID (never dropping a valid once
 * raised, as AXI requires). It defines mem_before_edge() (drive, evaluate, note handshakes),
 * mem_after_edge() and mem_dump() ({@code MEM <hex bytes>}); the harness's tick() calls the first
 * two around the clock edge. Needs {@code top}, {@code fail} and {@code stall_percent}.
 */
final class AxiMemorySource {
  private AxiMemorySource() {}

  /** The model, or empty hooks when {@code addressBits} is 0 (no port). */
  static String of(String prefix, int addressBits) {
    return addressBits == 0 ? NONE
        : MEMORY.replace("@P@", prefix).replace("@ADDR_BITS@", Integer.toString(addressBits))
            .replace("@READ_LATENCY@", Integer.toString(pimforge.ports.StreamPorts.HARNESS_READ_LATENCY));
  }

  private static final String NONE = """
      static void mem_before_edge() {}
      static void mem_after_edge() {}
      static void mem_dump() {}
      """;

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
      static bool mem_w_open = false, mem_b_due = false, mem_r_open = false;
      static uint64_t mem_w_addr = 0, mem_r_addr = 0;
      static int mem_w_left = 0, mem_r_left = 0, mem_r_wait = 0;
      static bool mem_aw_fire, mem_w_fire, mem_b_fire, mem_ar_fire, mem_r_fire;
      static uint64_t mem_aw_addr, mem_ar_addr;
      static int mem_aw_len, mem_ar_len;
      static void mem_check(uint64_t addr) {
        if (addr + 8 > mem_bytes.size()) fail("AXI4 access outside the memory model");
      }
      // Drives the slave side for this cycle and notes the handshakes (evaluated before the edge).
      static void mem_before_edge() {
        top->@P@awready = !mem_w_open && !mem_b_due && !mem_stall();
        top->@P@wready = mem_w_open && !mem_stall();
        if (mem_b_due && !top->@P@bvalid) top->@P@bvalid = !mem_stall();
        top->@P@bresp = 0;
        top->@P@arready = !mem_r_open && !mem_stall();
        if (mem_r_open && mem_r_wait == 0 && !top->@P@rvalid) top->@P@rvalid = !mem_stall();
        if (top->@P@rvalid) {
          mem_check(mem_r_addr);
          uint64_t v = 0;
          for (int k = 0; k < 8; k++) v |= (uint64_t)mem_bytes[mem_r_addr + k] << (8 * k);
          top->@P@rdata = v;
          top->@P@rlast = mem_r_left == 1;
          top->@P@rresp = 0;
        }
        top->eval();
        mem_aw_fire = top->@P@awvalid && top->@P@awready;
        mem_w_fire = top->@P@wvalid && top->@P@wready;
        mem_b_fire = top->@P@bvalid && top->@P@bready;
        mem_ar_fire = top->@P@arvalid && top->@P@arready;
        mem_r_fire = top->@P@rvalid && top->@P@rready;
        // Address channels are sampled at the handshake, before the edge moves the master on.
        if (mem_aw_fire) {
          if (top->@P@awburst != 1 || top->@P@awsize != 3) fail("only INCR bursts of 8-byte beats are modelled");
          mem_aw_addr = top->@P@awaddr; mem_aw_len = top->@P@awlen + 1;
          if ((mem_aw_addr & 4095) + 8ull * mem_aw_len > 4096) fail("AXI4 write burst crosses a 4 KiB boundary");
        }
        if (mem_ar_fire) {
          if (top->@P@arburst != 1 || top->@P@arsize != 3) fail("only INCR bursts of 8-byte beats are modelled");
          mem_ar_addr = top->@P@araddr; mem_ar_len = top->@P@arlen + 1;
          if ((mem_ar_addr & 4095) + 8ull * mem_ar_len > 4096) fail("AXI4 read burst crosses a 4 KiB boundary");
        }
        if (mem_w_fire) {
          mem_check(mem_w_addr);
          uint64_t v = top->@P@wdata;
          for (int k = 0; k < 8; k++) if ((top->@P@wstrb >> k) & 1) mem_bytes[mem_w_addr + k] = (uint8_t)(v >> (8 * k));
          if ((bool)top->@P@wlast != (mem_w_left == 1)) fail("WLAST does not match AWLEN");
        }
      }
      static void mem_after_edge() {
        if (mem_aw_fire) { mem_w_open = true; mem_w_addr = mem_aw_addr; mem_w_left = mem_aw_len; }
        if (mem_w_fire) { mem_w_addr += 8; if (--mem_w_left == 0) { mem_w_open = false; mem_b_due = true; } }
        if (mem_b_fire) { mem_b_due = false; top->@P@bvalid = 0; }
        if (mem_ar_fire) {
          mem_r_open = true; mem_r_addr = mem_ar_addr; mem_r_left = mem_ar_len; mem_r_wait = READ_LATENCY;
        } else if (mem_r_open && mem_r_wait > 0) {
          mem_r_wait--;
        }
        if (mem_r_fire) {
          mem_r_addr += 8;
          top->@P@rvalid = 0;
          if (--mem_r_left == 0) mem_r_open = false;
        }
      }
      static void mem_dump() {
        printf("MEM ");
        for (uint8_t b : mem_bytes) printf("%02x", b);
        printf("\\n");
      }
      """;

}
