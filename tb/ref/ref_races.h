// The race guard: which predictions of the untimed reference a timed run
// may not share.
//
// The reference (ref_core.h) applies each trace line's effects, and each
// command's, completely before the next, and lets every enabled pending
// LPI be taken at once. A run does the same only when the lines are far
// enough apart: an MSI is posted and translated while the driver goes on,
// published commands run while the trace goes on (until a `wait`), and a
// CPU takes its pending LPIs one handler at a time. The guard follows each
// operation with a deliberately generous upper bound of when its effects
// are done, and compares it with the trace time of what follows (a lower
// bound of when that runs: the driver never runs a line early; it may run
// one late, after a `wait` that drained late, which the bounds follow):
//   - an MSI: done by max(line time, ITS backlog) + msi_ps, the ITS
//     starting at most one MSI per msi_interval_ps;
//   - a command: the queue finishes it by max(publish time, the queue's
//     previous command) + cmd_ps + touch_ps per table or redistributor
//     operation + sweep_ps_per_event per EventID a MAPD sweeps; `wait`
//     drains the queue;
//   - a CPU: every LPI it takes costs ack + handler after the later of its
//     cause's bound and the CPU's previous work; an LPI stays "maybe still
//     pending" until that CPU's whole backlog is done (the CPU takes by
//     priority, not by arrival).
// Conflicts, checked on the touches (ref_core.h Touch) of each operation:
//   - a command that writes a table entry an MSI still in flight reads, or
//     acts on the pending state of the LPI that MSI makes pending (or the
//     reverse: an MSI while such commands may still run): Unsupported;
//   - an `lpi` line that changes Enable while an operation that looks up
//     that LPI's configuration (or one in its cache line) may still be in
//     flight: Unsupported;
//   - an LPI that may still be pending although the reference took it:
//     another MSI/INT/MOVI/MOVALL making it pending may merge, or a CLEAR,
//     DISCARD or MAPD sweep may remove it first: its acknowledge count
//     becomes a range (uncertain()); a MOVI/MOVALL that may move it, or an
//     INV/INVALL that may re-read it as disabled: Unsupported.
// GICv4 and several ITSs: a vPE's vLPIs and vSGIs are keyed as the pending
// state of vkey(vPEID) (ref_core.h), taken by the CPU the vPE is resident
// at; a schedule or deschedule line is a whole-"redistributor" operation on
// vkey(V) that the driver waits for (Dirty polled to 0: done within
// residency_ps, and the driver goes on only then); each ITS has its own
// queue and MSI stream, and an operation of one ITS that may overlap a
// conflicting one of another is Unsupported (their order is not kept).
// The bounds are parameters (Timing); too small ones let a race through as
// a disagreement, never hide a model bug behind a false "unsupported".
//
// Plain C++: no simulation kernel.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "ref/ref_core.h"

namespace itsim {
class Params;
}

namespace itsim::ref {

// Bounds the guard uses; timing_for() scales them with the platform. The
// defaults are those of the default platform (50 ns DRAM reads, 1 GHz
// clocks): an MSI is pending within 0.8 us of its line (twice the worst
// seen in bringup.its, 386 ns, with 4000 MSIs), a command done 1 us after
// it starts plus 0.2 us per entry or redistributor operation.
struct Timing {
    bool enabled = true;
    uint64_t msi_ps = 800'000;              // MSI line -> pending at its redistributor
    uint64_t msi_interval_ps = 50'000;      // the ITS starts at most one MSI per this
    uint64_t cmd_ps = 1'000'000;            // one command (fetch, decode, table accesses)
    uint64_t touch_ps = 200'000;            // per entry or redistributor operation of a command
    uint64_t sweep_ps_per_event = 20'000;   // MAPD sweeping the old ITT, per EventID
    uint64_t cpu_margin_ps = 500'000;       // added to each CPU's ack + handler
    uint64_t residency_ps = 20'000'000;     // a schedule/deschedule line, its Dirty polls included
};
// The defaults scaled: with r = mem.read_latency and c = the slowest of the
// ITS, bus, redistributor and memory clock periods, msi_ps = 8r + 400c,
// msi_interval_ps = r, cmd_ps = 8r + 600c, touch_ps = 4r,
// sweep_ps_per_event = 2r/5, cpu_margin_ps = 500c; with GICv4 msi_ps and
// cmd_ps gain 8r (the vPE table, the VPT, the doorbell) and residency_ps =
// 2 driver.dirty_poll + 2r per 64 VPT bytes + 64r + 2 (redist.vpt_parse_cycles
// + 500) c.
Timing timing_for(const Params& p);

class RaceGuard {
public:
    RaceGuard(const Platform& p, const Timing& t);

