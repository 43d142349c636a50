// Memory: a TLM-2.0 loosely-timed target over a sparse backing store.
//
// Timing (b_transport): an access of len bytes costs
//     service = latency(read or write) + ceil(len / bytes_per_cycle) * clock_period
// and the service time is ADDED to the delay argument; the memory never
// waits. It does not model its own occupancy: queueing behind other
// requests is the bus's job (per-target busy_until, models/bus).
//
// Errors (never an assertion on guest values):
//   - command other than read/write/ignore    -> TLM_COMMAND_ERROR_RESPONSE
//   - [addr, addr+len) not inside [0, size)   -> TLM_ADDRESS_ERROR_RESPONSE
//   - byte-enable pointer set                 -> TLM_BYTE_ENABLE_ERROR_RESPONSE
//   - streaming width < length                -> TLM_BURST_ERROR_RESPONSE
//   - null data pointer with length > 0       -> TLM_GENERIC_ERROR_RESPONSE
//   TLM_IGNORE_COMMAND inside the range is OK, moves no data and costs nothing.
//   Errors cost no time and are counted in stats().errors.
//
// Debug transport: same checks (byte enables and streaming width ignored),
// no time, not counted.
//
// DMI: granted per 4 KiB page of the store, read and write allowed. A
// request for write access allocates the page; a read request for an
// untouched page is refused (the store would have to allocate to hand out
// a pointer), and b_transport sets the DMI hint only once the page is
// resident, so initiators ask again after the first write. The reported
// latencies are the cost of an 8-byte access,
//     read:  read_latency  + ceil(8 / bytes_per_cycle) * clock_period
//     write: write_latency + ceil(8 / bytes_per_cycle) * clock_period,
// so that a DMI access of up to 8 bytes costs what b_transport charges
// whenever bytes_per_cycle >= 8. Pages are never freed, so the memory
// never invalidates a DMI grant. DMI accesses bypass the counters.
//
// Backdoor: store() reads and writes the contents without time (loading
// images, building tables in tests, peeking results).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>

#include "itsim/common/config_fields.h"
#include "itsim/memory/sparse_store.h"

namespace itsim {

struct MemoryConfig {
    // 1 GiB: QEMU virt's default RAM size; the store makes untouched bytes free.
    uint64_t size = 1ull << 30;
    // 50 ns: a DRAM access behind a memory controller (row miss, no queueing).
    sc_core::sc_time read_latency = sc_core::sc_time(50, sc_core::SC_NS);
    // 20 ns: a write is accepted once it is in the controller's write
    // buffer (posted), well before a DRAM read would return.
    sc_core::sc_time write_latency = sc_core::sc_time(20, sc_core::SC_NS);
    // 1 ns: a 1 GHz interconnect/controller clock, the unit of transfer time.
    sc_core::sc_time clock_period = sc_core::sc_time(1, sc_core::SC_NS);
    // 16 bytes per cycle: a 128-bit data path (typical AXI/CHI width).
    // Must be >= 1; >= 8 keeps DMI and b_transport costs equal for <= 8 bytes.
    unsigned bytes_per_cycle = 16;
    // DMI on: the fast mode's table walks go through host pointers.
    bool dmi = true;

    // By name, as `itsim params` spells them after "mem." (config_fields.h):
    // read_latency, write_latency, clock (a frequency), bytes_per_cycle,
    // dmi. The size is the platform's memory map (ram.size), set in code.
    static const ConfigFields<MemoryConfig>& fields();
    bool set(std::string_view key, std::string_view value, std::string* error = nullptr) {
        return fields().set(*this, key, value, error);
    }
    std::string get(std::string_view key) const { return fields().get(*this, key); }
};

struct MemoryStats {
    uint64_t reads = 0, writes = 0;          // successful b_transport accesses
    uint64_t bytes_read = 0, bytes_written = 0;
    uint64_t errors = 0;                     // error responses
    sc_core::sc_time busy = sc_core::SC_ZERO_TIME;  // sum of service times
};

class Memory : public sc_core::sc_module {
public:
    tlm_utils::simple_target_socket<Memory> socket;

    // Throws std::invalid_argument on a bad configuration (size above
    // SparseStore::kMaxSize, bytes_per_cycle == 0).
    Memory(sc_core::sc_module_name name, const MemoryConfig& cfg = MemoryConfig());

    const MemoryConfig& config() const { return cfg_; }
    const MemoryStats& stats() const { return stats_; }
    SparseStore& store() { return store_; }
    const SparseStore& store() const { return store_; }

    // What an access of len bytes costs (TLM_IGNORE_COMMAND: nothing).
    sc_core::sc_time service_time(tlm::tlm_command cmd, uint64_t len) const {
        if (len <= kTimedLen) {   // inline: once per transaction
            if (cmd == tlm::TLM_READ_COMMAND) return read_time_[len];
            if (cmd == tlm::TLM_WRITE_COMMAND) return write_time_[len];
        }
        return compute_service_time(cmd, len);
    }

    // The socket's callbacks; public so tests may drive them without a kernel.
    void b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);
    unsigned transport_dbg(tlm::tlm_generic_payload& trans);
    bool get_direct_mem_ptr(tlm::tlm_generic_payload& trans, tlm::tlm_dmi& dmi);

private:
    tlm::tlm_response_status check(const tlm::tlm_generic_payload& trans) const;
    sc_core::sc_time compute_service_time(tlm::tlm_command cmd, uint64_t len) const;

    MemoryConfig cfg_;
    SparseStore store_;
    MemoryStats stats_;
    sc_core::sc_time dmi_read_latency_, dmi_write_latency_;
    // What service_time gives for reads and writes of up to kTimedLen
    // bytes (the table walks' 8 bytes, the commands' 32), worked out once.
    static constexpr unsigned kTimedLen = 64;
    sc_core::sc_time read_time_[kTimedLen + 1], write_time_[kTimedLen + 1];
};

}  // namespace itsim
