// How `itsim sweep` (sweep.cpp) runs its points and reads back what they
// wrote: the progress bar (on a terminal only), one /bin/sh -c per point,
// and a point's row of sweep.csv from its exit_status and statistics file.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <iosfwd>
#include <string>

#include "sweep.h"

namespace itsim::sweep_detail {

class ProgressBar {
public:
    ProgressBar(const std::string& setting, size_t total);
    void draw(size_t done, size_t running, size_t failed);
    void finish();

private:
    bool on_ = false, drawn_ = false;
    size_t total_;
    std::chrono::steady_clock::time_point t0_;
};

// `command` in a child /bin/sh, its output to `log` (stdin: /dev/null);
// the child's pid, or -1.
pid_t spawn_shell(const std::string& command, const std::string& log);

struct Row {
    std::string exit_status;
    bool have = false;
    std::string delivered;
    std::string lat[6];   // wtp p50 p90 p99, wta p50 p90 p99 (ps)
    std::string hit[4];
    double wta_p99_ns = 0, wtp_p99_ns = 0;
    // GICv4 (the statistics have a "virtual" section): p50/p90/p99 (ps) of
    // each of kVirtualColumns' latencies, then the vPE cache's hit rate.
    bool v4 = false;
    std::string vlat[15];
    std::string vpe_hit;
};

// The virtual path's columns of sweep.csv, only when some point ran GICv4:
// "virtual.NAME" of the statistics (stats_v4.h) or the command type's
// "commands.latency_by_type.NAME".
struct VirtualColumn {
    const char* name;
    const char* stats_path;
};
inline constexpr VirtualColumn kVirtualColumns[5] = {
    {"vlpi_write_to_vack", "virtual.vlpi_write_to_vack"},
    {"vlpi_write_to_doorbell", "virtual.vlpi_write_to_doorbell"},
    {"doorbell_to_schedule", "virtual.doorbell_to_schedule"},
    {"vmapp", "commands.latency_by_type.VMAPP"},
    {"vmovp", "commands.latency_by_type.VMOVP"},
};

// The row of point `p`: its exit_status file, and its statistics if they parse.
Row collect(const SweepPoint& p);

// DIR/slurm.sh for `points` points named DIR/points/NNNN with `width`
// digits (sweep_slurm.cpp).
std::string slurm_script(const std::string& dir, size_t points, int width);
// sbatch DIR/slurm.sh (with --wait when asked); the job ID to `out`.
// Returns 0, or 4 with a message on `err` when sbatch failed.
int submit_slurm(const SweepOptions& o, const std::string& dir, std::ostream& out, std::ostream& err);

}  // namespace itsim::sweep_detail
