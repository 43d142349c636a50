// The reference model: what a trace must do, untimed, predicted from the
// architecture and itsim's documented choices, and compared with what a
// run of the model did (ref_compare.h).
//
//   itsim::Trace t = itsim::parse_trace(text, "x.its");
//   itsim::ref::Result r = itsim::ref::run(t);      // defaults + the trace's platform line
//   // or run(t, params) with the Params the run used (apply_settings)
//   if (!r.comparable) ... r.unsupported ...         // skip: not a prediction
//   itsim::ref::Comparison c = itsim::ref::compare_file(r, "x.jsonl");
//   c.agrees(), c.disagreements                      // one readable line each
//
// How a trace is replayed (as the driver agent does, platform/run.cpp):
//   - `cmd` appends; commands are published by `kick`, `wait`, `msi` and
//     the end of the trace, and run then, in queue order. (The agent may
//     publish earlier - at a line with a later time, or when the queue is
//     full - which only matters for an `lpi` line in between; see
//     "Unsupported".)
//   - each command runs to completion before the next (ref_core.h); under
//     error_policy=stall the first failing command stalls the queue and no
//     later one runs (nothing in a trace the reference accepts writes
//     GITS_CWRITER.Retry);
//   - `msi`: translated and made pending; `lpi`: the property byte
//     changes; `wait`, `kick`, TIME-only lines: nothing else;
//   - after every command and every line, the settle rule (ref_core.h):
//     every enabled pending LPI is taken once by its CPU.
// Assumption (documented, and checked where it can be): software follows
// every `lpi` change with INV/INVALL (and SYNC) before that LPI is next made
// pending; a lookup whose result depends on the configuration cache makes
// the trace unsupported.
//
// Unsupported (Result::comparable = false, Result::unsupported says why and
// where): the reference refuses rather than predicts wrongly when
//   - a `write` line stores outside the trace's RAM (registers, the agent's
//     tables) or into any ITT span that a MAPD V=1 line of the trace names;
//     other stores (plain RAM nothing reads) are harmless;
//   - a MAPD V=1 puts an ITT outside the trace's 256 MiB of RAM, or over
//     the ITT of another device that is mapped (ref_core.h);
//   - a configuration lookup depends on the configuration cache (above);
//   - the driver agent would write a level-1 descriptor past its level-1
//     device table (two-level table capped at 256 pages: ref_core.cpp);
//   - an `lpi` line changes an LPI's Enable while commands that look it up
//     were appended but may already have been published;
//   - the race guard (ref_races.h) finds lines whose order a run may not
//     keep. It can also turn an acknowledge count into a range instead.
// GICv4 (gic.version 4.0 or 4.1) and several ITSs (its.count): the virtual
// commands, vMSIs, `vlpi`, `schedule`, `deschedule` and `sgi` lines are
// replayed as well (ref_core_virtual.cpp), each ITS with its own queue and
// tables; `vsgi_read` lines change nothing and are not predicted;
// error_policy=stall with several ITSs is unsupported.
// Hence never modelled: register writes (GITS_CTLR, GITS_BASER<n>,
// GITS_CWRITER.Retry, GICR_*), memory errors, an ITS or redistributor
// with LPIs disabled (the drop reasons "its_disabled", "memory_error",
// "lpis_disabled" and "intid_out_of_range" cannot arise in an accepted
// trace), priorities (nothing masks by priority; the order in which a CPU
// takes its LPIs is not predicted, only how often), acknowledge times.
//
// Plain C++: no simulation kernel.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "itsim/common/its_cmd.h"
#include "ref/ref_races.h"
#include "trace/trace.h"

namespace itsim {
class Params;
}

namespace itsim::ref {

struct CmdResult {
    bool ran = false;        // false: never ran (behind a stalled command)
    uint32_t status = 0;     // when ran: 0 or the error code
    ItsCommand cmd;          // as the trace line gives it
    SourcePos pos;           // the trace line
};

struct MsiResult {
    bool delivered = false;
    uint32_t intid = 0, cpu = 0;   // delivered (virtual: the vINTID, the vPE's redistributor)
    std::string reason;            // dropped: the model's reason word
    uint32_t device = 0, event = 0;
    SourcePos pos;
    bool virt = false;             // through a virtual ITE (GICv4)
    uint32_t vpeid = 0;
    uint32_t doorbell = 0;         // the doorbell LPI it rang; 0: none
};

// Acknowledges of one LPI at one CPU over the run: exactly lo when lo ==
// hi; a range when the race guard found MSIs that may merge.
struct AckCount {
    uint64_t lo = 0, hi = 0;
    bool exact() const { return lo == hi; }
};

struct StallResult {
    uint64_t seq = 0;       // the cmd line the queue stalled at
    uint64_t creadr = 0;    // its byte offset in the queue (GITS_CREADR.Offset)
    uint32_t error = 0;
};

struct Result {
    bool comparable = true;
    std::string unsupported;             // "unsupported: REASON, FILE:LINE:COLUMN"
    std::vector<CmdResult> commands;     // index = cmd seq - 1
    std::vector<MsiResult> msis;         // index = msi seq - 1
    std::map<std::pair<uint32_t, uint32_t>, AckCount> acks;   // (cpu, intid); absent = 0
    std::map<std::pair<uint32_t, uint32_t>, AckCount> vacks;  // GICv4: (vPEID, vINTID or vSGI); absent = 0
    std::map<uint32_t, uint64_t> doorbells;                    // GICv4: rings per vPEID; absent = 0
    std::map<uint32_t, std::set<uint32_t>> pending;           // cpu -> LPIs pending at the end
    std::map<std::pair<uint32_t, uint32_t>, uint16_t> vsgi_pending;   // GICv4.1: (cpu, vPEID) -> vSGIs
                                                                      // pending there at the end; absent = 0
    std::optional<StallResult> stall;
    std::vector<std::string> notes;      // why an acknowledge count is a range
    Platform platform;

    AckCount ack(uint32_t cpu, uint32_t intid) const;
    AckCount vack(uint32_t vpeid, uint32_t vintid) const;
};

struct Options {
    bool race_guard = true;          // false: trust trace order (no race checks)
    std::optional<Timing> timing;    // the guard's bounds; unset: timing_for(params)
};

// `params` must already hold the trace's platform line (platform/run.cpp
// apply_settings). A trace that breaks platform limits the run checks
// (an `lpi` INTID past the LPI range, a CPU that does not exist) is the
// caller's business: the run refuses it before simulating.
Result run(const Trace& trace, const Params& params, const Options& opt = {});
// Default parameters with the trace's platform line applied (throws
// ConfigError for a bad setting, as `itsim run` would report it).
Result run(const Trace& trace, const Options& opt = {});

// The trace's `expect` lines the reference contradicts, one readable line
// each ("cmd 7: expected ok, reference 0x010109"). An acknowledge count
// that is a range contradicts only an expectation outside it. Empty when
// the result is not comparable.
std::vector<std::string> check_expects(const Result& r, const Trace& trace);

// "ok" or the code as 0x%06x.
std::string status_text(uint32_t status);

}  // namespace itsim::ref
