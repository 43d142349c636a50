// What the Bus tests (tb/bus/test_bus_*.cpp) share: the parameters the
// expected times are computed from, an initiator, and a probe target that
// records what reaches it. Header-only.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <functional>
#include <vector>

#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include "itsim/bus/bus.h"
#include "itsim/common/bus_master.h"
#include "itsim/common/msi_ext.h"
#include "itsim/memory/memory.h"

// tb/CMakeLists.txt links sc_main from a static library that nothing else
// references, so the linker would drop it; reference it here until that
// library is made an OBJECT library (or linked whole-archive).
int sc_main(int, char*[]);
int (*test_bus_pulls_in_sc_main)(int, char*[]) = &sc_main;

using namespace itsim;
using sc_core::sc_time;
using sc_core::SC_NS;

namespace {

// Bus: 1 ns clock, 3-cycle hop. Memory: 40/30 ns, 2 ns per 8-byte beat.
const sc_time kHop(3, SC_NS);
const sc_time kRead8(40 + 2, SC_NS);   // read of 1..8 bytes
const sc_time kWrite8(30 + 2, SC_NS);  // write of 1..8 bytes

inline BusConfig bus_config() {
    BusConfig c;
    c.clock_period = sc_time(1, SC_NS);
    c.hop_cycles = 3;
    return c;
}

inline MemoryConfig mem_config(uint64_t size = 1 << 20) {
    MemoryConfig c;
    c.size = size;
    c.read_latency = sc_time(40, SC_NS);
    c.write_latency = sc_time(30, SC_NS);
    c.clock_period = sc_time(2, SC_NS);
    c.bytes_per_cycle = 8;
    return c;
}

// An initiator: one thread running `body`, with a BusMaster on its socket.
struct Initiator : sc_core::sc_module {
    tlm_utils::simple_initiator_socket<Initiator> socket{"socket"};
    Timeline tl;
    BusMaster bm;
    std::function<void(Initiator&)> body;
    std::vector<std::pair<uint64_t, uint64_t>> invalidations;

    SC_HAS_PROCESS(Initiator);
    Initiator(sc_core::sc_module_name n, TimingMode mode = TimingMode::accurate, bool dmi = false)
        : sc_module(n), tl(mode), bm(socket, dmi) {
        bm.set_timeline(&tl);
        socket.register_invalidate_direct_mem_ptr(this, &Initiator::invalidate);
        SC_THREAD(run);
    }
    void invalidate(sc_dt::uint64 s, sc_dt::uint64 e) {
        invalidations.emplace_back(s, e);
        bm.invalidate(s, e);
    }
    void run() {
        if (body) body(*this);
        tl.sync_now();
    }
};

// A target that records what it sees and grants DMI to its whole buffer.
struct Probe : sc_core::sc_module {
    tlm_utils::simple_target_socket<Probe> socket{"socket"};
    sc_time service = sc_time(10, SC_NS);
    std::vector<uint8_t> buf = std::vector<uint8_t>(8192);
    uint64_t last_addr = ~uint64_t(0);
    std::vector<sc_time> starts;  // kernel time + delay at the call: when the access starts
    bool saw_ext = false;
    MsiExtension seen;
    unsigned calls = 0;

    explicit Probe(sc_core::sc_module_name n) : sc_module(n) {
        socket.register_b_transport(this, &Probe::b_transport);
        socket.register_transport_dbg(this, &Probe::transport_dbg);
        socket.register_get_direct_mem_ptr(this, &Probe::get_direct_mem_ptr);
    }
    void b_transport(tlm::tlm_generic_payload& t, sc_time& d) {
        ++calls;
        last_addr = t.get_address();
        starts.push_back(sc_core::sc_time_stamp() + d);
        const MsiExtension* e = t.get_extension<MsiExtension>();
        saw_ext = e != nullptr;
        if (e) seen = *e;
        if (t.get_address() + t.get_data_length() > buf.size()) {
            t.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
            return;
        }
        if (t.is_read()) std::memcpy(t.get_data_ptr(), &buf[t.get_address()], t.get_data_length());
        if (t.is_write()) std::memcpy(&buf[t.get_address()], t.get_data_ptr(), t.get_data_length());
        d += service;
        t.set_dmi_allowed(true);
        t.set_response_status(tlm::TLM_OK_RESPONSE);
    }
    unsigned transport_dbg(tlm::tlm_generic_payload& t) {
        last_addr = t.get_address();
        if (t.get_address() + t.get_data_length() > buf.size()) return 0;
        if (t.is_read()) std::memcpy(t.get_data_ptr(), &buf[t.get_address()], t.get_data_length());
        if (t.is_write()) std::memcpy(&buf[t.get_address()], t.get_data_ptr(), t.get_data_length());
        return t.get_data_length();
    }
    bool get_direct_mem_ptr(tlm::tlm_generic_payload& t, tlm::tlm_dmi& dmi) {
        last_addr = t.get_address();
        dmi.set_dmi_ptr(buf.data());
        dmi.set_start_address(0);
        dmi.set_end_address(buf.size() - 1);
        dmi.allow_read_write();
        dmi.set_read_latency(sc_time(7, SC_NS));
        dmi.set_write_latency(sc_time(9, SC_NS));
        return true;
    }
};

}  // namespace

