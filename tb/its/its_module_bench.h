// What the Its module tests (tb/its/test_its_module_*.cpp) share: the Its
// on a real Bus and Memory, with fake redistributors of a fixed cost, a
// host thread that plays software and devices, and the costs on an idle
// system from the parameters. Each TEST elaborates once (one process per
// TEST under CTest). Header-only.
#pragma once

#define SC_INCLUDE_DYNAMIC_PROCESSES
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>

#include "itsim/bus/bus.h"
#include "itsim/common/bus_master.h"
#include "itsim/common/msi_ext.h"
#include "itsim/its/its.h"
#include "itsim/memory/memory.h"

using namespace itsim;
using sc_core::sc_time;
using sc_core::SC_NS;

namespace {

constexpr uint64_t kRam = 0x4000'0000;
constexpr uint64_t kRamSize = 64ull << 20;
constexpr uint64_t kItsBase = 0x0808'0000;
constexpr uint64_t kDt = kRam + 0x10000;
constexpr uint64_t kCt = kRam + 0x20000;
constexpr uint64_t kCq = kRam + 0x40000;    // 4 KiB: 128 commands
constexpr uint64_t kItt = kRam + 0x100000;  // ITT of device d at kItt + d * 0x1000

inline uint64_t ps(const sc_time& t) { return static_cast<uint64_t>(t.value() / sc_time(1, sc_core::SC_PS).value()); }
constexpr uint64_t kNs = 1000;   // ps

// A redistributor stand-in on the ITS's stream: every op costs `cost` on
// the caller's timeline and never waits (so a posted set_pending, fast
// mode's inline MSIs, is the same as a plain one).
struct FakeRd : LpiStreamIf {
    uint32_t pn;
    uint64_t base;
    sc_time cost;
    std::set<uint32_t> pending;
    std::vector<std::pair<std::string, uint64_t>> log;   // op, time (ps) when it returned
    FakeRd(uint32_t p, uint64_t b, sc_time c) : pn(p), base(b), cost(c) {}
    uint32_t processor_number() const override { return pn; }
    uint64_t rd_base() const override { return base; }
    void note(const char* op, Timeline& tl) {
        tl.spend(cost);
        log.push_back({op, ps(tl.now())});
    }
    LpiResult deliver(const LpiOp& op, Timeline& tl) override {
        LpiResult r;
        switch (op.kind) {
        case LpiOp::Kind::set_pending:
            note("set", tl);
            pending.insert(op.intid);
            break;
        case LpiOp::Kind::clear_pending:
            note("clear", tl);
            r.was_pending = pending.erase(op.intid) != 0;
            break;
        case LpiOp::Kind::inv: note("inv", tl); break;
        case LpiOp::Kind::invall: note("invall", tl); break;
        case LpiOp::Kind::sync: note("sync", tl); break;
        case LpiOp::Kind::take_all:
            note("take_all", tl);
            r.taken.assign(pending.begin(), pending.end());
            pending.clear();
            break;
        default: r.unsupported = true; break;
        }
        return r;
    }
};

// Software and devices: runs `program` in one thread.
struct Host : sc_core::sc_module {
    tlm_utils::simple_initiator_socket<Host> socket;
    Timeline tl;
    BusMaster bm;
    std::function<void(Host&)> program;
    const sc_core::sc_event* creadr_ev = nullptr;
    uint64_t widx = 0;
    uint64_t last_kick_ps = 0;

