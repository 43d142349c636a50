// `itsim check EVENTS.jsonl`: invariants over an event log, by the log's
// own time stamps (docs/check.md says what each rule checks and why).
//
//   R1 times       t_ps never decreases in file order; within a record the
//                  stage stamps present are ordered (msi: issued <= accepted
//                  <= started <= device <= event <= collection <= pending =
//                  t_ps; command: issued <= fetched <= done = t_ps; ack:
//                  signalled <= t_ps <= eoi).
//   R2 accounting  one msi record per msi line of the trace; every command
//                  a kick published has exactly one record, published at
//                  its issued_ps, and completes in queue order, unless the
//                  queue stalled (or the driver gave up waiting) for good;
//                  published commands + queue_full timeouts = cmd lines.
//   R3 pending     the pending state of every (cpu, INTID), rebuilt from the
//                  msi, pend and ack records: newly pending only when not
//                  pending, merges/refresh/clear/drop only when pending; an
//                  ack takes a pending, enabled LPI that was visible (pending
//                  + signal latency <= ack, and <= signalled_ps) and the
//                  highest-priority one visible at that CPU then, with the
//                  snapshot's priority.
//   R4 end         at the end of a complete run no LPI is still pending with
//                  an enabled snapshot (the MSIs that made it pending were
//                  lost: neither acknowledged nor removed).
//   R5 causes      a pend record naming a command lies within that command's
//                  fetched_ps..done_ps, the command's op is its cause, the
//                  LPI is the command's; a command that found an LPI pending
//                  (since before its fetch, still after it) changed it: INT
//                  set/merge, CLEAR/DISCARD/MOVI/MOVALL clear, INV/INVALL
//                  refresh; MOVI/MOVALL clears and sets pair up.
//   R6 config      every configuration snapshot (msi new, pend set/refresh)
//                  is a value the LPI's property byte held at some time up
//                  to then (0 = disabled before the first lpi record).
//
// Records of equal t_ps are not in causal order in the log; the checker
// takes them as one step and tries them in an order that makes sense
// (kicks and lpi writes first, then per LPI merges/refreshes, removals,
// additions, then commands).
//
// Streaming: one pass, memory bounded by the live state (pending LPIs,
// commands published and not completed, sequence-number gaps, one
// 128-value set per INTID written), not by the length of the log.
//
// Plain C++: no simulation kernel needed.
#pragma once

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace itsim {

// A log that cannot be checked: one line "NAME:LINE: error: MESSAGE".
class CheckFormatError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// One record as it appears in the log.
struct RecordRef {
    uint64_t line = 0;   // 1-based line number
    std::string text;    // the JSON line
};

struct Violation {
    std::string rule;      // "R1" .. "R6"
    std::string message;   // one sentence: what is wrong
    std::vector<RecordRef> records;   // the records involved, the one that showed it first
    uint64_t line() const { return records.empty() ? 0 : records.front().line; }
};

// "times", "accounting", "pending", "end", "causes", "config" ("" if unknown).
const char* rule_title(const std::string& rule);

struct CheckStats {
    uint64_t lines = 0;     // lines read (header included)
    uint64_t records = 0;   // records after the header
    uint64_t msis = 0, delivered = 0, dropped = 0, acks = 0, commands = 0, kicks = 0;
    uint64_t lpis = 0, pends = 0, stalls = 0, timeouts = 0, other = 0;
    uint64_t end_ps = 0;    // t_ps of the last record
    uint64_t max_pending = 0;   // most LPIs pending at once (all CPUs)
};

struct CheckResult {
    std::vector<Violation> violations;       // in the order found, at most max_kept per rule
    std::map<std::string, uint64_t> counts;  // violations per rule, all of them
    uint64_t total() const;                  // sum of counts
    std::vector<std::string> notes;          // what could not be checked, and why
    CheckStats stats;
    bool complete_run = true;                // the header did not say the run stopped early
};

struct CheckOptions {
    size_t max_kept = 100;   // violations kept per rule (all are counted)
};

// The checker, one line at a time (what `itsim run --check` feeds while it
// writes the log). Lines come without their '\n'; a trailing '\r' and
// empty lines are ignored. feed() throws CheckFormatError for a line that
// is not a JSON object, a first line that is not the "run" header, or a
// record whose required keys are missing or of the wrong type.
class EventChecker {
public:
    explicit EventChecker(std::string name = "events", CheckOptions opts = {});
    ~EventChecker();
    EventChecker(const EventChecker&) = delete;
    EventChecker& operator=(const EventChecker&) = delete;

    void feed(const std::string& line);
    // End of the log: the end-of-run checks (R2 totals, R4). Call once.
    CheckResult finish();

    // Called for every violation when it is found (kept or not).
    std::function<void(const Violation&)> on_violation;

    struct Impl;

private:
    std::unique_ptr<Impl> impl_;
};

// The whole log from `in`; `name` prefixes the error messages.
// Throws CheckFormatError.
CheckResult check_event_log(std::istream& in, const std::string& name, const CheckOptions& opts = {});

// Prints each violation ("FILE:LINE: Rn title: message", then the records
// involved, indented, "LINE: JSON") and, unless quiet, a summary line.
void print_check_result(const CheckResult& r, const std::string& name, std::ostream& out);

// `itsim check FILE`: 0 when no rule is broken, 1 when some is, 2 when the
// file cannot be read or is not an event log (one line on `err`:
// "FILE:LINE: error: ...").
int check_command(const std::string& path, bool quiet, std::ostream& out, std::ostream& err);

// `itsim check ARGS...` (command-line parsing included).
int check_main(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace itsim
