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
#include "itsim/common/timeline.h"

namespace itsim::field {

template <>
struct TimeCodec<sc_core::sc_time> {
    // The resolution is read on every call, not once as itsim::to_ps does:
    // a configuration may be parsed before the platform fixes it.
    static uint64_t to_ps(const sc_core::sc_time& t) {
        const uint64_t n = time_steps_per_ps();
        return n ? t.value() / n : t.value() * time_ps_per_step();
    }
    static sc_core::sc_time from_ps(uint64_t ps) {
        const uint64_t n = time_steps_per_ps();
        if (!n) return sc_core::sc_time(double(ps), sc_core::SC_PS);
        return sc_core::sc_time::from_value(ps > UINT64_MAX / n ? UINT64_MAX : ps * n);
    }
};

}  // namespace itsim::field