    Host(sc_core::sc_module_name n, TimingMode mode) : sc_module(n), socket("socket"), tl(mode), bm(socket, false) {
        bm.set_timeline(&tl);
        sc_core::sc_spawn([this] {
            if (program) program(*this);
        });
    }
    bool wr(uint64_t addr, uint64_t v, unsigned len) {
        uint8_t b[8];
        for (unsigned i = 0; i < 8; ++i) b[i] = uint8_t(v >> (8 * i));
        return bm.access(tlm::TLM_WRITE_COMMAND, addr, b, len, tl);
    }
    uint64_t rd(uint64_t addr, unsigned len) {
        uint8_t b[8] = {};
        bm.access(tlm::TLM_READ_COMMAND, addr, b, len, tl);
        uint64_t v = 0;
        for (unsigned i = 0; i < len; ++i) v |= uint64_t{b[i]} << (8 * i);
        return v;
    }
    void at(uint64_t t_ps) {
        tl.sync_now();
        const sc_time t = sc_time(double(t_ps), sc_core::SC_PS);
        if (sc_core::sc_time_stamp() < t) sc_core::wait(t - sc_core::sc_time_stamp());
    }
    void append(const ItsCommand& c) {
        uint8_t b[32];
        to_bytes(encode(c), b);
        bm.access(tlm::TLM_WRITE_COMMAND, kCq + widx, b, 32, tl);
        widx = (widx + 32) % 4096;
    }
    void kick() {
        tl.sync_now();
        last_kick_ps = ps(tl.now());
        wr(kItsBase + gits::CWRITER, widx, 8);
    }
    // Returns false if the queue stalled.
    bool drain() {
        for (;;) {
            const uint64_t c = rd(kItsBase + gits::CREADR, 8);
            if ((c & ~uint64_t{1}) == widx) return true;
            if (c & 1) return false;
            tl.sync_now();
            sc_core::wait(*creadr_ev);
        }
    }
    void run(const std::vector<ItsCommand>& cmds) {
        for (auto& c : cmds) append(c);
        kick();
        drain();
    }
    // A posted MSI write: leaves now, its response is not waited for.
    void msi(uint32_t dev, uint32_t ev, uint64_t tag, unsigned len = 4, bool with_ext = true) {
        Timeline posted(tl.mode());
        tl.sync_now();
        MsiExtension ext(dev, tag);
        uint8_t b[4];
        for (unsigned i = 0; i < 4; ++i) b[i] = uint8_t(ev >> (8 * i));
        if (with_ext) bm.access(tlm::TLM_WRITE_COMMAND, kItsBase + gits::TRANSLATER, b, len, posted, &ext);
        else bm.access(tlm::TLM_WRITE_COMMAND, kItsBase + gits::TRANSLATER, b, len, posted);
    }
    // Program the ITS as a driver does: flat 4K tables, a 4 KiB queue.
    void bring_up() {
        wr(kItsBase + gits::BASER0, baser::kValid | (kDt & baser::kAddrMask), 8);
        wr(kItsBase + gits::BASER0 + 8, baser::kValid | (kCt & baser::kAddrMask), 8);
        wr(kItsBase + gits::CBASER, gits::CBASER_Valid | kCq, 8);
        wr(kItsBase + gits::CWRITER, 0, 8);
        wr(kItsBase + gits::CTLR, 1, 4);
    }
};

inline ItsCommand cmd(ItsOpcode op) {
    ItsCommand c;
    c.opcode = uint8_t(op);
    return c;
}
using build::mapc;
using build::mapti;

inline ItsCommand mapd(uint32_t dev, uint8_t size) {
    ItsCommand c = cmd(ItsOpcode::MAPD);
    c.device = dev;
    c.itt_addr = kItt + dev * 0x1000ull;
    c.size = size;
    c.valid = true;
    return c;
}

// The platform under test.
struct Bench {
    ItsModuleConfig cfg;
    MemoryConfig mcfg;
    BusConfig bcfg;
    std::unique_ptr<Memory> ram;
    std::unique_ptr<Bus> bus;
    std::unique_ptr<Its> its;
    std::unique_ptr<Host> host;
    std::vector<std::unique_ptr<FakeRd>> rds;
    std::vector<CommandRecord> cmds;
    std::vector<MsiRecord> msis;
    std::vector<StallRecord> stalls;
    unsigned max_reads_seen = 0, max_writes_seen = 0;

    explicit Bench(TimingMode mode, std::function<void(ItsModuleConfig&)> tweak = nullptr) {
        cfg.mode = mode;
        cfg.use_dmi = mode == TimingMode::fast;
        if (tweak) tweak(cfg);
        mcfg.size = kRamSize;
        // Costs below are written for 50 ns reads and writes.
        mcfg.read_latency = sc_time(50, sc_core::SC_NS);
        mcfg.write_latency = sc_time(50, sc_core::SC_NS);
        if (mode == TimingMode::fast) tlm::tlm_global_quantum::instance().set(sc_time(1, sc_core::SC_US));
        ram = std::make_unique<Memory>("ram", mcfg);
        bus = std::make_unique<Bus>("bus", bcfg);
        its = std::make_unique<Its>("its", cfg);
        host = std::make_unique<Host>("host", mode);
        host->socket.bind(bus->targ_socket);
        its->bus.bind(bus->targ_socket);
        bus->init_socket.bind(ram->socket);
        bus->map(0, kRam, kRamSize, "ram");
        bus->init_socket.bind(its->mmio);
        bus->map(1, kItsBase, Its::kFrameBytes, "its");
        for (unsigned i = 0; i < 4; ++i) {
            rds.push_back(std::make_unique<FakeRd>(i, 0x080A'0000ull + i * 0x20000, sc_time(5, SC_NS)));
            its->rd(*rds.back());
        }
        its->on_command = [this](const CommandRecord& r) { cmds.push_back(r); };
        its->on_msi = [this](const MsiRecord& r) { msis.push_back(r); };
        its->on_stall = [this](const StallRecord& r) { stalls.push_back(r); };
        its->on_probe = [this] {
            max_reads_seen = std::max(max_reads_seen, its->probe().reads_in_flight);
            max_writes_seen = std::max(max_writes_seen, its->probe().writes_in_flight);
        };
        host->creadr_ev = &its->creadr_event();
    }
    void run(std::function<void(Host&)> program) {
        host->program = std::move(program);
        sc_core::sc_start();
    }
    const MsiRecord* msi(uint64_t tag) const {
        for (auto& m : msis)
            if (m.tag == tag) return &m;
        return nullptr;
    }
};

// Costs on an idle system, from the parameters (defaults: bus hop 2 ns,
// memory 50 ns + 1 ns per 16 bytes, ITS register 2, ingress 2, decode 2,
// execute 2, lookup 1, hop 4 cycles of 1 ns, redistributor 5 ns).
struct Costs {
    uint64_t hop_bus = 2 * kNs;
    uint64_t read8 = hop_bus + 51 * kNs;    // table read
    uint64_t write8 = hop_bus + 51 * kNs;   // table write
    uint64_t fetch = hop_bus + 52 * kNs;    // 32-byte command read
    uint64_t reg = 2 * kNs, ingress = 2 * kNs, decode = 2 * kNs, execute = 2 * kNs;
    uint64_t lookup = 1 * kNs, hop = 4 * kNs, rd = 5 * kNs;
    // CWRITER write leaving the host at t -> the engine starts at t + kick.
    uint64_t kick = hop_bus + reg;
};

class ItsModuleModes : public ::testing::TestWithParam<TimingMode> {};

}  // namespace
