// Progress of a long `itsim run` on a terminal: one line on stderr,
// redrawn at most four times a second, with the simulated time, the MSIs
// sent, their rate (per second of wall time) and, when the run's length is
// known, how far it is and an estimate of the time left:
//   simulated 1.250ms  MSIs 1250000/10000000 (12.5%)  410.2k MSI/s  ETA 0:00:21
// Known length: the number of MSIs when the trace's msi lines and every
// source's count= give it (no until=), else the end time when every source
// has until= (or the trace has no source: its last line's time, with its
// msi lines as the count). The fraction done is MSIs sent / MSIs planned,
// or simulated time / end time; ETA = wall time so far * (1 - f) / f.
// The `progress` parameter: auto (only when stderr is a terminal), on, off.
// Off, the simulation is one sc_start as without progress; on, it runs in
// slices of simulated time sized to take about a quarter of a second each
// (the models see the same events either way).
#pragma once

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <string>

#include <systemc>

namespace itsim {

struct ProgressPlan {
    uint64_t msis = 0;     // MSIs the run will send (0: not known)
    uint64_t end_ps = 0;   // simulated time it ends at (0: not known)
};

// The line (without "\r" or padding) for a state of the run.
std::string progress_line(double wall_s, uint64_t sim_ps, uint64_t msis_sent, const ProgressPlan& plan);
// "0:01:23" (h:mm:ss; days as "2d 03:04:05").
std::string format_eta(double seconds);

class RunProgress {
public:
    // `setting`: auto, on or off; auto draws only when `os` is std::cerr
    // and stderr is a terminal.
    RunProgress(const std::string& setting, std::ostream& os, ProgressPlan plan, std::function<uint64_t()> msis_sent);
    bool enabled() const { return enabled_; }
    // sc_start until the system is quiet or `limit`, drawing as it goes.
    void run(const sc_core::sc_time& limit);

private:
    void draw(double wall_s);
    bool enabled_ = false;
    bool drawn_ = false;
    std::ostream& os_;
    ProgressPlan plan_;
    std::function<uint64_t()> msis_sent_;
    size_t last_width_ = 0;
};

}  // namespace itsim
