// What the Redistributor tests (tb/redist/test_redistributor_*.cpp) share:
// a Redistributor + CpuInterface on a real Bus and Memory. A tester thread
// plays software (MMIO through the bus) and the ITS (the stream's
// operations, called directly or through deliver(), on its own Timeline). Expected times are computed from the parameters below,
// chosen unlike the defaults so that a wrong term shows. Header-only; each
// test_redistributor_*.cpp is its own executable.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <vector>

#include <tlm_utils/simple_initiator_socket.h>

#include "itsim/bus/bus.h"
#include "itsim/common/bus_master.h"
#include "itsim/cpu/cpu_interface.h"
#include "itsim/memory/memory.h"
#include "itsim/redist/redistributor.h"

using namespace itsim;
using sc_core::sc_time;
using sc_core::SC_NS;

namespace {

constexpr uint64_t kRam = 0x40000000;
constexpr uint64_t kRdBase = 0x080A0000;
constexpr uint64_t kProp = kRam + 0x100000;   // 4 KiB aligned
constexpr uint64_t kPend = kRam + 0x200000;   // 64 KiB aligned
constexpr uint8_t kGroup1 = 0x02;

inline uint8_t prop(uint8_t priority, bool enabled) {
    return uint8_t((priority & 0xFC) | kGroup1 | (enabled ? 1 : 0));
}

// Bus: 2 ns hop. Memory: 50 ns read, 40 ns write, 16 bytes per 1 ns cycle.
const sc_time kHop(2, SC_NS);
const sc_time kRead1 = kHop + sc_time(51, SC_NS);    // 1..16-byte read through the bus
const sc_time kRead64 = kHop + sc_time(54, SC_NS);   // 64-byte read
const sc_time kWrite1 = kHop + sc_time(41, SC_NS);
// Redistributor: 1 ns clock; lookup 3, update 2, signal 5, MMIO 4 cycles.
const sc_time kLookup(3, SC_NS), kUpdate(2, SC_NS), kSignal(5, SC_NS), kMmio(4, SC_NS);
// CPU: acknowledge 20 ns, handler 100 ns.
const sc_time kAck(20, SC_NS), kHandler(100, SC_NS);

inline uint64_t ps(const sc_time& t) { return uint64_t(t / sc_time(1, sc_core::SC_PS) + 0.5); }

struct Tester : sc_core::sc_module {
    tlm_utils::simple_initiator_socket<Tester> socket{"socket"};
    Timeline tl;
    BusMaster bm;
    std::function<void(Tester&)> body;

    SC_HAS_PROCESS(Tester);
    Tester(sc_core::sc_module_name n, TimingMode mode) : sc_module(n), tl(mode), bm(socket, false) {
        SC_THREAD(run);
    }
    void run() {
        if (body) body(*this);
        tl.sync_now();
    }
    bool wr(uint64_t off, uint64_t v, unsigned size = 4) {
        uint8_t b[8];
        for (unsigned i = 0; i < 8; ++i) b[i] = uint8_t(v >> (8 * i));
        return bm.access(tlm::TLM_WRITE_COMMAND, kRdBase + off, b, size, tl);
    }
    uint64_t rd(uint64_t off, unsigned size = 4, bool* ok = nullptr) {
        uint8_t b[8] = {};
        const bool r = bm.access(tlm::TLM_READ_COMMAND, kRdBase + off, b, size, tl);
        if (ok) *ok = r;
        uint64_t v = 0;
        for (unsigned i = 0; i < size; ++i) v |= uint64_t(b[i]) << (8 * i);
        return v;
    }
    void settle() { tl.sync_now(); }
    void pause(const sc_time& t) {
        tl.sync_now();
        sc_core::wait(t);
    }
};

inline MemoryConfig mem_config() {
    MemoryConfig c;
    c.size = 64ull << 20;
    c.read_latency = sc_time(50, SC_NS);
    c.write_latency = sc_time(40, SC_NS);
    c.clock_period = sc_time(1, SC_NS);
    c.bytes_per_cycle = 16;
    return c;
}

inline BusConfig bus_config() {
    BusConfig c;
    c.hop_cycles = 2;
    return c;
}

inline RedistTiming rd_timing() {
    RedistTiming t;
    t.config_lookup_cycles = 3;
    t.pending_update_cycles = 2;
    t.signal_cycles = 5;
    t.mmio_cycles = 4;
    return t;
}

inline RedistConfig rd_config(TimingMode mode = TimingMode::accurate,
                              PendingTablePolicy policy = PendingTablePolicy::lazy) {
    RedistConfig c;
    c.processor_number = 3;
    c.affinity = 0x00010203;
    c.rd_base = kRdBase;
    c.mode = mode;
    c.pending_table = policy;
    return c;
}
inline RedistConfig through(TimingMode mode = TimingMode::accurate) {
    return rd_config(mode, PendingTablePolicy::through);
}

inline CpuInterfaceConfig cpu_config() {
    CpuInterfaceConfig c;
    c.ack_latency = kAck;
    c.handler_latency = kHandler;
    return c;
}

struct System {
    Bus bus;
    Memory mem;
    Redistributor rd;
    CpuInterface cpu;
    Tester t;
    sc_core::sc_signal<bool> irq{"irq_line"};
    std::vector<AckRecord> acks;

