// libsystemc.so defines main() and needs an sc_main. The harnesses have
// libFuzzer's main (the executable's wins), and the SystemC harness builds
// its world without sc_elab_and_sim, so sc_main is never called.
extern "C" int sc_main(int, char**) { return 0; }
