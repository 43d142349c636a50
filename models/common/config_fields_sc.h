// sc_time members for config_fields.h's time and clock fields:
// field::time<&MemoryConfig::read_latency>(...) with an sc_time member.
//
// Picoseconds <-> sc_time at the kernel's time resolution: exact when the
// resolution divides 1 ps (SystemC's default is 1 ps); with a coarser one a
// value is rounded to the nearest resolution step.
#pragma once

#include <cmath>
#include <cstdint>

#include <systemc>

#include "itsim/common/config_fields.h"

namespace itsim::field {

template <>
struct TimeCodec<sc_core::sc_time> {
    // Resolution steps per picosecond (>= 1), or 0 when a step is longer.
    static uint64_t steps_per_ps() {
        const double res = sc_core::sc_get_time_resolution().to_seconds();
        return res <= 1e-12 ? uint64_t(std::llround(1e-12 / res)) : 0;
    }
    static uint64_t ps_per_step() {
        return uint64_t(std::llround(sc_core::sc_get_time_resolution().to_seconds() * 1e12));
    }
    static uint64_t to_ps(const sc_core::sc_time& t) {
        const uint64_t n = steps_per_ps();
        return n ? t.value() / n : t.value() * ps_per_step();
    }
    static sc_core::sc_time from_ps(uint64_t ps) {
        const uint64_t n = steps_per_ps();
        if (!n) return sc_core::sc_time(double(ps), sc_core::SC_PS);
        return sc_core::sc_time::from_value(ps > UINT64_MAX / n ? UINT64_MAX : ps * n);
    }
};

}  // namespace itsim::field
