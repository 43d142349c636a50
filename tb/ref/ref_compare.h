// Comparing a run's event log (`itsim run --events`, JSON Lines;
// shared/trace-format.md, platform/trace/event_log.h) with the reference.
//
// Exact agreement is required on
//   - every command: status "ok" / the code, or (reference) never run;
//     "memory_error" never agrees (the reference accepts no trace that can
//     make one); a command the model ran more than once disagrees;
//   - every MSI: delivered with the same intid and cpu, or dropped with the
//     same reason;
//   - acknowledges per (cpu, intid): the model's count must be the
//     reference's (inside its range when the race guard made it one);
//   - stalls: as many `stall` records as the reference predicts (0 or 1),
//     with the same creadr and error.
// The "run" line's configuration must have the parameters the reference
// was built for (cpus, error_policy, its.device_bits, its.event_bits,
// its.lpi_bits, its.pta, its.cmdq_pages, redist.config_line_bytes).
// Records of other kinds ("timeout", kinds added later) and keys the
// comparison does not use are ignored. A line that is not a JSON object, or
// a record without the keys its kind must have, is reported.
//
// Each disagreement is one readable line naming the record:
//   "cmd 7 (MOVI device=0x3 event=1 icid=2, line 40): reference 0x010109, model ok"
//   "msi 3 (device=0x30 event=0, line 61): reference dropped (interrupt_unmapped), model delivered as intid 8192 to cpu 0"
//   "acks of LPI 8193 at cpu 0: reference 1, model 2"
//
// Plain C++: no simulation kernel.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "ref/ref_model.h"

namespace itsim::ref {

struct Comparison {
    std::vector<std::string> disagreements;   // empty: the run agrees
    // What was compared (for reports).
    size_t commands = 0, msis = 0, ack_counts = 0;
    bool agrees() const { return disagreements.empty(); }
};

// The result must be comparable; otherwise the one disagreement says it is not.
Comparison compare(const Result& ref, std::istream& event_log);
Comparison compare_text(const Result& ref, const std::string& event_log);
// Reads a file; a file that cannot be read is one disagreement.
Comparison compare_file(const Result& ref, const std::string& path);

}  // namespace itsim::ref
