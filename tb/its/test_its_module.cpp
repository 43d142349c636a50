// The Its module on a real Bus and Memory, with fake redistributors of a
// fixed cost: analytic latencies of commands and MSIs on an idle system in
// both timing modes, the outstanding-read limit under contention, stalls,
// back-pressure and the MMIO frames. Each TEST elaborates once (one process
// per TEST under CTest).
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

#include "bus/bus.h"
#include "common/bus_master.h"
#include "common/msi_ext.h"
#include "its/its.h"
#include "memory/memory.h"

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

uint64_t ps(const sc_time& t) { return static_cast<uint64_t>(t.value() / sc_time(1, sc_core::SC_PS).value()); }
constexpr uint64_t kNs = 1000;   // ps

// A redistributor stand-in: every call costs `cost` on the caller's timeline.
struct FakeRd : LpiTarget {
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
    LpiRefusal set_pending(uint32_t intid, Timeline& tl) override {
        note("set", tl);
        pending.insert(intid);
        return LpiRefusal::none;
    }
    bool clear_pending(uint32_t intid, Timeline& tl) override {
        note("clear", tl);
        return pending.erase(intid) != 0;
    }
    void inv(uint32_t, Timeline& tl) override { note("inv", tl); }
    void invall(Timeline& tl) override { note("invall", tl); }
    void sync(Timeline& tl) override { note("sync", tl); }
    std::vector<uint32_t> take_all_pending(Timeline& tl) override {
        note("take_all", tl);
        std::vector<uint32_t> v(pending.begin(), pending.end());
        pending.clear();
        return v;
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

ItsCommand cmd(ItsOpcode op) {
    ItsCommand c;
    c.opcode = uint8_t(op);
    return c;
}
using build::mapc;
using build::mapti;

ItsCommand mapd(uint32_t dev, uint8_t size) {
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
        std::vector<LpiTarget*> t;
        for (unsigned i = 0; i < 4; ++i) {
            rds.push_back(std::make_unique<FakeRd>(i, 0x080A'0000ull + i * 0x20000, sc_time(5, SC_NS)));
            t.push_back(rds.back().get());
        }
        its->attach_redistributors(t);
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

// ---------------------------------------------------------------------------
// Analytic latencies: MAPD, MAPTI, cold MSI, hot MSI, MOVI, INV, SYNC.
// ---------------------------------------------------------------------------
TEST_P(ItsModuleModes, AnalyticLatenciesOnAnIdleSystem) {
    Bench b(GetParam());
    const Costs c;
    struct Marks { uint64_t mapd, mapti, cold, hot, movi, inv, sync; } k{};
    b.run([&](Host& h) {
        h.bring_up();
        h.run({mapc(1, 1), mapc(2, 2)});
        h.at(10'000 * kNs);
        h.append(mapd(1, 4));
        h.kick();
        k.mapd = h.last_kick_ps;
        h.drain();
        h.at(20'000 * kNs);
        h.append(mapti(1, 0, 8192, 1));
        h.kick();
        k.mapti = h.last_kick_ps;
        h.drain();
        // Empty the caches (Enabled 1 -> 0 -> 1), then a cold MSI.
        h.at(29'000 * kNs);
        h.wr(kItsBase + gits::CTLR, 0, 4);
        h.wr(kItsBase + gits::CTLR, 1, 4);
        h.at(30'000 * kNs);
        k.cold = ps(h.tl.now());
        h.msi(1, 0, 1);
        h.at(40'000 * kNs);
        k.hot = ps(h.tl.now());
        h.msi(1, 0, 2);
        h.at(50'000 * kNs);
        ItsCommand mv = cmd(ItsOpcode::MOVI);
        mv.device = 1;
        mv.event = 0;
        mv.icid = 2;
        h.append(mv);
        h.kick();
        k.movi = h.last_kick_ps;
        h.drain();
        h.at(60'000 * kNs);
        ItsCommand inv = cmd(ItsOpcode::INV);
        inv.device = 1;
        h.append(inv);
        h.kick();
        k.inv = h.last_kick_ps;
        h.drain();
        h.at(70'000 * kNs);
        ItsCommand sy = cmd(ItsOpcode::SYNC);
        sy.rdbase = 2;
        h.append(sy);
        h.kick();
        k.sync = h.last_kick_ps;
        h.drain();
    });
    ASSERT_EQ(b.cmds.size(), 7u);
    for (auto& r : b.cmds) EXPECT_EQ(r.status, 0u) << to_string(r.cmd);

    // MAPD: fetch, decode, execute, device-cache lookup, old DTE read, DTE write.
    const CommandRecord& mapd_r = b.cmds[2];
    EXPECT_EQ(mapd_r.fetched_ps, k.mapd + c.kick + c.fetch);
    EXPECT_EQ(mapd_r.done_ps, mapd_r.fetched_ps + c.decode + c.execute + c.lookup + c.read8 + c.write8);
    // MAPTI: the DTE (MAPD does not allocate it) then the ITE write.
    const CommandRecord& mapti_r = b.cmds[3];
    EXPECT_EQ(mapti_r.fetched_ps, k.mapti + c.kick + c.fetch);
    EXPECT_EQ(mapti_r.done_ps, mapti_r.fetched_ps + c.decode + c.execute + c.lookup + c.read8 + c.write8);

    // Cold MSI: every table read.
    const MsiRecord* cold = b.msi(1);
    ASSERT_NE(cold, nullptr);
    EXPECT_TRUE(cold->delivered);
    EXPECT_EQ(cold->cpu, 1u);
    EXPECT_EQ(cold->table_reads, 3u);
    EXPECT_EQ(cold->accepted_ps, k.cold + c.hop_bus);
    EXPECT_EQ(cold->started_ps, cold->accepted_ps + c.ingress);
    EXPECT_EQ(cold->device_ps, cold->started_ps + c.lookup + c.read8);
    EXPECT_EQ(cold->event_ps, cold->device_ps + c.lookup + c.read8);
    EXPECT_EQ(cold->collection_ps, cold->event_ps + c.lookup + c.read8);
    EXPECT_EQ(cold->pending_ps, cold->collection_ps + c.hop + c.rd);
    // Hot MSI: three hits.
    const MsiRecord* hot = b.msi(2);
    ASSERT_NE(hot, nullptr);
    EXPECT_TRUE(hot->device_hit && hot->event_hit && hot->collection_hit);
    EXPECT_EQ(hot->pending_ps, k.hot + c.hop_bus + c.ingress + 3 * c.lookup + c.hop + c.rd);

    // MOVI: DTE, ITE and the old CTE hit; the new CTE (ICID 2) is read; the
    // LPI is pending at RD 1 (two MSIs), so it is cleared there and set at
    // RD 2; then the ITE is rewritten.
    const CommandRecord& movi_r = b.cmds[4];
    EXPECT_EQ(movi_r.fetched_ps, k.movi + c.kick + c.fetch);
    EXPECT_EQ(movi_r.done_ps, movi_r.fetched_ps + c.decode + c.execute + 3 * c.lookup + c.lookup + c.read8 +
                                  2 * (c.hop + c.rd) + c.write8);
    EXPECT_EQ(b.rds[2]->pending, std::set<uint32_t>{8192});
    EXPECT_TRUE(b.rds[1]->pending.empty());
    // INV: three hits, one message.
    const CommandRecord& inv_r = b.cmds[5];
    EXPECT_EQ(inv_r.done_ps, k.inv + c.kick + c.fetch + c.decode + c.execute + 3 * c.lookup + c.hop + c.rd);
    // SYNC: one message.
    const CommandRecord& sync_r = b.cmds[6];
    EXPECT_EQ(sync_r.done_ps, k.sync + c.kick + c.fetch + c.decode + c.execute + c.hop + c.rd);
    EXPECT_EQ(b.rds[2]->log.back(), (std::pair<std::string, uint64_t>{"sync", sync_r.done_ps}));
}

INSTANTIATE_TEST_SUITE_P(Modes, ItsModuleModes, ::testing::Values(TimingMode::accurate, TimingMode::fast),
                         [](const ::testing::TestParamInfo<TimingMode>& i) {
                             return i.param == TimingMode::accurate ? std::string("accurate") : std::string("fast");
                         });

// ---------------------------------------------------------------------------
// Contention: N MSIs in the same cycle, every DTE read from memory.
// ---------------------------------------------------------------------------
// No device cache, warm event and collection caches: each MSI makes exactly
// one bus read (its DTE). The writes reach the ITS 2 ns apart (its MMIO
// port is busy register_cycles per access), the memory serves one read at a
// time (51 ns), and at most max_reads reads are in flight.
void contention(unsigned max_reads, std::function<void(const Bench&, uint64_t t0, uint64_t waits0)> check) {
    Bench b(TimingMode::accurate, [&](ItsModuleConfig& cfg) {
        cfg.core.device_cache = {0, 1};
        cfg.translation_slots = 8;
        cfg.max_reads = max_reads;
    });
    uint64_t t0 = 0, waits0 = 0;
    b.run([&](Host& h) {
        h.bring_up();
        std::vector<ItsCommand> setup = {mapc(1, 1)};
        for (uint32_t d = 0; d < 8; ++d) {
            setup.push_back(mapd(d, 1));
            setup.push_back(mapti(d, 0, 8192 + d, 1));
        }
        h.run(setup);
        h.at(10'000 * kNs);
        for (uint32_t d = 0; d < 8; ++d) h.msi(d, 0, 100 + d);   // warm the event and collection caches
        h.at(20'000 * kNs);
        t0 = ps(h.tl.now());
        waits0 = b.its->stats().read_slot_waits;
        for (uint32_t d = 0; d < 8; ++d) h.msi(d, 0, d + 1);
    });
    check(b, t0, waits0);
}

TEST(ItsModuleContention, ReadsSerialiseAtTheMemoryAndAtMostFiveAreInFlight) {
    contention(5, [](const Bench& b, uint64_t t0, uint64_t waits0) {
        const Costs c;
        for (uint32_t k = 1; k <= 8; ++k) {
            const MsiRecord* m = b.msi(k);
            ASSERT_NE(m, nullptr) << k;
            EXPECT_TRUE(m->delivered);
            EXPECT_EQ(m->table_reads, 1u);
            // register_cycles apart through the ITS's MMIO port.
            EXPECT_EQ(m->accepted_ps, t0 + c.hop_bus + (k - 1) * c.reg) << k;
            EXPECT_EQ(m->started_ps, m->accepted_ps + c.ingress);
            // First read reaches the memory at start + hop; then back to back.
            const uint64_t first_end = t0 + c.hop_bus + c.ingress + c.hop_bus + 51 * kNs;
            EXPECT_EQ(m->device_ps, first_end + (k - 1) * 51 * kNs) << k;
            EXPECT_EQ(m->pending_ps, m->device_ps + 2 * c.lookup + c.hop + c.rd) << k;
        }
        EXPECT_EQ(b.max_reads_seen, 5u);
        EXPECT_EQ(b.its->stats().read_slot_waits - waits0, 3u);   // the sixth, seventh and eighth
    });
}

TEST(ItsModuleContention, OneReadInFlightAddsTheBusHopPerRead) {
    contention(1, [](const Bench& b, uint64_t t0, uint64_t waits0) {
        const Costs c;
        for (uint32_t k = 1; k <= 8; ++k) {
            const MsiRecord* m = b.msi(k);
            ASSERT_NE(m, nullptr) << k;
            // Each read is issued when the previous one's response arrives.
            const uint64_t first_end = t0 + c.hop_bus + c.ingress + c.hop_bus + 51 * kNs;
            EXPECT_EQ(m->device_ps, first_end + (k - 1) * (c.hop_bus + 51 * kNs)) << k;
        }
        EXPECT_EQ(b.max_reads_seen, 1u);
        EXPECT_EQ(b.its->stats().read_slot_waits - waits0, 7u);
    });
}

// ---------------------------------------------------------------------------
// Errors, stall and Retry through the bus
// ---------------------------------------------------------------------------
TEST(ItsModule, UnmappedTableStallsAndRetryResumes) {
    Bench b(TimingMode::accurate, [](ItsModuleConfig& cfg) { cfg.core.error_policy = ItsErrorPolicy::ignore; });
    bool drained_first = true, drained_after = false;
    b.run([&](Host& h) {
        // Device table outside RAM: the bus answers with an address error.
        h.wr(kItsBase + gits::BASER0, baser::kValid | 0x1000'0000ull, 8);
        h.wr(kItsBase + gits::BASER0 + 8, baser::kValid | (kCt & baser::kAddrMask), 8);
        h.wr(kItsBase + gits::CBASER, gits::CBASER_Valid | kCq, 8);
        h.wr(kItsBase + gits::CTLR, 1, 4);
        h.append(mapc(0, 0));
        h.append(mapd(5, 2));
        h.append(mapc(1, 3));
        h.kick();
        drained_first = h.drain();
        // BASER cannot change while enabled: disable, repoint, enable, Retry.
        h.wr(kItsBase + gits::CTLR, 0, 4);
        h.wr(kItsBase + gits::BASER0, baser::kValid | (kDt & baser::kAddrMask), 8);
        h.wr(kItsBase + gits::CTLR, 1, 4);
        h.wr(kItsBase + gits::CWRITER, h.widx | gits::CWRITER_Retry, 8);
        drained_after = h.drain();
    });
    EXPECT_FALSE(drained_first);
    EXPECT_TRUE(drained_after);
    ASSERT_EQ(b.stalls.size(), 1u);
    EXPECT_EQ(b.stalls[0].creadr, 32u);
    EXPECT_EQ(b.stalls[0].error, 0u);
    ASSERT_EQ(b.cmds.size(), 4u);   // MAPC, MAPD (memory error), MAPD again, MAPC
    EXPECT_TRUE(b.cmds[1].memory_error);
    EXPECT_EQ(b.cmds[1].done_ps, 0u);
    EXPECT_FALSE(b.cmds[2].memory_error);
    EXPECT_EQ(b.cmds[2].offset, 32u);
    EXPECT_EQ(b.cmds[3].status, 0u);
    uint64_t dte = 0;
    b.ram->store().read(kDt - kRam + 5 * 8, &dte, 8);
    EXPECT_EQ(dte, kEntryValid | (kItt + 5 * 0x1000) | 2);
}

TEST(ItsModule, ErrorCodesAreReportedUnderTheIgnorePolicy) {
    Bench b(TimingMode::accurate);
    b.run([&](Host& h) {
        h.bring_up();
        ItsCommand junk;
        junk.opcode = 0x77;
        ItsCommand mv = cmd(ItsOpcode::MOVI);
        mv.device = 3;
        h.run({mapd(1, 20), junk, mv, mapc(2, 9)});
    });
    ASSERT_EQ(b.cmds.size(), 4u);
    EXPECT_EQ(b.cmds[0].status, cmd_error::kMapdSizeOutOfRange);
    EXPECT_EQ(b.cmds[1].status, cmd_error::unknown_opcode(0x77));
    EXPECT_EQ(b.cmds[2].status, cmd_error::kMoviUnmappedDevice);
    EXPECT_EQ(b.cmds[3].status, cmd_error::kMapcRdbaseOutOfRange);
    for (auto& r : b.cmds) EXPECT_NE(r.done_ps, 0u);
    EXPECT_TRUE(b.stalls.empty());
}

TEST(ItsModule, QueueWrapsAroundThroughTheBus) {
    Bench b(TimingMode::fast);
    b.run([&](Host& h) {
        h.bring_up();
        h.run({mapc(1, 1), mapd(1, 4), mapti(1, 2, 9000, 1)});
        for (unsigned round = 0; round < 3; ++round) {
            std::vector<ItsCommand> v(60, cmd(ItsOpcode::SYNC));
            h.run(v);   // 3 + 180 commands through a 128-slot queue
        }
        ItsCommand i = cmd(ItsOpcode::INT);
        i.device = 1;
        i.event = 2;
        h.run({i});
    });
    ASSERT_EQ(b.cmds.size(), 184u);
    EXPECT_EQ(b.cmds[130].offset, (130u % 128) * 32);
    for (auto& r : b.cmds) EXPECT_EQ(r.status, 0u);
    EXPECT_EQ(b.rds[1]->pending, std::set<uint32_t>{9000});
    EXPECT_EQ(b.its->commands_executed(), 184u);
}

// ---------------------------------------------------------------------------
// MMIO frames, ingress
// ---------------------------------------------------------------------------
TEST(ItsModule, RegistersThroughTheBus) {
    Bench b(TimingMode::accurate);
    uint64_t typer = 0, pidr2 = 0, translater = 0, ctlr = 0, creadr_hi = 0;
    bool outside = true;
    b.run([&](Host& h) {
        typer = h.rd(kItsBase + gits::TYPER, 8);
        pidr2 = h.rd(kItsBase + gits::PIDR2, 4);
        translater = h.rd(kItsBase + gits::TRANSLATER, 4);
        h.bring_up();
        ctlr = h.rd(kItsBase + gits::CTLR, 4);
        creadr_hi = h.rd(kItsBase + gits::CREADR + 4, 4);
        uint8_t x[4];
        outside = h.bm.access(tlm::TLM_READ_COMMAND, kItsBase + Its::kFrameBytes - 2, x, 4, h.tl);
    });
    EXPECT_EQ(typer, 0x1EF71u);
    EXPECT_EQ((pidr2 >> 4) & 0xF, 3u);
    EXPECT_EQ(translater, 0u);
    EXPECT_EQ(ctlr, 1u);
    EXPECT_EQ(creadr_hi, 0u);
    EXPECT_FALSE(outside);
}

TEST(ItsModule, TranslaterWidthsMissingDeviceIdAndBackPressure) {
    Bench b(TimingMode::accurate, [](ItsModuleConfig& cfg) {
        cfg.ingress_depth = 1;
        cfg.translation_slots = 1;
    });
    b.run([&](Host& h) {
        h.bring_up();
        h.run({mapc(0, 0), mapd(0, 4), mapti(0, 3, 8200, 0), mapd(7, 4), mapti(7, 3, 8207, 0)});
        h.at(10'000 * kNs);
        h.msi(7, 0x00010003, 1, 2);   // 16-bit write: EventID 3
        h.msi(7, 3, 2, 4, false);      // no extension: DeviceID 0
        for (uint64_t t = 3; t <= 10; ++t) h.msi(7, 3, t);   // more than the FIFO holds
    });
    ASSERT_EQ(b.msis.size(), 10u);
    const MsiRecord* m1 = b.msi(1);
    ASSERT_NE(m1, nullptr);
    EXPECT_EQ(m1->device, 7u);
    EXPECT_EQ(m1->event, 3u);
    EXPECT_EQ(m1->intid, 8207u);
    const MsiRecord* m0 = b.msi(0);   // the write without an extension has tag 0
    ASSERT_NE(m0, nullptr);
    EXPECT_EQ(m0->device, 0u);
    EXPECT_EQ(m0->intid, 8200u);
    for (auto& m : b.msis) EXPECT_TRUE(m.delivered);
    EXPECT_EQ(b.its->stats().msis_without_device_id, 1u);
    EXPECT_GT(b.its->stats().ingress_waits, 0u);
    EXPECT_EQ(b.its->stats().msis_accepted, 10u);
    // MSIs complete in arrival order with one slot.
    for (size_t i = 1; i < b.msis.size(); ++i) EXPECT_GE(b.msis[i].started_ps, b.msis[i - 1].pending_ps);
}

TEST(ItsModule, MsiWhileDisabledIsDropped) {
    Bench b(TimingMode::accurate);
    b.run([&](Host& h) { h.msi(1, 1, 1); });
    ASSERT_EQ(b.msis.size(), 1u);
    EXPECT_FALSE(b.msis[0].delivered);
    EXPECT_EQ(b.msis[0].reason, "its_disabled");
}

}  // namespace
