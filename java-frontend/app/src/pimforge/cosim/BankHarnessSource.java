package pimforge.cosim;

import pimforge.params.HwParams;

/**
 * C++ source of the Verilator harness for {@code PimBank}. The harness runs whole transactions
 * natively (never one JVM call per signal) and takes its dimensions from the design's generated
 * parameter header, so it cannot drift from the RTL.
 *
 * <p>Protocol on stdin, one transaction per line: {@code W v...} loads the bank's weights (values
 * in stream order), {@code X v...} multiplies an input vector. Answers on stdout: {@code L cycles},
 * {@code Y cycles y...}, and {@code END cycles} at the end. A protocol error or a hang prints
 * {@code ERROR ...} and exits with 3.
 */
final class BankHarnessSource {
  private BankHarnessSource() {}

  static String generate(HwParams p, String paramsHeader) {
    int lanes = p.crossbar().lanes();
    StringBuilder setIn = new StringBuilder();
    StringBuilder getOut = new StringBuilder();
    for (int l = 0; l < lanes; l++) {
      setIn.append("  top->io_in_bits_data_").append(l).append(" = (uint64_t)v[").append(l)
          .append("] & ELEM_MASK;\n");
      getOut.append("  out[").append(l).append("] = sign_extend(top->io_out_bits_data_").append(l)
          .append(", ACC_BITS);\n");
    }
    return TEMPLATE
        .replace("@HEADER@", paramsHeader)
        .replace("@SET_IN@", setIn)
        .replace("@GET_OUT@", getOut);
  }

