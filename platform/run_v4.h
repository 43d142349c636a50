// `itsim run`'s GICv4 part (run.cpp calls it): the trace checks that need
// the platform (gic.version, gic.vpes, its.count, cpus), the GICv4 expect
// forms, and the event-log records of the virtual side. With gic.version=3
// and its.count=1 a trace without GICv4 lines adds nothing here.
#pragma once

#include <functional>

#include "run.h"
#include "system.h"
#include "trace/event_log.h"
#include "trace/trace.h"

namespace itsim {

// Throws TraceError at the offending value: an ITS past its.count, a
// GICv4 op with gic.version=3 (sgi: below 4.1), a vPEID past gic.vpes
// (vlpi, schedule), a CPU past cpus, a vINTID past the LPI range.
void check_trace_v4(const Trace& trace, const Params& params);
// The same, one line at a time (the streaming first pass): the platform's
// values read once; `vsgi_read_count`, the trace's vsgi_read lines, only
// matters to an expect vsgi_read=N (pass UINT64_MAX to leave it out).
struct V4LineCheck {
    explicit V4LineCheck(const Params& params);
    void check(const TraceLine& l, uint64_t vsgi_read_count) const;

    uint64_t cpus, nits, vpes;
    std::string lpi_bits;
    uint64_t lpi_limit;
    std::string ver;
    bool v4, v41;
};

// msi_virtual, vtaken, doorbell.
ExpectResult check_expect_v4(const Expect& e, System& sys);

// The GICv4 records, each to `emit` with its kind's place in the log's tie
// order: 0 the doorbells' lpi bytes, 1 vlpi, 2 vcpu, 3 vsgi_read,
// 4 doorbell, 5 residency, 6 vack (run_stream.h: RunStream::kDoorbellLpi + k).
void add_v4_events(System& sys, const std::function<void(unsigned, JsonObject)>& emit);

// After the run: each doorbell record's MSI gets its `doorbell` (run.cpp
// calls it before the expects, the event log and the statistics).
void link_doorbells(System& sys);

}  // namespace itsim