    // Each call gets the trace time of the line, its touches and the LPIs
    // the settle rule took after it; `what` names it in messages
    // ("msi 3 (line 40)"). Throws Unsupported on a conflict.
    // (An `sgi` line is an msi of its ITS.)
    void msi(uint64_t t, const std::string& what, const std::vector<Touch>& touches,
             const std::vector<std::pair<unsigned, uint32_t>>& taken, const Core& core, unsigned its = 0);
    void command(uint64_t t_pub, const std::string& what, const std::vector<Touch>& touches,
                 const std::vector<std::pair<unsigned, uint32_t>>& taken, uint64_t swept_events,
                 const Core& core, unsigned its = 0);
    // A `schedule` or `deschedule` line.
    void residency(uint64_t t, const std::string& what, const std::vector<Touch>& touches,
                   const std::vector<std::pair<unsigned, uint32_t>>& taken, const Core& core);
    // An `lpi` line; `changed`: its Enable differs from the byte before.
    void lpi(uint64_t t, const std::string& what, uint32_t intid, bool changed);
    // A `vlpi` line of VM `vm` (Core::vm_of).
    void vlpi(uint64_t t, const std::string& what, unsigned vm, uint32_t vintid, bool changed, const Core& core);
    // `wait until=drained` of ITS `its` (its queue is empty or stalled afterwards).
    void drained(unsigned its = 0);
    // True while published commands may still be running at time t.
    bool commands_in_flight(uint64_t t) const;
    // Do lookups of LPIs a and b read the same configuration-cache line?
    bool same_line(uint32_t a, uint32_t b) const;

    // Acknowledges the reference counted that may not happen, per (cpu, intid).
    const std::map<std::pair<uint32_t, uint32_t>, uint64_t>& uncertain() const { return uncertain_; }
    // Why (the first kMaxNotes reasons; notes_dropped() more).
    const std::vector<std::string>& notes() const { return notes_; }
    uint64_t notes_dropped() const { return notes_dropped_; }
    static constexpr size_t kMaxNotes = 64;

private:
    struct InFlight {
        uint64_t done = 0;
        std::string what;
        std::vector<Touch> touches;
        unsigned its = 0;
    };
    struct Recent {
        std::string what;
        unsigned cpu = 0;   // the CPU that took it
    };
    // Throws when `touches` conflict with an in-flight operation of `list`
    // (other_its_only: of another ITS than `its`).
    void check_in_flight(const std::vector<InFlight>& list, const std::string& what,
                         const std::vector<Touch>& touches, const char* verb, bool other_its_only, unsigned its) const;
    void prune(uint64_t t);
    // Conflicts of `touches` (an operation at time t that took `taken`)
    // with the recent takes.
    void check_recent(uint64_t t, const std::string& what, const std::vector<Touch>& touches,
                      const std::vector<std::pair<unsigned, uint32_t>>& taken, const Core& core);
    void add_takes(uint64_t cause_done, const std::string& what,
                   const std::vector<std::pair<unsigned, uint32_t>>& taken, const Core& core);

    Platform p_;
    Timing t_;
    std::vector<uint64_t> its_next_;        // per ITS: earliest start of the next MSI
    uint64_t driver_late_ = 0;              // the latest the driver can be at the last line
    std::vector<uint64_t> queue_done_;      // per ITS: the queue's last command done by
    std::vector<InFlight> msis_, cmds_;     // may still be in flight
    std::vector<uint64_t> cpu_done_;        // each CPU's backlog done by
    std::map<std::pair<unsigned, uint32_t>, Recent> recent_;   // taken, maybe still pending
    std::map<std::pair<uint32_t, uint32_t>, uint64_t> uncertain_;
    std::vector<std::string> notes_;
    uint64_t notes_dropped_ = 0;
    void note(std::string s);
};

}  // namespace itsim::ref
