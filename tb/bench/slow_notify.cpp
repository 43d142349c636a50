// A deliberately slowed itsim for the budget's whole-run rows
// (tools/ir_budget.sh --slowdown N; the CTest entry
// bench.ir_budget_detects_slowdown). itsim_bench has a --slowdown option
// of its own; `itsim run` has none, and should not: so this library, loaded
// with LD_PRELOAD, stands in for libsystemc's
//     void sc_core::sc_event::notify(const sc_core::sc_time&)
// (by its mangled name: the program calls it through the PLT; delta
// notifications with SC_ZERO_TIME come through it too), turns an empty
// loop ITSIM_SLOW_TURNS times (default 0) and calls the real one. A hot
// MSI notifies at least once, so the run costs at least that many loop
// turns more per MSI, and nothing else changes: the same events, in the
// same order, at the same times.

#include <dlfcn.h>

#include <cstdio>
#include <cstdlib>

namespace {
using NotifyFn = void (*)(void* event, const void* delay);   // `this` first (Itanium C++ ABI)
NotifyFn real_notify;
unsigned long turns;

// Looked up at the first call, not when loaded: the preload also reaches
// programs without SystemC (valgrind's launcher, a shell).
NotifyFn find_real() {
    const char* t = std::getenv("ITSIM_SLOW_TURNS");
    turns = t ? std::strtoul(t, nullptr, 10) : 0;
    auto f = reinterpret_cast<NotifyFn>(dlsym(RTLD_NEXT, "_ZN7sc_core8sc_event6notifyERKNS_7sc_timeE"));
    if (!f) {
        std::fprintf(stderr, "slow_notify: sc_event::notify(const sc_time&) not found: %s\n", dlerror());
        std::abort();
    }
    return f;
}
}  // namespace

volatile unsigned long slow_notify_sink;

extern "C" void _ZN7sc_core8sc_event6notifyERKNS_7sc_timeE(void* event, const void* delay) {
    if (!real_notify) real_notify = find_real();
    for (unsigned long i = 0; i < turns; ++i) slow_notify_sink = i;
    real_notify(event, delay);
}
