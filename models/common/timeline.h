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

#include <systemc>
#include <tlm>

namespace itsim {

// sc_core::sc_time_stamp() without the call into the kernel library (the
// same value: the current simulation context's time), for hot paths.
inline const sc_core::sc_time& kernel_time() { return sc_core::sc_get_curr_simcontext()->time_stamp(); }

enum class TimingMode { accurate, fast };

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
            local_ < tlm::tlm_global_quantum::instance().get()) return;
        sync_now();
    }
    // Wait out the local offset whatever the mode (before blocking on an
    // event, which must not happen with time still owed).
    void sync_now() {
        if (local_ == sc_core::SC_ZERO_TIME) return;
        if (no_wait_) {
            SC_REPORT_ERROR("itsim/timeline", "sync_now() on a no-wait timeline");
            return;
        }
        sc_core::sc_time t = local_;
        local_ = sc_core::SC_ZERO_TIME;
        sc_core::wait(t);
    }

private:
    TimingMode mode_;
    bool no_wait_ = false;
    uint64_t context_ = 0;
    sc_core::sc_time local_ = sc_core::SC_ZERO_TIME;
};

}  // namespace itsim