    explicit System(const RedistConfig& rc = rd_config(),
                    TimingMode mode = TimingMode::accurate,
                    const CpuInterfaceConfig& cc = cpu_config())
        : bus("bus", bus_config()),
          mem("mem", mem_config()),
          rd("rd", rc, rd_timing()),
          cpu("cpu", cc),
          t("tester", mode) {
        t.socket.bind(bus.targ_socket);
        rd.bus.bind(bus.targ_socket);
        bus.init_socket.bind(mem.socket);   // port 0
        bus.init_socket.bind(rd.mmio);      // port 1
        bus.map(0, kRam, mem.config().size, "ram");
        bus.map(1, kRdBase, gicr::FRAME_SIZE, "gicr");
        rd.irq(irq);
        cpu.irq(irq);
        cpu.rd(rd);
        cpu.on_ack = [this](const AckRecord& r) { acks.push_back(r); };
    }
    // The acknowledge of `intid`, if it was taken.
    const AckRecord* ack(uint32_t intid) const {
        for (const AckRecord& a : acks)
            if (a.intid == intid) return &a;
        return nullptr;
    }
    // The store is addressed from the memory's base (the bus forwards relative addresses).
    void set_prop(uint32_t intid, uint8_t v) {
        ASSERT_TRUE(mem.store().write(kProp - kRam + intid - 8192, &v, 1));
    }
    uint8_t pend_byte(uint32_t intid) {
        uint8_t v = 0xEE;
        EXPECT_TRUE(mem.store().read(kPend - kRam + intid / 8, &v, 1));
        return v;
    }
    void set_pend_byte(uint64_t index, uint8_t v) {
        ASSERT_TRUE(mem.store().write(kPend - kRam + index, &v, 1));
    }
    // Software's LPI set-up: 16 INTID bits, PTZ as asked, EnableLPIs.
    void enable(Tester& t, bool ptz = true, unsigned idbits = 15) {
        ASSERT_TRUE(t.wr(gicr::PROPBASER, kProp | idbits, 8));
        ASSERT_TRUE(t.wr(gicr::PENDBASER, kPend | (ptz ? gicr::PENDBASER_PTZ : 0), 8));
        ASSERT_TRUE(t.wr(gicr::CTLR, gicr::CTLR_EnableLPIs));
    }
    void run(std::function<void(Tester&)> body) {
        t.body = std::move(body);
        sc_core::sc_start();
    }
    // Software's LPI set-up (enable()), then `body` from the time it is
    // done, which is returned.
    sc_time run_enabled(const std::function<void(Tester&)>& body) {
        sc_time t0;
        run([&](Tester& t) {
            enable(t);
            t.settle();
            t0 = sc_core::sc_time_stamp();
            body(t);
        });
        return t0;
    }
};

// A posted set_pending (LpiOp::posted: the ITS's fast inline MSIs),
// through deliver().
inline LpiRefusal post(Redistributor& rd, uint32_t intid, Timeline& tl) {
    LpiOp op = LpiOp::physical(LpiOp::Kind::set_pending, intid);
    op.posted = true;
    return rd.deliver(op, tl).refusal;
}

}  // namespace
