// What a run tells people: the summary at the end and the statistics file
// (--stats, JSON). The progress line while it runs: progress.h.
#pragma once

#include <iosfwd>
#include <string>

#include <systemc>

#include "stats.h"
#include "trace/trace.h"

namespace itsim {

class System;

// The latency distributions of a finished run, by stage and command type.
struct RunStats {
    DistributionSet msi_stages;      // per MSI stage, ps
    DistributionSet msi_total;       // write->pending, write->ack, pending->ack
    DistributionSet commands;        // per command type: issued->done
    size_t msis_delivered = 0, msis_dropped = 0, msis_lost = 0;
    size_t commands_ok = 0, commands_failed = 0;
    size_t commands_unretired = 0;   // the run ended with the queue stalled at them
};
RunStats compute_stats(System& sys);

void print_summary(std::ostream& os, const Trace& trace, System& sys, double wall_s);
void write_stats_file(const std::string& path, const Trace& trace, System& sys, double wall_s);

}  // namespace itsim
