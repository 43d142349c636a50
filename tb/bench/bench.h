// What the parts of itsim_bench share (bench.cpp: the command line, the
// parent that runs rounds of child processes and prints the table, the
// child that runs one chunk; bench_workloads.cpp: the calibration chunks of
// bare kernel operations and the model workloads). bench.cpp's top comment
// describes the benchmark.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include <valgrind/callgrind.h>

#include "system.h"

namespace itsim_bench {

using Clock = std::chrono::steady_clock;
constexpr uint64_t kNs = 1000, kUs = 1000 * kNs;

// ---------------------------------------------------------------------------
// Child side: one chunk of one workload
// ---------------------------------------------------------------------------
struct Chunk {
    uint64_t ops = 0;          // operations measured
    double wall_ns = 0;        // wall time of the measured phase
    std::string unit = "op";
    std::string check;         // empty = the workload did what it should
    // Timed activations of the redistributors' method in the measured
    // phase (RedistStats::activations; none for the bare kernel).
    uint64_t activations = 0;
};

// Measured-phase bracket: wall clock and callgrind collection.
struct Bracket {
    bool callgrind = false;
    Clock::time_point t0;
    bool open = false;
    void start() {
        if (callgrind) {
            CALLGRIND_ZERO_STATS;
            CALLGRIND_TOGGLE_COLLECT;
        }
        open = true;
        t0 = Clock::now();
    }
    double stop() {
        const double ns = std::chrono::duration<double, std::nano>(Clock::now() - t0).count();
        if (callgrind && open) CALLGRIND_TOGGLE_COLLECT;
        open = false;
        return ns;
    }
};

// Bare kernel operations: n b_transports through simple sockets (delay
// annotated), or n timed resumes (wait(1 ns)); one chunk per process.
Chunk kernel_chunk(bool waits, uint64_t n, Bracket& b);

// The behaviour floor: n hot MSIs through ItsCore and the target CPU's
// LpiState alone, no kernel (bench_behaviour.cpp).
Chunk behaviour_chunk(uint64_t n, Bracket& b);

// A System workload: settings, an untimed-cost set-up, a measured phase.
struct ModelWorkload {
    std::vector<std::pair<std::string, std::string>> settings;
    std::function<void(itsim::System&, itsim::DriverAgent&)> setup;
    std::function<void(itsim::System&, itsim::DriverAgent&)> measured;
    std::function<std::string(itsim::System&)> check;
    uint64_t ops = 0;
    uint64_t msis = 0;   // records to reserve
    std::string unit = "msi";
};

// One chunk of workload `w` on a System in `mode` (one per process).
Chunk model_chunk(const std::string& mode, ModelWorkload w, Bracket& b);

// --slowdown N: N turns of an empty loop in every MSI the workloads send,
// inside the measured phase (about 3 instructions each in a gcc Release
// build): a deliberately slowed MSI path, to show that the instruction
// budget (tools/ir_budget.sh) fails. 0 unless asked for.
extern unsigned msi_slowdown;
// --set K=V (single-workload runs): a parameter set after the workload's
// own settings, e.g. coalesce=0 for one activation per step.
extern std::vector<std::pair<std::string, std::string>> extra_settings;

// The workloads of the table, sized by --scale.
ModelWorkload hot_workload(double scale);
ModelWorkload cold_workload(double scale);
ModelWorkload fan_workload(double scale, uint32_t cpus);
ModelWorkload cmd_workload(double scale);
ModelWorkload idle_workload(double scale);

}  // namespace itsim_bench
