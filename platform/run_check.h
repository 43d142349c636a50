// `itsim run`'s first pass (run.cpp calls it): the trace read line by line
// (scan_trace_file) with each line checked against the platform as it is
// read, so that a trace of any length is checked whole before anything is
// simulated without being held in memory.
#pragma once

#include "params.h"
#include "run.h"
#include "trace/trace.h"

namespace itsim {

// Reads and checks opts.trace_path, applying the configuration, --set and
// the trace's platform settings to `params` (apply_settings). Returns the
// trace's summary (Trace::streamed; a pipe is read whole). Throws the one
// error `itsim run` reports (TraceError or ConfigError), the same one that
// reading the whole trace, then applying the settings, then checking its
// lines against the platform gives, in that order: the grammar of every
// line first, then the settings, then the GICv4 checks (an ITS past
// its.count, a GICv4 op or expect on an older GIC, vPEs, CPUs, vINTIDs,
// vsgi_read references), then the source lines' ITS, then the LPI range of
// `lpi` lines and the CPUs of expects; within each, the first line.
Trace scan_and_check_trace(const RunOptions& opts, Params& params);

}  // namespace itsim
