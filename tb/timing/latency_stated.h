// What the latency tests (tb/timing/test_latency_*.cpp) share: the stated
// parameters of the whole platform, and addresses in its RAM.
//
// Every expected time is computed in the tests from the stated parameters
// and the stage costs the model headers document (timing_env.h). The
// parameters differ from their defaults and from one another, so a missing,
// extra or wrong term changes the total. Each TEST elaborates once (one
// process per TEST under CTest).
#pragma once

#include <cstdint>

#include "timing_env.h"

using namespace itsim;
using namespace itsim::timing_test;

namespace {

// ---------------------------------------------------------------------------
// Stated parameters of the analytic and stale-configuration tests
// ---------------------------------------------------------------------------
// ITS 800 MHz (1.25 ns), redistributor 250 MHz (4 ns), bus hop 3 ns,
// memory 37 ns read / 23 ns write + 2 ns per 8 bytes.
const Settings kStated = {
    {"cpus", "3"},
    {"bus.clock", "1GHz"},
    {"bus.hop_cycles", "3"},
    {"mem.read_latency", "37ns"},
    {"mem.write_latency", "23ns"},
    {"mem.clock", "500MHz"},
    {"mem.bytes_per_cycle", "8"},   // >= 8: DMI and b_transport cost the same (memory.h)
    {"its.clock", "800MHz"},
    {"its.register_cycles", "3"},
    {"its.ingress_cycles", "5"},
    {"its.decode_cycles", "7"},
    {"its.execute_cycles", "4"},
    {"its.lookup_cycles", "2"},
    {"its.hop_cycles", "6"},
    {"redist.clock", "250MHz"},
    {"redist.lookup_cycles", "3"},
    {"redist.pending_cycles", "2"},
    {"redist.signal_cycles", "5"},
    {"redist.config_line_bytes", "16"},
    {"cpu.ack_latency", "130ns"},
    {"cpu.handler_latency", "170ns"},
    {"quantum", "500ns"},
};

inline uint64_t ram(const Platform& pl, uint64_t off) { return pl.p.integer("ram.base") + off; }
}  // namespace
