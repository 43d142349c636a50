// Bus (decode, translation, errors, contention, DMI) and BusMaster (the
// initiators' helper, accurate and fast modes). Expected times are computed
// from the parameters below.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <functional>
#include <vector>

#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include "bus/bus.h"
#include "common/bus_master.h"
#include "common/msi_ext.h"
#include "memory/memory.h"

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

BusConfig bus_config() {
    BusConfig c;
    c.clock_period = sc_time(1, SC_NS);
    c.hop_cycles = 3;
    return c;
}

MemoryConfig mem_config(uint64_t size = 1 << 20) {
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

// ------------------------------------------------------------ mapping

TEST(Bus, OverlappingMappingsThrow) {
    Bus bus("bus");
    bus.map(0, 0x1000, 0x1000, "a");
    bus.map(1, 0x3000, 0x1000, "b");
    bus.map(2, 0x2000, 0x1000, "between");  // adjacent on both sides: fine
    EXPECT_THROW(bus.map(3, 0x1000, 0x1000, "same"), std::invalid_argument);
    EXPECT_THROW(bus.map(3, 0x0800, 0x0801, "below"), std::invalid_argument);
    EXPECT_THROW(bus.map(3, 0x3FFF, 0x10, "above"), std::invalid_argument);
    EXPECT_THROW(bus.map(3, 0x1800, 0x10, "inside"), std::invalid_argument);
    EXPECT_THROW(bus.map(3, 0x0, 0x10000, "around"), std::invalid_argument);
    EXPECT_THROW(bus.map(3, 0x9000, 0, "empty"), std::invalid_argument);
    EXPECT_THROW(bus.map(3, ~uint64_t(0) - 10, 0x100, "wraps"), std::invalid_argument);
    try {
        bus.map(3, 0x1F00, 0x200, "gits");
        FAIL() << "no throw";
    } catch (const std::invalid_argument& e) {
        std::string msg = e.what();
        EXPECT_NE(msg.find("'gits'"), std::string::npos) << msg;
        EXPECT_NE(msg.find("'a'"), std::string::npos) << msg;
        EXPECT_NE(msg.find("0x1f00"), std::string::npos) << msg;
    }
    bus.map(3, 0x4000, 0x10, "after");
    ASSERT_EQ(bus.mappings().size(), 4u);
    EXPECT_EQ(bus.mappings()[1].name, "between");
    EXPECT_EQ(bus.decode(0x2FFF, 1)->name, "between");
    EXPECT_EQ(bus.decode(0x2FFF, 2), nullptr);  // crosses into b: not one window
    EXPECT_EQ(bus.decode(0x0FFF, 1), nullptr);
    EXPECT_EQ(bus.decode(0x4010, 1), nullptr);
}

// --------------------------------------------- decode and translation

TEST(Bus, DecodesToTwoTargetsWithRelativeAddresses) {
    Initiator cpu("cpu");
    Bus bus("bus", bus_config());
    Memory ram("ram", mem_config());
    Probe dev("dev");
    cpu.socket.bind(bus.targ_socket);
    bus.init_socket.bind(ram.socket);  // port 0
    bus.init_socket.bind(dev.socket);  // port 1
    bus.map(0, 0x40000000, 1 << 20, "ram");
    bus.map(1, 0x08080000, 0x1000, "dev");

    uint64_t restored = 0;
    cpu.body = [&](Initiator& i) {
        uint32_t v = 0xCAFEF00D;
        EXPECT_TRUE(i.bm.write(0x40000010, &v, 4));
        v = 0x12345678;
        EXPECT_TRUE(i.bm.write(0x08080020, &v, 4));
        // The payload's address comes back as the initiator sent it.
        tlm::tlm_generic_payload t;
        uint32_t r = 0;
        t.set_command(tlm::TLM_READ_COMMAND);
        t.set_address(0x40000010);
        t.set_data_ptr(reinterpret_cast<unsigned char*>(&r));
        t.set_data_length(4);
        t.set_streaming_width(4);
        sc_time d = sc_core::SC_ZERO_TIME;
        i.socket->b_transport(t, d);
        EXPECT_EQ(t.get_response_status(), tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(r, 0xCAFEF00Du);
        restored = t.get_address();
        // Debug transport: same decode, no time.
        t.set_address(0x08080020);
        EXPECT_EQ(i.socket->transport_dbg(t), 4u);
        EXPECT_EQ(r, 0x12345678u);
        t.set_address(0x08081000);
        EXPECT_EQ(i.socket->transport_dbg(t), 0u);
    };
    sc_core::sc_start();

    uint32_t in_ram = 0;
    ASSERT_TRUE(ram.store().read(0x10, &in_ram, 4));
    EXPECT_EQ(in_ram, 0xCAFEF00Du);
    uint32_t in_dev = 0;
    std::memcpy(&in_dev, &dev.buf[0x20], 4);
    EXPECT_EQ(in_dev, 0x12345678u);
    EXPECT_EQ(dev.last_addr, 0x20u);
    EXPECT_EQ(restored, 0x40000010u);
    EXPECT_EQ(bus.port_stats(0).transactions, 2u);
    EXPECT_EQ(bus.port_stats(1).transactions, 1u);
    // write ram, write dev, read ram (the raw read's delay was not waited)
    EXPECT_EQ(sc_core::sc_time_stamp(), (kHop + kWrite8) + (kHop + dev.service));
}

TEST(Bus, UnmappedAndCrossingAccessesGetAddressError) {
    Initiator cpu("cpu");
    Bus bus("bus", bus_config());
    Memory ram("ram", mem_config(0x10000));
    cpu.socket.bind(bus.targ_socket);
    bus.init_socket.bind(ram.socket);
    bus.map(0, 0x40000000, 0x1000, "ram");  // the window is smaller than the memory
    bus.map(0, 0x50000000, 0x1000, "ram-alias");

    std::vector<tlm::tlm_response_status> st;
    std::vector<sc_time> at;
    cpu.body = [&](Initiator& i) {
        uint64_t v = 0;
        for (uint64_t a : {0x1000ull, 0x48000000ull, 0x40000FFCull, 0x40001000ull,
                           0xFFFFFFFFFFFFFFFCull}) {
            EXPECT_FALSE(i.bm.read(a, &v, 8)) << std::hex << a;
            st.push_back(i.bm.last_status());
            at.push_back(i.tl.now());
        }
        // The alias reaches the same memory bytes.
        v = 0x55;
        EXPECT_TRUE(i.bm.write(0x50000100, &v, 8));
        v = 0;
        EXPECT_TRUE(i.bm.read(0x40000100, &v, 8));
        EXPECT_EQ(v, 0x55u);
    };
    sc_core::sc_start();
    ASSERT_EQ(st.size(), 5u);
    for (unsigned k = 0; k < st.size(); ++k) {
        EXPECT_EQ(st[k], tlm::TLM_ADDRESS_ERROR_RESPONSE) << k;
        EXPECT_EQ(at[k], kHop * double(k + 1)) << k;  // an error costs the hop only
    }
    EXPECT_EQ(bus.unmapped_errors(), 5u);
    EXPECT_EQ(cpu.bm.stats().errors, 5u);
    EXPECT_EQ(ram.stats().reads + ram.stats().errors, 1u);  // only the good read reached it
}

TEST(Bus, UnboundPortIsReportedAtElaboration) {
    Initiator cpu("cpu");
    Bus bus("bus", bus_config());
    Memory ram("ram", mem_config());
    cpu.socket.bind(bus.targ_socket);
    bus.init_socket.bind(ram.socket);
    bus.map(0, 0x0, 0x1000, "ram");
    bus.map(1, 0x1000, 0x1000, "nothing");
    EXPECT_THROW(sc_core::sc_start(), sc_core::sc_report);
}

// ---------------------------------------------------------- contention

TEST(Bus, TwoReadsToOneMemoryQueue) {
    Initiator a("a"), b("b");
    Bus bus("bus", bus_config());
    Memory ram("ram", mem_config());
    a.socket.bind(bus.targ_socket);
    b.socket.bind(bus.targ_socket);
    bus.init_socket.bind(ram.socket);
    bus.map(0, 0x40000000, 1 << 20, "ram");

    std::vector<sc_time> done;
    auto body = [&](Initiator& i) {
        uint64_t v;
        EXPECT_TRUE(i.bm.read(0x40000000, &v, 8));
        const sc_time t = i.tl.now();
        done.push_back(t);
        i.tl.sync_now();
        EXPECT_EQ(sc_core::sc_time_stamp(), t);
    };
    a.body = body;
    b.body = body;
    sc_core::sc_start();
    ASSERT_EQ(done.size(), 2u);
    std::sort(done.begin(), done.end());
    EXPECT_EQ(done[0], kHop + kRead8);        // 45 ns
    EXPECT_EQ(done[1], kHop + 2.0 * kRead8);  // 87 ns
    const BusPortStats& s = bus.port_stats(0);
    EXPECT_EQ(s.transactions, 2u);
    EXPECT_EQ(s.busy, 2.0 * kRead8);
    EXPECT_EQ(s.waiting, kRead8);
    EXPECT_EQ(s.busy_until, kHop + 2.0 * kRead8);
}

TEST(Bus, ReadsToDifferentTargetsDoNotWait) {
    Initiator a("a"), b("b");
    Bus bus("bus", bus_config());
    Memory ram0("ram0", mem_config()), ram1("ram1", mem_config());
    a.socket.bind(bus.targ_socket);
    b.socket.bind(bus.targ_socket);
    bus.init_socket.bind(ram0.socket);
    bus.init_socket.bind(ram1.socket);
    bus.map(0, 0x40000000, 1 << 20, "ram0");
    bus.map(1, 0x80000000, 1 << 20, "ram1");

    sc_time done_a, done_b;
    a.body = [&](Initiator& i) {
        uint64_t v;
        EXPECT_TRUE(i.bm.read(0x40000000, &v, 8));
        done_a = i.tl.now();
    };
    b.body = [&](Initiator& i) {
        uint64_t v;
        EXPECT_TRUE(i.bm.read(0x80000000, &v, 8));
        done_b = i.tl.now();
    };
    sc_core::sc_start();
    EXPECT_EQ(done_a, kHop + kRead8);
    EXPECT_EQ(done_b, kHop + kRead8);
    EXPECT_EQ(bus.port_stats(0).waiting, sc_core::SC_ZERO_TIME);
    EXPECT_EQ(bus.port_stats(1).waiting, sc_core::SC_ZERO_TIME);
}

TEST(Bus, TargetSeesTheQueuedStartTime) {
    Initiator a("a"), b("b");
    Bus bus("bus", bus_config());
    Probe dev("dev");
    a.socket.bind(bus.targ_socket);
    b.socket.bind(bus.targ_socket);
    bus.init_socket.bind(dev.socket);
    bus.map(0, 0x1000, 0x1000, "dev");
    // b arrives 4 ns after a, while a's access (hop 3 + service 10) is served.
    a.body = [&](Initiator& i) {
        uint32_t v = 1;
        EXPECT_TRUE(i.bm.write(0x1000, &v, 4));
    };
    sc_time done_b;
    b.body = [&](Initiator& i) {
        i.tl.spend(sc_time(4, SC_NS));
        uint32_t v = 2;
        EXPECT_TRUE(i.bm.write(0x1004, &v, 4));
        done_b = i.tl.now();
    };
    sc_core::sc_start();
    ASSERT_EQ(dev.starts.size(), 2u);
    EXPECT_EQ(dev.starts[0], kHop);                  // 3 ns
    EXPECT_EQ(dev.starts[1], kHop + dev.service);    // 13 ns, not 4 + 3
    EXPECT_EQ(done_b, kHop + 2.0 * dev.service);     // 23 ns
    EXPECT_EQ(bus.port_stats(0).waiting, kHop + dev.service - (sc_time(4, SC_NS) + kHop));
}

// ------------------------------------------------------------------ DMI

TEST(Bus, DmiIsTranslatedClippedAndCostsTheHop) {
    Initiator cpu("cpu", TimingMode::fast, true);
    Bus bus("bus", bus_config());
    Probe dev("dev");  // grants its whole 8 KiB
    Memory ram("ram", mem_config());
    cpu.socket.bind(bus.targ_socket);
    bus.init_socket.bind(dev.socket);
    bus.init_socket.bind(ram.socket);
    bus.map(0, 0x10000, 0x1800, "dev");  // 6 KiB window on an 8 KiB target
    bus.map(1, 0x40000000, 1 << 20, "ram");

    cpu.body = [&](Initiator& i) {
        tlm::tlm_generic_payload t;
        t.set_command(tlm::TLM_READ_COMMAND);
        tlm::tlm_dmi dmi;

        t.set_address(0x10100);
        ASSERT_TRUE(i.socket->get_direct_mem_ptr(t, dmi));
        EXPECT_EQ(dev.last_addr, 0x100u);
        EXPECT_EQ(t.get_address(), 0x10100u);
        EXPECT_EQ(dmi.get_start_address(), 0x10000u);
        EXPECT_EQ(dmi.get_end_address(), 0x117FFu);  // clipped: not 0x11FFF
        EXPECT_EQ(dmi.get_dmi_ptr(), dev.buf.data());
        EXPECT_EQ(dmi.get_read_latency(), sc_time(7, SC_NS) + kHop);
        EXPECT_EQ(dmi.get_write_latency(), sc_time(9, SC_NS) + kHop);

        // Memory: page-sized grant at global addresses, 8-byte cost + hop.
        dmi.init();
        t.set_command(tlm::TLM_WRITE_COMMAND);
        t.set_address(0x40002010);
        ASSERT_TRUE(i.socket->get_direct_mem_ptr(t, dmi));
        EXPECT_EQ(dmi.get_start_address(), 0x40002000u);
        EXPECT_EQ(dmi.get_end_address(), 0x40002FFFu);
        EXPECT_EQ(dmi.get_read_latency(), kRead8 + kHop);
        EXPECT_EQ(dmi.get_write_latency(), kWrite8 + kHop);
        dmi.get_dmi_ptr()[0x10] = 0x99;

        // Unmapped: refused for the whole gap.
        dmi.init();
        t.set_address(0x20000000);
        EXPECT_FALSE(i.socket->get_direct_mem_ptr(t, dmi));
        EXPECT_EQ(dmi.get_start_address(), 0x11800u);
        EXPECT_EQ(dmi.get_end_address(), 0x3FFFFFFFu);
    };
    sc_core::sc_start();
    uint8_t b = 0;
    ASSERT_TRUE(ram.store().read(0x2010, &b, 1));
    EXPECT_EQ(b, 0x99);
}

TEST(Bus, InvalidationReachesInitiatorsAndDropsTheirRegions) {
    Initiator a("a", TimingMode::fast, true), b("b", TimingMode::fast, true);
    Bus bus("bus", bus_config());
    Probe dev("dev");
    a.socket.bind(bus.targ_socket);
    b.socket.bind(bus.targ_socket);
    bus.init_socket.bind(dev.socket);
    bus.map(0, 0x10000, 0x1800, "dev");

    a.body = [&](Initiator& i) {
        uint32_t v = 0;
        EXPECT_TRUE(i.bm.read(0x10000, &v, 4));  // b_transport, then DMI requested
        EXPECT_TRUE(i.bm.read(0x10004, &v, 4));  // DMI
        EXPECT_EQ(i.bm.stats().dmi_accesses, 1u);
        EXPECT_EQ(dev.calls, 1u);
        // The target withdraws [0x1000, 0x1FFF] (relative): global 0x11000..0x117FF.
        dev.socket->invalidate_direct_mem_ptr(0x1000, 0x1FFF);
        EXPECT_TRUE(i.bm.read(0x10008, &v, 4));  // must not use the dropped region
        EXPECT_EQ(i.bm.stats().dmi_accesses, 1u);
        EXPECT_EQ(dev.calls, 2u);
        EXPECT_TRUE(i.bm.read(0x1000C, &v, 4));  // re-granted
        EXPECT_EQ(i.bm.stats().dmi_accesses, 2u);
    };
    sc_core::sc_start();
    for (Initiator* i : {&a, &b}) {
        ASSERT_EQ(i->invalidations.size(), 1u);
        EXPECT_EQ(i->invalidations[0].first, 0x11000u);
        EXPECT_EQ(i->invalidations[0].second, 0x117FFu);
    }
}

// ----------------------------------------------------------- extensions

TEST(Bus, MsiExtensionReachesTheTargetUnchanged) {
    Initiator dev_side("msi_source");
    Bus bus("bus", bus_config());
    Probe its("its");
    dev_side.socket.bind(bus.targ_socket);
    bus.init_socket.bind(its.socket);
    bus.map(0, 0x08080000, 0x20000, "gits");

    bool after_plain = true;
    MsiExtension seen_first;
    dev_side.body = [&](Initiator& i) {
        MsiExtension ext(0x1234, 77);
        uint32_t event_id = 5;
        EXPECT_TRUE(i.bm.access(tlm::TLM_WRITE_COMMAND, 0x08080040, &event_id, 4, i.tl, &ext));
        EXPECT_TRUE(its.saw_ext);
        seen_first = its.seen;
        EXPECT_EQ(ext.device_id, 0x1234u);  // still the caller's
        // The next plain access carries no extension: it was removed.
        EXPECT_TRUE(i.bm.write(0x08080040, &event_id, 4));
        after_plain = its.saw_ext;
    };
    sc_core::sc_start();
    EXPECT_EQ(seen_first.device_id, 0x1234u);
    EXPECT_EQ(seen_first.tag, 77u);
    EXPECT_EQ(its.last_addr, 0x40u);
    EXPECT_FALSE(after_plain);
}

// ----------------------------------------------------- accurate vs fast

namespace {
// One initiator, one bus, one memory.
struct System {
    Initiator cpu;
    Bus bus;
    Memory ram;
    System(const char* n, TimingMode mode)
        : cpu((std::string(n) + "_cpu").c_str(), mode, true),
          bus((std::string(n) + "_bus").c_str(), bus_config()),
          ram((std::string(n) + "_ram").c_str(), mem_config()) {
        cpu.socket.bind(bus.targ_socket);
        bus.init_socket.bind(ram.socket);
        bus.map(0, 0x40000000, 1 << 20, "ram");
    }
};

struct Step {
    bool write;
    uint64_t addr;
    unsigned len;
};

// The same accesses for both modes; records each access's completion time
// and the values read.
void run_steps(Initiator& i, const std::vector<Step>& steps, std::vector<sc_time>& t,
               std::vector<uint64_t>& values) {
    uint64_t seq = 0x0102030405060708ull;
    for (const Step& s : steps) {
        uint64_t v = 0;
        if (s.write) {
            seq += 0x1111;
            EXPECT_TRUE(i.bm.write(s.addr, &seq, s.len));
        } else {
            EXPECT_TRUE(i.bm.read(s.addr, &v, s.len));
        }
        t.push_back(i.tl.now());
        values.push_back(v);
    }
}
}  // namespace

TEST(BusMaster, AccurateAndFastGiveTheSameTimesWhenIdle) {
    tlm::tlm_global_quantum::instance().set(sc_time(1, sc_core::SC_US));
    System acc("acc", TimingMode::accurate), fast("fast", TimingMode::fast);
    const std::vector<Step> steps = {
        {true, 0x40000000, 8},  {false, 0x40000000, 4}, {false, 0x40000004, 4},
        {false, 0x40000000, 8}, {true, 0x40000008, 4},  {false, 0x40000008, 8},
        {true, 0x40001FFC, 4},  {false, 0x40001FFC, 4}, {false, 0x40000100, 8},
        {true, 0x40000010, 8},  {false, 0x40000010, 8}, {false, 0x40000FFC, 8},  // crosses a page
    };
    std::vector<sc_time> ta, tf;
    std::vector<uint64_t> va, vf;
    acc.cpu.body = [&](Initiator& i) { run_steps(i, steps, ta, va); };
    fast.cpu.body = [&](Initiator& i) { run_steps(i, steps, tf, vf); };
    sc_core::sc_start();

    ASSERT_EQ(ta.size(), steps.size());
    EXPECT_EQ(ta, tf);
    EXPECT_EQ(va, vf);
    // From the parameters: every access costs hop + the 1..8-byte cost.
    sc_time expect = sc_core::SC_ZERO_TIME;
    for (unsigned k = 0; k < steps.size(); ++k) {
        expect += kHop + (steps[k].write ? kWrite8 : kRead8);
        EXPECT_EQ(ta[k], expect) << k;
    }
    EXPECT_EQ(va[1], 0x0102030405061819ull & 0xFFFFFFFF);
    EXPECT_EQ(acc.cpu.bm.stats().dmi_accesses, 0u);
    // fast: the first access of each page and the page-crossing read go
    // over the bus, the other 9 through DMI.
    EXPECT_EQ(fast.cpu.bm.stats().dmi_accesses, 9u);
    EXPECT_EQ(fast.cpu.bm.stats().reads + fast.cpu.bm.stats().writes, steps.size());
}

TEST(BusMaster, ErrorsReturnFalseInBothModes) {
    Initiator acc("acc", TimingMode::accurate, true), fast("fast", TimingMode::fast, true);
    Bus bus("bus", bus_config());
    Memory ram("ram", mem_config(0x2000));
    acc.socket.bind(bus.targ_socket);
    fast.socket.bind(bus.targ_socket);
    bus.init_socket.bind(ram.socket);
    bus.map(0, 0x0, 0x4000, "ram");  // window larger than the memory
    auto body = [&](Initiator& i) {
        uint64_t v = 0;
        EXPECT_FALSE(i.bm.read(0x3000, &v, 8));  // the memory refuses
        EXPECT_EQ(i.bm.last_status(), tlm::TLM_ADDRESS_ERROR_RESPONSE);
        EXPECT_FALSE(i.bm.access(static_cast<tlm::tlm_command>(3), 0x100, &v, 8, i.tl));
        EXPECT_EQ(i.bm.last_status(), tlm::TLM_COMMAND_ERROR_RESPONSE);
        EXPECT_FALSE(i.bm.read(0x8000, &v, 8));  // the bus refuses
        EXPECT_EQ(i.bm.stats().errors, 3u);
    };
    acc.body = body;
    fast.body = body;
    sc_core::sc_start();
}
