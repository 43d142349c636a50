// Bus: address-decoded interconnect, N initiators to M targets, with a hop
// latency and per-target occupancy (contention), loosely timed.
//
// Wiring: initiators bind to targ_socket, targets to init_socket; the
// order of init_socket bindings numbers the target ports. map() gives each
// port one or more address windows (before simulation; overlapping windows
// throw std::invalid_argument). Decoding is a binary search over the
// windows sorted by base. The forwarded address is relative to the window
// base and the original address is restored before returning. Payload
// extensions pass through untouched (the DeviceID of an MSI, msi_ext.h).
//
// Timing of b_transport(trans, delay), all in absolute time, T = now:
//   arrival    = T + delay + hop           hop = hop_cycles * clock_period,
//                                          request and response crossing
//                                          together, charged once
//   start      = max(arrival, busy_until[port])
//   the target is called with local delay (start - T) and adds its
//   service time s; end = start + s
//   busy_until[port] = end,   delay = end - T   (returned to the initiator)
// So two requests reaching one target at the same time finish one service
// time apart. The bus never waits. The target sees the true start time
// (sc_time_stamp() + its delay argument). In accurate mode initiators
// synchronise before each transaction, so requests reach the bus in time
// order and the queueing is exact; in fast mode (temporal decoupling) they
// may arrive out of order and a request can queue behind one that is later
// in simulated time: an approximation the fast mode accepts.
//
// Errors: an access not wholly inside one window (unmapped, or crossing a
// window's end) gets TLM_ADDRESS_ERROR_RESPONSE and costs the hop only;
// the target's own responses pass through.
//
// Debug transport: same decode, no time; 0 bytes outside a window.
// DMI: the request is forwarded with the relative address; the granted (or
// refused) range is translated back to global addresses and clipped to the
// window, and the hop is added to the read and write latencies.
// invalidate_direct_mem_ptr from a target is translated to every window of
// that port, clipped, and broadcast to all initiators.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/multi_passthrough_initiator_socket.h>
#include <tlm_utils/multi_passthrough_target_socket.h>

#include "itsim/common/config_fields.h"

namespace itsim {

struct BusConfig {
    // 1 ns: the interconnect runs at 1 GHz, like the default memory clock.
    sc_core::sc_time clock_period = sc_core::sc_time(1, sc_core::SC_NS);
    // 2 cycles: one to cross the request path, one for the response.
    unsigned hop_cycles = 2;

    // By name, as `itsim params` spells them after "bus." (config_fields.h).
    static const ConfigFields<BusConfig>& fields();
    bool set(std::string_view key, std::string_view value, std::string* error = nullptr) {
        return fields().set(*this, key, value, error);
    }
    std::string get(std::string_view key) const { return fields().get(*this, key); }
};

// One address window of a target port.
struct BusMapping {
    uint64_t base = 0;
    uint64_t size = 0;
    unsigned port = 0;
    std::string name;
    uint64_t last() const { return base + (size - 1); }
    // [addr, addr+len) lies inside the window.
    bool holds(uint64_t addr, uint64_t len) const {
        return addr >= base && addr - base < size && len <= size - (addr - base);
    }
};

// Per target port, for utilisation statistics.
struct BusPortStats {
    uint64_t transactions = 0;
    sc_core::sc_time busy = sc_core::SC_ZERO_TIME;     // sum of service times
    sc_core::sc_time waiting = sc_core::SC_ZERO_TIME;  // sum of (start - arrival)
    sc_core::sc_time busy_until = sc_core::SC_ZERO_TIME;
};

class Bus : public sc_core::sc_module {
public:
    tlm_utils::multi_passthrough_target_socket<Bus> targ_socket;     // initiators bind here
    tlm_utils::multi_passthrough_initiator_socket<Bus> init_socket;  // bound to targets

    Bus(sc_core::sc_module_name name, const BusConfig& cfg = BusConfig());

    // Map [base, base+size) to target port `target_port`. Throws
    // std::invalid_argument on size 0, a window past 2^64, or an overlap;
    // std::logic_error after elaboration. A port that is never bound is
    // reported at the end of elaboration.
    void map(unsigned target_port, uint64_t base, uint64_t size, const std::string& name);

    const BusConfig& config() const { return cfg_; }
    sc_core::sc_time hop() const { return hop_; }
    const std::vector<BusMapping>& mappings() const { return map_; }  // sorted by base
    // The window holding [addr, addr+len), or nullptr.
    const BusMapping* decode(uint64_t addr, uint64_t len) const;

    // Statistics of a mapped port (std::out_of_range otherwise).
    const BusPortStats& port_stats(unsigned port) const { return ports_.at(port); }
    unsigned num_ports() const { return static_cast<unsigned>(ports_.size()); }
    uint64_t unmapped_errors() const { return unmapped_; }

private:
    void b_transport(int id, tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);
    unsigned transport_dbg(int id, tlm::tlm_generic_payload& trans);
    bool get_direct_mem_ptr(int id, tlm::tlm_generic_payload& trans, tlm::tlm_dmi& dmi);
    void invalidate_direct_mem_ptr(int port, sc_dt::uint64 start, sc_dt::uint64 end);
    void end_of_elaboration() override;

    BusConfig cfg_;
    sc_core::sc_time hop_;
    std::vector<BusMapping> map_;
    // Per initiator, the window its last transaction went to (an ITS reads
    // memory, a device writes the ITS: most go where the last one went).
    std::vector<const BusMapping*> last_;
    std::vector<BusPortStats> ports_;
    uint64_t unmapped_ = 0;
    bool elaborated_ = false;
};

}  // namespace itsim
