// Local time of one SystemC thread, for both timing modes.
//
// Behaviour code never waits itself; whoever runs it charges time here.
//  - accurate: spend() only accumulates; sync() waits it out. Callers sync
//    before every bus transaction and before every change other parts can
//    see, so each access starts at its true time and contention is exact.
//  - fast: loosely timed. sync() is a no-op until the local offset reaches
//    the global quantum (tlm_global_quantum), then the thread yields once.
// On an idle system both modes give the same time stamps: the same delays
// are added in the same order, only the number of kernel resumes differs.
//
// A no-wait timeline (set_no_wait) belongs to code running inside another
// process's call (e.g. a target's b_transport): sync() never waits there,
// whatever the mode, and sync_now() is an error (SC_REPORT_ERROR).
// Whoever uses one makes sure nothing on its path has to catch up.
#pragma once

#include <cmath>
#include <cstdint>

#include <systemc>
#include <tlm>

namespace itsim {

// sc_core::sc_time_stamp() without the call into the kernel library (the
// same value: the current simulation context's time), for hot paths.
// The context's creation (before any exists) out of line, so that the
// callers' fast path is two loads.
[[gnu::noinline, gnu::cold]] inline const sc_core::sc_time& kernel_time_first() {
    return sc_core::sc_get_curr_simcontext()->time_stamp();
}
inline const sc_core::sc_time& kernel_time() {
    const sc_core::sc_simcontext* c = sc_core::sc_curr_simcontext;
    return c ? c->time_stamp() : kernel_time_first();
}

// The kernel's time resolution against 1 ps: steps per picosecond (>= 1;
// 1 at SystemC's default), or 0 when a step is longer than 1 ps; and
// picoseconds per step for that case.
inline uint64_t time_steps_per_ps() {
    const double res = sc_core::sc_get_time_resolution().to_seconds();
    return res <= 1e-12 ? uint64_t(std::llround(1e-12 / res)) : 0;
}
inline uint64_t time_ps_per_step() {
    return uint64_t(std::llround(sc_core::sc_get_time_resolution().to_seconds() * 1e12));
}

// A time in picoseconds (whole picoseconds under a finer resolution): the
// records' unit. The resolution is read at the first call, when it is
// fixed (a time exists); at the default a time is its own count.
namespace detail {
inline uint64_t steps_per_ps_seen = ~uint64_t{0};   // not read yet
// Out of line: the callers' fast path (the default resolution) stays a
// load and a compare, with no registers saved for this one.
[[gnu::noinline, gnu::cold]] inline uint64_t to_ps_general(const sc_core::sc_time& t) {
    if (steps_per_ps_seen == ~uint64_t{0}) steps_per_ps_seen = time_steps_per_ps();
    const uint64_t n = steps_per_ps_seen;
    return n == 1 ? t.value() : n ? t.value() / n : t.value() * time_ps_per_step();
}
}  // namespace detail
inline uint64_t to_ps(const sc_core::sc_time& t) {
    return detail::steps_per_ps_seen == 1 ? t.value() : detail::to_ps_general(t);
}

// Called before a thread waits inside a model call that must then keep
// its own steps at their times (a coalescing redistributor's entry points,
// redist_coalesce.cpp); null unless a model installed it.
namespace detail {
inline void (*before_wait)() = nullptr;
}  // namespace detail
inline void about_to_wait() {
    if (detail::before_wait) detail::before_wait();
}

enum class TimingMode { accurate, fast };

// The TLM global quantum object (one per program: a reference to it stays
// valid), found once instead of by a library call per sync.
inline const tlm::tlm_global_quantum& global_quantum() {
    static const tlm::tlm_global_quantum& q = tlm::tlm_global_quantum::instance();
    return q;
}

class Timeline {
public:
    explicit Timeline(TimingMode mode = TimingMode::accurate) : mode_(mode) {}

    TimingMode mode() const { return mode_; }
    void set_mode(TimingMode m) { mode_ = m; }

    // Current time as seen by this thread (kernel time plus local offset).
    sc_core::sc_time now() const { return kernel_time() + local_; }
    const sc_core::sc_time& local() const { return local_; }

    void spend(const sc_core::sc_time& t) { local_ += t; }
    // Replace the local offset (an LT call returned an updated delay).
    void set_local(const sc_core::sc_time& t) { local_ = t; }

    void set_no_wait(bool v) { no_wait_ = v; }
    bool no_wait() const { return no_wait_; }

    // What this thread is working on, as an opaque word its owner sets (an
    // MSI, a command; see LpiCause in lpi_target.h); parts it calls copy it
    // into their reports. Costs nothing and changes no time.
    void set_context(uint64_t c) { context_ = c; }
    uint64_t context() const { return context_; }

    // accurate: wait out the local offset now. fast: only past the quantum.
    void sync() {
        if (local_ == sc_core::SC_ZERO_TIME || no_wait_) return;
        if (mode_ == TimingMode::fast &&
            local_ < global_quantum().get()) return;
        sync_now();
    }
    // Wait out the local offset whatever the mode (before blocking on an
    // event, which must not happen with time still owed).
    void sync_now() {
        sc_core::sc_time t;
        if (take_owed("sync_now() on a no-wait timeline", t)) sc_core::wait(t);
    }

    // sync_now(), watching `e` meanwhile: true when e fired before the
    // offset was out (the wait still runs to the offset's end), false when
    // it did not (or nothing was owed). A poller uses it to tell whether
    // what it read at the end of its access can have changed since.
    bool sync_now_watching(const sc_core::sc_event& e) {
        sc_core::sc_time t;
        if (!take_owed("sync_now_watching() on a no-wait timeline", t)) return false;
        const sc_core::sc_time until = kernel_time() + t;
        sc_core::wait(t, e);
        if (sc_core::timed_out()) return false;
        if (kernel_time() < until) {
            about_to_wait();
            sc_core::wait(until - kernel_time());
        }
        return true;
    }

private:
    // Before a wait: the offset owed, taken (true), or nothing to wait for
    // (false: none owed, or a no-wait timeline, which is reported).
    bool take_owed(const char* no_wait_error, sc_core::sc_time& t) {
        if (local_ == sc_core::SC_ZERO_TIME) return false;
        if (no_wait_) {
            SC_REPORT_ERROR("itsim/timeline", no_wait_error);
            return false;
        }
        t = local_;
        local_ = sc_core::SC_ZERO_TIME;
        about_to_wait();
        return true;
    }

    TimingMode mode_;
    bool no_wait_ = false;
    uint64_t context_ = 0;
    sc_core::sc_time local_ = sc_core::SC_ZERO_TIME;
};

}  // namespace itsim
