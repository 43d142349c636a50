// What a run tells people: the progress line while it runs, the summary at
// the end, and the statistics file (--stats, JSON).
#pragma once

#include <iosfwd>
#include <string>

#include <systemc>

#include "stats.h"
#include "trace/trace.h"

namespace itsim {

class System;

// A one-line progress display on a terminal (simulated time, MSIs done,
// rate), redrawn at most a few times a second. "auto" shows it only when
// the stream is a terminal, so logs and CI stay quiet.
class ProgressMeter {
public:
    ProgressMeter(const std::string& setting, std::ostream& os);
    bool enabled() const { return enabled_; }
    void update(double sim_ps, size_t msis, size_t commands, double wall_s);
    void finish();

private:
    bool enabled_ = false;
    bool drawn_ = false;
    std::ostream& os_;
};

// Run the simulation until it is quiet or `limit` is reached, updating the
// progress meter between slices of simulated time.
void run_with_progress(System& sys, const sc_core::sc_time& limit, ProgressMeter& progress);

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