  private static final String TEMPLATE = """
      // pimforge co-simulation harness for PimBank (generated from the design's parameter record).
      #include <cstdint>
      #include <cstdio>
      #include <cstdlib>
      #include <cstring>
      #include <vector>
      #include <pthread.h>
      #include "VPimBank.h"
      #include "verilated.h"
      #include "@HEADER@"
      #if VM_TRACE_FST
      #include "verilated_fst_c.h"
      #endif

      static const int LANES = PIMFORGE_CROSSBAR_LANES;
      static const int ELEM_BITS = PIMFORGE_DERIVED_STREAM_ELEMENT_BITS;
      static const int ACC_BITS = PIMFORGE_DERIVED_ACCUMULATOR_BITS;
      static const uint64_t ELEM_MASK = (1ull << ELEM_BITS) - 1;
      static const long WEIGHT_VALUES = (long)PIMFORGE_BANK_TILE_GRID_ROWS * PIMFORGE_BANK_TILE_GRID_COLS
          * PIMFORGE_CROSSBAR_ROWS * PIMFORGE_CROSSBAR_COLS;
      static const long INPUTS = PIMFORGE_DERIVED_BANK_INPUTS;
      static const long OUTPUTS = PIMFORGE_DERIVED_BANK_OUTPUTS;
      // A transaction that makes no handshake for this long has hung.
      static const long WATCHDOG = 1000 + 4L * PIMFORGE_DERIVED_WORDS_PER_TILE * PIMFORGE_PRECISION_INPUT_BITS;

      static VPimBank* top;
      static uint64_t cycles = 0;
      static uint64_t stall_state = 0;
      static int stall_percent = 0;
      #if VM_TRACE_FST
      static VerilatedFstC* waves = nullptr;
      #endif

      static void fail(const char* what) {
        printf("ERROR %s at cycle %llu\\n", what, (unsigned long long)cycles);
        fflush(stdout);
        exit(3);
      }

      static int64_t sign_extend(uint64_t v, int bits) {
        uint64_t m = 1ull << (bits - 1);
        v &= (bits == 64) ? ~0ull : ((1ull << bits) - 1);
        return (int64_t)((v ^ m) - m);
      }

      // Seeded xorshift: the host randomly withholds valid/ready to exercise flow control.
      static bool stall() {
        if (stall_percent == 0) return false;
        stall_state ^= stall_state << 13; stall_state ^= stall_state >> 7; stall_state ^= stall_state << 17;
        return (int)(stall_state % 100) < stall_percent;
      }

      static void tick() {
        top->clock = 0; top->eval();
      #if VM_TRACE_FST
        if (waves) waves->dump(2 * cycles);
      #endif
        top->clock = 1; top->eval();
      #if VM_TRACE_FST
        if (waves) waves->dump(2 * cycles + 1);
      #endif
        cycles++;
      }

      static void set_in(const int64_t* v) {
      @SET_IN@}

      static void get_out(int64_t* out) {
      @GET_OUT@}

      static void send_command(int op) {
        long idle = 0;
        for (;;) {
          bool offer = !stall();
          top->io_cmd_valid = offer; top->io_cmd_bits = op; top->eval();
          bool fire = offer && top->io_cmd_ready;
          tick();
          if (fire) break;
          if (++idle > WATCHDOG) fail("command not accepted");
        }
        top->io_cmd_valid = 0;
      }

      static void send_beats(const std::vector<int64_t>& values) {
        long beats = (long)values.size() / LANES;
        for (long b = 0; b < beats; b++) {
          set_in(&values[b * LANES]);
          top->io_in_bits_last = b == beats - 1;
          long idle = 0;
          for (;;) {
            bool offer = !stall();
            top->io_in_valid = offer; top->eval();
            bool fire = offer && top->io_in_ready;
            tick();
            if (fire) break;
            if (++idle > WATCHDOG) fail("input beat not accepted");
          }
        }
        top->io_in_valid = 0;
      }

      static void receive_beats(std::vector<int64_t>& out) {
        long beats = OUTPUTS / LANES;
        for (long b = 0; b < beats; b++) {
          long idle = 0;
          for (;;) {
            bool take = !stall();
            top->io_out_ready = take; top->eval();
            if (take && top->io_out_valid) {
              get_out(&out[b * LANES]);
              if ((bool)top->io_out_bits_last != (b == beats - 1)) fail("TLAST on the wrong beat");
              tick();
              break;
            }
            tick();
            if (++idle > WATCHDOG) fail("result beat never came");
          }
        }
        top->io_out_ready = 0;
        top->eval();
        if (top->io_out_valid) fail("more result beats than outputs");
      }

      static bool read_values(std::vector<int64_t>& values, long n) {
        values.resize(n);
        for (long i = 0; i < n; i++) {
          long long v;
          if (scanf("%lld", &v) != 1) return false;
          values[i] = v;
        }
        return true;
      }

      static int run(int argc, char** argv) {
        const char* waves_path = nullptr;
        for (int i = 1; i < argc; i++) {
          if (!strcmp(argv[i], "--stall-seed") && i + 1 < argc) stall_state = strtoull(argv[++i], 0, 10);
          else if (!strcmp(argv[i], "--stall-percent") && i + 1 < argc) stall_percent = atoi(argv[++i]);
          else if (!strcmp(argv[i], "--waves") && i + 1 < argc) waves_path = argv[++i];
        }
        if (stall_state == 0) stall_state = 88172645463325252ull;
        Verilated::commandArgs(1, argv);
        top = new VPimBank;
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
        top->reset = 1;
        for (int i = 0; i < 4; i++) tick();
        top->reset = 0;
        uint64_t start_all = cycles;
        std::vector<int64_t> values, out(OUTPUTS);
        char op[8];
        while (scanf("%7s", op) == 1) {
          uint64_t start = cycles;
          if (op[0] == 'W') {
            if (!read_values(values, WEIGHT_VALUES)) fail("short weight transaction");
            send_command(0);
            send_beats(values);
            // The bank returns to idle after the last weight; wait for it.
            long idle = 0;
            while (top->io_busy) { tick(); if (++idle > WATCHDOG) fail("weight load never finished"); }
            printf("L %llu\\n", (unsigned long long)(cycles - start));
          } else if (op[0] == 'X') {
            if (!read_values(values, INPUTS)) fail("short input transaction");
            send_command(1);
            send_beats(values);
            receive_beats(out);
            printf("Y %llu", (unsigned long long)(cycles - start));
            for (long i = 0; i < OUTPUTS; i++) printf(" %lld", (long long)out[i]);
            printf("\\n");
          } else {
            fail("unknown transaction");
          }
        }
        printf("END %llu\\n", (unsigned long long)(cycles - start_all));
      #if VM_TRACE_FST
        if (waves) waves->close();
      #endif
        top->final();
        delete top;
        return 0;
      }

      // Verilator keeps wide temporaries (a whole crossbar column word) on the stack: give the
      // simulation a thread with a stack that large arrays cannot overflow.
      struct Args { int argc; char** argv; int rc; };
      static void* run_thread(void* p) { Args* a = (Args*)p; a->rc = run(a->argc, a->argv); return nullptr; }

      int main(int argc, char** argv) {
        Args args{argc, argv, 1};
        pthread_attr_t attr;
        pthread_attr_init(&attr);
        pthread_attr_setstacksize(&attr, (size_t)1 << 30);
        pthread_t thread;
        if (pthread_create(&thread, &attr, run_thread, &args) != 0) { perror("pthread_create"); return 4; }
        pthread_join(thread, nullptr);
        return args.rc;
      }
      """;
}
