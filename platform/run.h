// `itsim run`: read the configuration and the trace (every error reported
// before anything is simulated), build the System, replay the trace through
// the driver agent, run until the trace is done and the system is quiet,
// then check the expect lines and write the event log and statistics.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

#include "params.h"
#include "trace/trace.h"

namespace itsim {

struct RunOptions {
    std::string trace_path;
    std::string events_path;   // empty: no event log
    std::string stats_path;    // empty: no statistics file
    std::string vcd_path;      // empty: no waveforms
    std::vector<std::string> config_files;
    std::vector<std::string> sets;  // "key=value", in command-line order
    bool quiet = false;        // no summary
    bool check = false;        // --check: the event-log invariant checker on this run's log
};

struct ExpectResult {
    SourcePos pos;
    bool passed = false;
    std::string message;  // what was expected and what happened
};

// Apply config files, --set values and the trace's platform line to
// `params`, in that order of precedence (later wins). Throws ConfigError or
// TraceError with the position of the offending setting.
void apply_settings(Params& params, const RunOptions& opts, const Trace& trace);

// The whole `itsim run`. Messages go to `out` (summary) and `err` (errors:
// one line each). Returns the process exit status.
int run_command(const RunOptions& opts, std::ostream& out, std::ostream& err);

}  // namespace itsim
