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

// What a run's statistics are made of, taken as the run goes (run_stream.h)
// in bounded memory: counters and the latency distributions, by stage and
// command type.
struct RunTally {
    RunTally();
    DistributionSet msi_stages;      // per MSI stage, ps (every stage present, even empty)
    DistributionSet msi_total;       // write->pending, pending->ack, write->ack
    DistributionSet commands;        // per command type: issued->done
    uint64_t msis_issued = 0;        // MSI numbers given (trace msi lines and sources' MSIs)
    uint64_t msis_delivered = 0, msis_dropped = 0, msis_lost = 0;
    uint64_t commands_ok = 0, commands_failed = 0;
    uint64_t commands_unretired = 0;   // the run ended with the queue stalled at them
    uint64_t stalls = 0, acks = 0, timeouts = 0;
    // Command-queue occupancy, time-weighted: the integral of the number of
    // published, not retired commands over time, and the time it was > 0.
    long double queue_area = 0;
    uint64_t queue_busy_ps = 0;
};

void print_summary(std::ostream& os, const Trace& trace, System& sys, const RunTally& t, double wall_s);
void write_stats_file(const std::string& path, const Trace& trace, System& sys, const RunTally& t,
                      double wall_s);

}  // namespace itsim
