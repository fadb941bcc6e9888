package pimforge.cosim;

/** C++ shared by the generated harnesses: main() runs the harness's run() on a big-stack thread. */
final class HarnessMain {
  private HarnessMain() {}

  /**
   * Verilator keeps wide temporaries (a whole crossbar column word) on the stack: the simulation
   * runs on a thread whose stack large designs cannot overflow. Expects {@code static int run(int, char**)}.
   */
  static final String SOURCE = """
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
