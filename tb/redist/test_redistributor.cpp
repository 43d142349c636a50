// Redistributor + CpuInterface on a real Bus and Memory. A tester thread
// plays software (MMIO through the bus) and the ITS (LpiTarget calls on its
// own Timeline). Expected times are computed from the parameters below,
// chosen unlike the defaults so that a wrong term shows.
#include <gtest/gtest.h>

#include <functional>
#include <vector>

#include <tlm_utils/simple_initiator_socket.h>

#include "bus/bus.h"
#include "common/bus_master.h"
#include "cpu/cpu_interface.h"
#include "memory/memory.h"
#include "redist/redistributor.h"


using namespace itsim;
using sc_core::sc_time;
using sc_core::SC_NS;

namespace {

constexpr uint64_t kRam = 0x40000000;
constexpr uint64_t kRdBase = 0x080A0000;
constexpr uint64_t kProp = kRam + 0x100000;   // 4 KiB aligned
constexpr uint64_t kPend = kRam + 0x200000;   // 64 KiB aligned
constexpr uint8_t kGroup1 = 0x02;

uint8_t prop(uint8_t priority, bool enabled) {
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

uint64_t ps(const sc_time& t) { return uint64_t(t / sc_time(1, sc_core::SC_PS) + 0.5); }

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

MemoryConfig mem_config() {
    MemoryConfig c;
    c.size = 64ull << 20;
    c.read_latency = sc_time(50, SC_NS);
    c.write_latency = sc_time(40, SC_NS);
    c.clock_period = sc_time(1, SC_NS);
    c.bytes_per_cycle = 16;
    return c;
}

BusConfig bus_config() {
    BusConfig c;
    c.hop_cycles = 2;
    return c;
}

RedistTiming rd_timing() {
    RedistTiming t;
    t.config_lookup_cycles = 3;
    t.pending_update_cycles = 2;
    t.signal_cycles = 5;
    t.mmio_cycles = 4;
    return t;
}

RedistConfig rd_config(TimingMode mode = TimingMode::accurate,
                       PendingTablePolicy policy = PendingTablePolicy::lazy) {
    RedistConfig c;
    c.processor_number = 3;
    c.affinity = 0x00010203;
    c.rd_base = kRdBase;
    c.mode = mode;
    c.pending_table = policy;
    return c;
}
RedistConfig through(TimingMode mode = TimingMode::accurate) {
    return rd_config(mode, PendingTablePolicy::through);
}

CpuInterfaceConfig cpu_config() {
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
                    TimingMode mode = TimingMode::accurate)
        : bus("bus", bus_config()),
          mem("mem", mem_config()),
          rd("rd", rc, rd_timing()),
          cpu("cpu", cpu_config()),
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
};

}  // namespace

// ------------------------------------------------------------ registers

TEST(Redistributor, RegistersAfterReset) {
    System s;
    s.run([&](Tester& t) {
        EXPECT_EQ(t.rd(gicr::CTLR), gicr::CTLR_CES | gicr::CTLR_IR);
        EXPECT_EQ(t.rd(gicr::IIDR), 0x01000000u);
        const uint64_t typer = 1 | (1 << 3) | (1 << 4) | (3u << 8) | (uint64_t{0x00010203} << 32);
        EXPECT_EQ(t.rd(gicr::TYPER, 8), typer);
        EXPECT_EQ(t.rd(gicr::TYPER, 4), typer & 0xFFFFFFFF);
        EXPECT_EQ(t.rd(gicr::TYPER + 4, 4), typer >> 32);
        EXPECT_EQ(t.rd(gicr::WAKER), 0x6u);   // ProcessorSleep, ChildrenAsleep
        EXPECT_TRUE(t.wr(gicr::WAKER, 0));
        EXPECT_EQ(t.rd(gicr::WAKER), 0x0u);
        EXPECT_EQ(t.rd(gicr::PIDR2), 0x3Bu);
        EXPECT_EQ(t.rd(gicr::SYNCR), 0u);
        EXPECT_EQ(t.rd(gicr::PROPBASER, 8), 0u);
        EXPECT_EQ(t.rd(gicr::PENDBASER, 8), 0u);
        // RAZ/WI elsewhere, SGI_base included.
        EXPECT_TRUE(t.wr(0x1230, 0xFFFFFFFF));
        EXPECT_EQ(t.rd(0x1230), 0u);
        EXPECT_TRUE(t.wr(gicr::SGI_base + 0x100, 0xFFFFFFFF));
        EXPECT_EQ(t.rd(gicr::SGI_base + 0x100), 0u);
        // Two 32-bit registers in one 64-bit read.
        EXPECT_EQ(t.rd(gicr::CTLR, 8), uint64_t(gicr::CTLR_CES | gicr::CTLR_IR) | (uint64_t{0x01000000} << 32));
        // Bad sizes and alignment: error response, no effect.
        bool ok = true;
        t.rd(gicr::CTLR, 2, &ok);
        EXPECT_FALSE(ok);
        EXPECT_EQ(t.bm.last_status(), tlm::TLM_GENERIC_ERROR_RESPONSE);
        t.rd(gicr::TYPER + 4, 8, &ok);
        EXPECT_FALSE(ok);
        EXPECT_FALSE(t.wr(gicr::CTLR, 1, 1));
        EXPECT_EQ(t.rd(gicr::CTLR) & gicr::CTLR_EnableLPIs, 0u);
    });
    EXPECT_EQ(s.rd.stats().mmio_errors, 3u);
}

TEST(Redistributor, BaseRegistersMaskHalvesPtzAndIgnoreWritesWhileEnabled) {
    System s;
    s.run([&](Tester& t) {
        EXPECT_TRUE(t.wr(gicr::PROPBASER, ~uint64_t{0}, 8));
        EXPECT_EQ(t.rd(gicr::PROPBASER, 8), gicr::PROPBASER_Writable);
        EXPECT_TRUE(t.wr(gicr::PENDBASER, ~uint64_t{0}, 8));
        EXPECT_EQ(t.rd(gicr::PENDBASER, 8), gicr::PENDBASER_Writable);   // PTZ reads 0
        // Halves written separately.
        EXPECT_TRUE(t.wr(gicr::PROPBASER, kProp | 15, 4));
        EXPECT_TRUE(t.wr(gicr::PROPBASER + 4, 0, 4));
        EXPECT_EQ(t.rd(gicr::PROPBASER, 8), kProp | 15);
        EXPECT_TRUE(t.wr(gicr::PENDBASER, kPend, 4));
        EXPECT_TRUE(t.wr(gicr::PENDBASER + 4, gicr::PENDBASER_PTZ >> 32, 4));
        EXPECT_EQ(t.rd(gicr::PENDBASER, 8), kPend);
        EXPECT_EQ(t.rd(gicr::PENDBASER + 4, 4), 0u);
        EXPECT_TRUE(t.wr(gicr::CTLR, 1));
        EXPECT_EQ(t.rd(gicr::CTLR), gicr::CTLR_EnableLPIs | gicr::CTLR_CES | gicr::CTLR_IR);
        EXPECT_TRUE(t.wr(gicr::PROPBASER, kRam | 13, 8));
        EXPECT_TRUE(t.wr(gicr::PENDBASER + 4, 0x1234, 4));
        EXPECT_EQ(t.rd(gicr::PROPBASER, 8), kProp | 15);
        EXPECT_EQ(t.rd(gicr::PENDBASER, 8), kPend);
    });
    EXPECT_EQ(s.rd.stats().ignored_base_writes, 2u);
    EXPECT_EQ(s.rd.stats().pending_table_loads, 0u);   // PTZ came in the high half
    EXPECT_EQ(s.mem.stats().reads, 0u);
    EXPECT_EQ(s.rd.intid_limit(), 65536u);
}

TEST(Redistributor, LpiRangeFollowsIdbitsAndTheConfiguredMaximum) {
    System s;
    std::vector<LpiRefusal> r;
    s.run([&](Tester& t) {
        r.push_back(s.rd.set_pending(8192, t.tl));   // LPIs disabled
        s.enable(t, true, 13);                        // 14 bits: 8192..16383
        r.push_back(s.rd.set_pending(8191, t.tl));
        r.push_back(s.rd.set_pending(16384, t.tl));
        r.push_back(s.rd.set_pending(16383, t.tl));
        EXPECT_EQ(s.rd.intid_limit(), 16384u);
        EXPECT_TRUE(t.wr(gicr::CTLR, 0));
        EXPECT_TRUE(t.wr(gicr::PROPBASER, kProp | 31, 8));   // clamped to 16 bits
        EXPECT_TRUE(t.wr(gicr::PENDBASER, kPend | gicr::PENDBASER_PTZ, 8));
        EXPECT_TRUE(t.wr(gicr::CTLR, 1));
        EXPECT_EQ(s.rd.intid_limit(), 65536u);
        r.push_back(s.rd.set_pending(65535, t.tl));
        r.push_back(s.rd.set_pending(65536, t.tl));
        EXPECT_TRUE(t.wr(gicr::CTLR, 0));
        EXPECT_TRUE(t.wr(gicr::PROPBASER, kProp | 12, 8));   // below 13: no LPIs
        EXPECT_TRUE(t.wr(gicr::CTLR, 1));
        r.push_back(s.rd.set_pending(8192, t.tl));
    });
    using R = LpiRefusal;
    EXPECT_EQ(r, (std::vector<R>{R::lpis_disabled, R::out_of_range, R::out_of_range, R::none,
                                 R::none, R::out_of_range, R::out_of_range}));
    EXPECT_EQ(s.rd.stats().refused_disabled, 1u);
    EXPECT_EQ(s.rd.stats().refused_range, 4u);
}

TEST(Redistributor, BadConfigurationThrows) {
    RedistConfig c = rd_config();
    c.max_id_bits = 13;
    EXPECT_THROW(Redistributor("a", c), std::invalid_argument);
    c = rd_config();
    c.processor_number = 0x10000;
    EXPECT_THROW(Redistributor("b", c), std::invalid_argument);
    c = rd_config();
    c.config_cache_entries = 6;
    c.config_cache_ways = 4;
    EXPECT_THROW(Redistributor("c", c), std::invalid_argument);
}

// ------------------------------------------------------------ pending table

TEST(Redistributor, DefaultPolicyIsLazy) {
    EXPECT_EQ(RedistConfig().pending_table, PendingTablePolicy::lazy);
    EXPECT_EQ(RedistConfig().lazy_dirty_limit, 256u);
    EXPECT_STREQ(to_string(PendingTablePolicy::lazy), "lazy");
    EXPECT_STREQ(to_string(PendingTablePolicy::through), "through");
    RedistConfig c = rd_config();
    c.lazy_dirty_limit = 0;
    EXPECT_THROW(Redistributor("a", c), std::invalid_argument);
    c.lazy_dirty_limit = 4097;
    EXPECT_THROW(Redistributor("b", c), std::invalid_argument);
}

void through_writes(TimingMode mode) {
    if (mode == TimingMode::fast) tlm::tlm_global_quantum::instance().set(sc_time(1, sc_core::SC_US));
    System s(through(mode), mode);
    s.set_prop(8200, prop(0x40, false));   // disabled: stays pending, never taken
    sc_time t0, t_set, t_sync, t_clear, t_sync2;
    uint8_t after_set = 0xEE, after_clear = 0xEE;
    s.run([&](Tester& t) {
        s.enable(t);
        t.settle();
        t0 = sc_core::sc_time_stamp();
        EXPECT_EQ(s.rd.set_pending(8200, t.tl), LpiRefusal::none);
        t_set = t.tl.now();
        s.rd.sync(t.tl);
        t_sync = t.tl.now();
        after_set = s.pend_byte(8200);
        EXPECT_TRUE(s.rd.clear_pending(8200, t.tl));
        t_clear = t.tl.now();
        EXPECT_FALSE(s.rd.clear_pending(8200, t.tl));   // not pending any more
        s.rd.sync(t.tl);
        t_sync2 = t.tl.now();
        after_clear = s.pend_byte(8200);
    });
    EXPECT_EQ(t_set - t0, kLookup + kRead1 + kUpdate);
    EXPECT_EQ(t_sync - t_set, kWrite1);          // the posted write, started at t_set
    EXPECT_EQ(after_set, 0x01);                  // 8200 = byte 1025, bit 0
    EXPECT_EQ(t_clear - t_sync, kUpdate);
    EXPECT_EQ(t_sync2 - t_clear, kWrite1);   // the write starts at t_clear, not earlier
    EXPECT_EQ(after_clear, 0x00);
    EXPECT_TRUE(s.acks.empty());
    EXPECT_FALSE(s.irq.read());
    EXPECT_EQ(s.rd.lpis().stats().pending_writes, 2u);
}

TEST(Redistributor, ThroughSetPendingWritesTheBitAndSyncWaitsForTheWrite) { through_writes(TimingMode::accurate); }
TEST(Redistributor, ThroughSetPendingWritesTheBitAndSyncWaitsForTheWriteFast) { through_writes(TimingMode::fast); }

// through: a byte posted while the buffer is still writing starts when the
// previous write ends (the buffer's thread in accurate mode, the poster in
// fast mode: the same times).
void through_back_to_back(TimingMode mode) {
    if (mode == TimingMode::fast) tlm::tlm_global_quantum::instance().set(sc_time(1, sc_core::SC_US));
    RedistConfig c = through(mode);
    c.config_line_bytes = 64;   // the second LPI's configuration is a hit
    System s(c, mode);
    s.set_prop(8200, prop(0x40, false));
    s.set_prop(8210, prop(0x40, false));
    sc_time t_a, t_b, t_sync;
    s.run([&](Tester& t) {
        s.enable(t);
        s.rd.set_pending(8200, t.tl);   // byte 1025
        t_a = t.tl.now();
        s.rd.set_pending(8210, t.tl);   // byte 1026, while 1025 is being written
        t_b = t.tl.now();
        s.rd.sync(t.tl);
        t_sync = t.tl.now();
    });
    EXPECT_EQ(t_b - t_a, kLookup + kUpdate);
    EXPECT_LT(t_b - t_a, kWrite1);
    EXPECT_EQ(t_sync - t_a, 2.0 * kWrite1);
    EXPECT_EQ(s.pend_byte(8200), 0x01);
    EXPECT_EQ(s.pend_byte(8210), 0x04);
    EXPECT_EQ(s.rd.writes_done_at(), t_a + 2.0 * kWrite1);
}

TEST(Redistributor, ThroughBackToBackWritesQueue) { through_back_to_back(TimingMode::accurate); }
TEST(Redistributor, ThroughBackToBackWritesQueueFast) { through_back_to_back(TimingMode::fast); }

TEST(Redistributor, CachedConfigurationCostsTheLookupOnly) {
    System s;
    s.set_prop(8200, prop(0x40, false));
    sc_time t0, t1, t2;
    s.run([&](Tester& t) {
        s.enable(t);
        s.rd.set_pending(8200, t.tl);
        s.rd.clear_pending(8200, t.tl);
        s.rd.sync(t.tl);
        t0 = t.tl.now();
        s.rd.set_pending(8200, t.tl);   // hit
        t1 = t.tl.now();
        s.rd.set_pending(8200, t.tl);   // already pending
        t2 = t.tl.now();
    });
    EXPECT_EQ(t1 - t0, kLookup + kUpdate);
    EXPECT_EQ(t2 - t1, kUpdate);
    EXPECT_EQ(s.rd.lpis().cache_stats().hits, 1u);
    EXPECT_EQ(s.rd.lpis().cache_stats().misses, 1u);
    EXPECT_EQ(s.rd.stats().already_pending, 1u);
}

// ------------------------------------------------------------ CPU path

// lazy: nothing reaches memory until a SYNC; the SYNC's caller writes the
// bytes that differ from memory, one write each, and pays for them.
TEST(Redistributor, LazySetPendingWritesNothingUntilSync) {
    System s;
    s.set_prop(8200, prop(0x40, false));   // disabled: stays pending, never taken
    s.set_prop(8300, prop(0x40, false));
    sc_time t0, t_set, t_sync, t_clear, t_sync2, t_noop;
    uint8_t before_sync = 0xEE, after_set = 0xEE, after_clear = 0xEE;
    uint64_t writes_before_sync = 99;
    s.run([&](Tester& t) {
        s.enable(t);
        t.settle();
        t0 = sc_core::sc_time_stamp();
        EXPECT_EQ(s.rd.set_pending(8200, t.tl), LpiRefusal::none);
        t_set = t.tl.now();
        t.pause(sc_time(1, sc_core::SC_US));
        before_sync = s.pend_byte(8200);
        writes_before_sync = s.mem.stats().writes;
        t_set = t.tl.now();
        s.rd.sync(t.tl);
        t_sync = t.tl.now();
        after_set = s.pend_byte(8200);
        EXPECT_TRUE(s.rd.clear_pending(8200, t.tl));
        t_clear = t.tl.now();
        s.rd.sync(t.tl);
        t_sync2 = t.tl.now();
        after_clear = s.pend_byte(8200);
        // Set and cleared again between two SYNCs: memory already holds it.
        s.rd.set_pending(8300, t.tl);
        s.rd.clear_pending(8300, t.tl);
        const sc_time before = t.tl.now();
        s.rd.sync(t.tl);
        t_noop = t.tl.now() - before;
    });
    EXPECT_EQ(before_sync, 0x00);
    EXPECT_EQ(writes_before_sync, 0u);
    EXPECT_EQ(t_sync - t_set, kWrite1);      // the SYNC writes the byte itself
    EXPECT_EQ(after_set, 0x01);              // 8200 = byte 1025, bit 0
    EXPECT_EQ(t_clear - t_sync, kUpdate);
    EXPECT_EQ(t_sync2 - t_clear, kWrite1);
    EXPECT_EQ(after_clear, 0x00);
    EXPECT_EQ(t_noop, sc_core::SC_ZERO_TIME);
    EXPECT_EQ(s.rd.lpis().stats().pending_writes, 2u);
    EXPECT_EQ(s.mem.stats().writes, 2u);
    EXPECT_EQ(s.rd.stats().syncs, 3u);
    EXPECT_EQ(s.rd.stats().lazy_flushes, 2u);
    EXPECT_EQ(s.rd.stats().lazy_overflows, 0u);
}

// lazy: past lazy_dirty_limit dirty bytes, the caller of the change writes
// them all back (address order, adjacent bytes of a line in one write).
TEST(Redistributor, LazyOverflowIsPostedWithoutHoldingTheCaller) {
    // Issue 8, defect 4a: the write-back an overflow starts is posted (as
    // the `through` policy posts), so the caller's time - an MSI's
    // pending_ps - is only its own lookup, read and update.
    RedistConfig c = rd_config();
    c.lazy_dirty_limit = 2;
    System s(c);
    for (uint32_t id : {8200u, 8201u, 8208u, 8300u}) s.set_prop(id, prop(0x40, false));
    sc_time t1, t2, t3, done;
    uint64_t writes_before = 99;
    s.run([&](Tester& t) {
        s.enable(t);
        s.rd.set_pending(8300, t.tl);   // byte 1037
        s.rd.set_pending(8208, t.tl);   // byte 1026
        t.settle();
        writes_before = s.mem.stats().writes;
        t1 = t.tl.now();
        s.rd.set_pending(8200, t.tl);   // byte 1025: three dirty, one too many
        t2 = t.tl.now();
        t.pause(sc_time(1, sc_core::SC_US));   // the posted write-back completes
        done = s.rd.writes_done_at();
        t3 = t.tl.now();
        s.rd.set_pending(8201, t.tl);   // byte 1025 again: dirty, below the limit
    });
    EXPECT_EQ(writes_before, 0u);
    EXPECT_EQ(t2 - t1, kLookup + kRead1 + kUpdate);
    // Bytes 1025-1026 in one write from t2, then 1037 once it completed.
    EXPECT_EQ(done, t2 + 2.0 * kWrite1);
    EXPECT_EQ(s.pend_byte(8200), 0x01);
    EXPECT_EQ(s.pend_byte(8208), 0x01);
    EXPECT_EQ(s.pend_byte(8300), 0x10);   // 8300 = byte 1037, bit 4
    EXPECT_EQ(s.rd.lpis().stats().pending_writes, 2u);
    EXPECT_EQ(s.rd.stats().lazy_overflows, 1u);
    EXPECT_EQ(s.rd.lpis().dirty_count(), 1u);   // 8201: below the limit, not written
    EXPECT_LT(t2, t3);
}

TEST(Redistributor, PolicyChangesOnlyWhileLpisAreDisabled) {
    System s;
    bool while_enabled = true, while_disabled = false;
    uint8_t byte_after_rise = 0xEE;
    s.set_prop(8200, prop(0x40, false));
    s.run([&](Tester& t) {
        s.enable(t);
        while_enabled = s.rd.set_pending_table(PendingTablePolicy::through);
        EXPECT_TRUE(t.wr(gicr::CTLR, 0));
        while_disabled = s.rd.set_pending_table(PendingTablePolicy::through);
        s.enable(t);
        s.rd.set_pending(8200, t.tl);
        t.pause(sc_time(1, sc_core::SC_US));   // write-through now: written by itself
        byte_after_rise = s.pend_byte(8200);
    });
    EXPECT_FALSE(while_enabled);
    EXPECT_TRUE(while_disabled);
    EXPECT_EQ(s.rd.config().pending_table, PendingTablePolicy::through);
    EXPECT_EQ(byte_after_rise, 0x01);
}

TEST(Redistributor, LazyAcknowledgeWritesNothing) {
    System s;
    s.set_prop(8200, prop(0x40, true));
    sc_time t0;
    s.run([&](Tester& t) {
        s.enable(t);
        t.settle();
        t0 = sc_core::sc_time_stamp();
        s.rd.set_pending(8200, t.tl);
    });
    const sc_time rise = t0 + kLookup + kRead1 + kUpdate + kSignal;
    ASSERT_EQ(s.acks.size(), 1u);
    EXPECT_EQ(s.acks[0].t_ps, ps(rise + kAck));
    EXPECT_EQ(s.acks[0].eoi_ps, ps(rise + kAck + kHandler));
    EXPECT_EQ(s.mem.stats().writes, 0u);   // set and acknowledged: memory already right
    EXPECT_FALSE(s.rd.lpis().has_dirty());
    // The CPU interface is driven by the redistributor's method: the rise,
    // the acknowledge (the line falls there too), the EOI.
    EXPECT_TRUE(s.cpu.directly_driven());
    EXPECT_EQ(s.rd.stats().activations, 3u);
    EXPECT_EQ(s.rd.stats().irq_rises, 1u);
    EXPECT_FALSE(s.irq.read());
    EXPECT_EQ(sc_core::sc_time_stamp(), rise + kAck + kHandler);
    EXPECT_FALSE(sc_core::sc_pending_activity());
}

TEST(Redistributor, ThroughAcknowledgeTimeFollowsFromTheParameters) {
    System s(through());
    s.set_prop(8200, prop(0x40, true));
    sc_time t0;
    uint8_t while_pending = 0xEE;
    s.run([&](Tester& t) {
        s.enable(t);
        t.settle();
        t0 = sc_core::sc_time_stamp();
        s.rd.set_pending(8200, t.tl);
        t.pause(sc_time(1, SC_NS));   // the write buffer wrote the bit at t0 + 58 ns
        while_pending = s.pend_byte(8200);
    });
    const sc_time pending = t0 + kLookup + kRead1 + kUpdate;
    const sc_time rise = pending + kSignal;
    ASSERT_EQ(s.acks.size(), 1u);
    const AckRecord& a = s.acks[0];
    EXPECT_EQ(a.cpu, 3u);
    EXPECT_EQ(a.intid, 8200u);
    EXPECT_EQ(a.signalled_ps, ps(rise));
    EXPECT_EQ(a.t_ps, ps(rise + kAck));
    EXPECT_EQ(a.eoi_ps, ps(rise + kAck + kHandler));
    EXPECT_EQ(while_pending, 0x01);
    EXPECT_EQ(s.pend_byte(8200), 0x00);   // acknowledged: written back as 0
    EXPECT_EQ(s.cpu.acks(8200), 1u);
    EXPECT_EQ(s.rd.stats().acks, 1u);
    EXPECT_EQ(s.rd.stats().eois, 1u);
    EXPECT_EQ(s.rd.stats().irq_rises, 1u);
    EXPECT_FALSE(s.irq.read());
    // Nothing runs after the EOI (the acknowledge's write ended before it),
    // and nothing is left armed: an idle system costs nothing.
    EXPECT_EQ(sc_core::sc_time_stamp(), rise + kAck + kHandler);
    EXPECT_FALSE(sc_core::sc_pending_activity());
}

TEST(Redistributor, FastModeGivesTheSameTimesOnAnIdleSystem) {
    tlm::tlm_global_quantum::instance().set(sc_time(1, sc_core::SC_US));
    System s(rd_config(TimingMode::fast), TimingMode::fast);
    s.set_prop(8200, prop(0x40, true));
    sc_time t0;
    s.run([&](Tester& t) {
        s.enable(t);
        t.settle();
        t0 = sc_core::sc_time_stamp();
        s.rd.set_pending(8200, t.tl);
    });
    const sc_time rise = t0 + kLookup + kRead1 + kUpdate + kSignal;
    ASSERT_EQ(s.acks.size(), 1u);
    EXPECT_EQ(s.acks[0].signalled_ps, ps(rise));
    EXPECT_EQ(s.acks[0].t_ps, ps(rise + kAck));
    EXPECT_EQ(s.acks[0].eoi_ps, ps(rise + kAck + kHandler));
    EXPECT_EQ(s.pend_byte(8200), 0x00);
}

// post_pending (lpi_post.h): the same costs and the same acknowledge as
// set_pending, but the caller does not wait: the LPI is recorded pending at
// the end of its update by the redistributor's method.
void post_pending(TimingMode mode) {
    if (mode == TimingMode::fast) tlm::tlm_global_quantum::instance().set(sc_time(1, sc_core::SC_US));
    System s(rd_config(mode), mode);
    s.set_prop(8200, prop(0x40, true));
    sc_time t0, t_post, kernel_after;
    bool pending_at_return = true, pending_after = false;
    LpiRefusal r = LpiRefusal::out_of_range, again = LpiRefusal::out_of_range, refused = LpiRefusal::none;
    uint64_t already = 99;
    s.run([&](Tester& t) {
        refused = s.rd.post_pending(8200, t.tl);   // LPIs disabled
        s.enable(t);
        t.settle();
        t0 = sc_core::sc_time_stamp();
        r = s.rd.post_pending(8200, t.tl);
        t_post = t.tl.now();
        kernel_after = sc_core::sc_time_stamp();
        pending_at_return = s.rd.lpis().is_pending(8200);
        t.settle();   // now at the end of the update
        t.pause(sc_time(1, SC_NS));
        pending_after = s.rd.lpis().is_pending(8200);
        again = s.rd.post_pending(8200, t.tl);   // already pending: decided at its time
        t.settle();
        already = s.rd.stats().already_pending;
    });
    EXPECT_EQ(refused, LpiRefusal::lpis_disabled);
    EXPECT_EQ(r, LpiRefusal::none);
    EXPECT_EQ(again, LpiRefusal::none);
    EXPECT_EQ(already, 1u);
    EXPECT_EQ(t_post - t0, kLookup + kRead1 + kUpdate);
    // The caller did not wait for the update (accurate: it waited for the
    // property read to leave at its time, as every bus access does).
    EXPECT_EQ(kernel_after, mode == TimingMode::fast ? t0 : t0 + kLookup);
    EXPECT_FALSE(pending_at_return);
    EXPECT_TRUE(pending_after);
    const sc_time rise = t0 + kLookup + kRead1 + kUpdate + kSignal;
    ASSERT_EQ(s.acks.size(), 1u);
    EXPECT_EQ(s.acks[0].signalled_ps, ps(rise));
    EXPECT_EQ(s.acks[0].t_ps, ps(rise + kAck));
    EXPECT_EQ(s.acks[0].eoi_ps, ps(rise + kAck + kHandler));
    EXPECT_EQ(s.rd.stats().set_pending, 1u);
    // The recording, the rise, the second post's decision (a merge), the
    // acknowledge, the EOI.
    EXPECT_EQ(s.rd.stats().activations, 5u);
}

TEST(Redistributor, PostPendingRecordsTheLpiAtItsTime) { post_pending(TimingMode::accurate); }
TEST(Redistributor, PostPendingRecordsTheLpiAtItsTimeFast) { post_pending(TimingMode::fast); }

// fast mode: a disable that reaches the redistributor (at kernel time)
// before a posted LPI's time drops it with the rest of the state, as it
// drops an LPI whose set_pending caller is still waiting for its time.
TEST(Redistributor, PostedLpisGoWithTheStateWhenLpisAreDisabledFast) {
    tlm::tlm_global_quantum::instance().set(sc_time(1, sc_core::SC_US));
    System s(rd_config(TimingMode::fast), TimingMode::fast);
    s.set_prop(8200, prop(0x40, true));
    s.run([&](Tester& t) {
        s.enable(t);
        t.settle();
        s.rd.post_pending(8200, t.tl);      // recorded at the end of its update...
        EXPECT_TRUE(t.wr(gicr::CTLR, 0));   // ...but LPIs go away first (loosely timed)
        t.pause(sc_time(1, sc_core::SC_US));
    });
    EXPECT_FALSE(s.rd.lpis().is_pending(8200));
    EXPECT_TRUE(s.acks.empty());
    EXPECT_EQ(s.rd.stats().set_pending, 0u);
    EXPECT_EQ(s.pend_byte(8200), 0x00);   // nothing to write back
    EXPECT_FALSE(sc_core::sc_pending_activity());
}

TEST(Redistributor, TwoLpisAreAcknowledgedInPriorityOrder) {
    RedistConfig c = rd_config();
    c.config_line_bytes = 64;   // both bytes arrive with the first miss
    System s(c);
    s.set_prop(8300, prop(0xA0, true));
    s.set_prop(8301, prop(0x20, true));
    sc_time t0;
    s.run([&](Tester& t) {
        s.enable(t);
        t.settle();
        t0 = sc_core::sc_time_stamp();
        s.rd.set_pending(8300, t.tl);   // miss: the 64-byte line
        s.rd.set_pending(8301, t.tl);   // hit
    });
    const sc_time stamp_a = t0 + kLookup + kRead64 + kUpdate;
    const sc_time stamp_b = stamp_a + kLookup + kUpdate;
    const sc_time rise = stamp_a + kSignal;
    ASSERT_EQ(s.acks.size(), 2u);
    EXPECT_EQ(s.acks[0].intid, 8301u);
    EXPECT_EQ(s.acks[0].signalled_ps, ps(stamp_b + kSignal));   // later than the rise
    EXPECT_EQ(s.acks[0].t_ps, ps(rise + kAck));
    EXPECT_EQ(s.acks[0].eoi_ps, ps(rise + kAck + kHandler));
    EXPECT_EQ(s.acks[1].intid, 8300u);
    EXPECT_EQ(s.acks[1].signalled_ps, ps(rise));
    EXPECT_EQ(s.acks[1].t_ps, ps(rise + kAck + kHandler + kAck));
    EXPECT_EQ(s.acks[1].eoi_ps, ps(rise + 2 * (kAck + kHandler)));
    EXPECT_EQ(s.rd.stats().irq_rises, 1u);   // the line stayed high in between
    EXPECT_EQ(s.mem.stats().reads, 1u);
}

TEST(Redistributor, DisabledLpiIsTakenOnlyAfterInvlpirAndSyncr) {
    System s;
    s.set_prop(8200, prop(0x40, false));
    sc_time t_sync;
    size_t acks_before_sync = 99;
    bool irq_before_sync = true;
    s.run([&](Tester& t) {
        s.enable(t);
        s.rd.set_pending(8200, t.tl);
        t.pause(sc_time(1, sc_core::SC_US));
        EXPECT_TRUE(s.rd.lpis().is_pending(8200));
        s.set_prop(8200, prop(0x40, true));            // software enables it
        EXPECT_TRUE(t.wr(gicr::INVLPIR, 100, 8));      // not an LPI: ignored
        EXPECT_TRUE(t.wr(gicr::INVLPIR, 8200, 8));
        t.pause(sc_time(1, sc_core::SC_US));           // queued until SYNCR
        acks_before_sync = s.acks.size();
        irq_before_sync = s.irq.read();
        t.settle();
        t_sync = sc_core::sc_time_stamp();
        EXPECT_EQ(t.rd(gicr::SYNCR), 0u);
    });
    EXPECT_EQ(acks_before_sync, 0u);
    EXPECT_FALSE(irq_before_sync);
    // SYNCR read: hop, MMIO, then the INV: lookup, property read, update.
    const sc_time rise = t_sync + kHop + kMmio + kLookup + kRead1 + kUpdate + kSignal;
    ASSERT_EQ(s.acks.size(), 1u);
    EXPECT_EQ(s.acks[0].intid, 8200u);
    EXPECT_EQ(s.acks[0].signalled_ps, ps(rise));
    EXPECT_EQ(s.acks[0].t_ps, ps(rise + kAck));
    EXPECT_EQ(s.rd.stats().reg_ignored, 1u);
    EXPECT_EQ(s.rd.stats().reg_invs, 1u);
}

TEST(Redistributor, ConfigurationChangeIsInvisibleUntilInvAndSync) {
    System s;
    s.set_prop(8200, prop(0x40, true));
    s.run([&](Tester& t) {
        s.enable(t);
        s.rd.set_pending(8200, t.tl);
        t.pause(sc_time(1, sc_core::SC_US));
        s.set_prop(8200, prop(0x40, false));   // disabled in memory, no INV
        s.rd.set_pending(8200, t.tl);           // the cached enable holds: taken
        t.pause(sc_time(1, sc_core::SC_US));
        s.rd.inv(8200, t.tl);
        s.rd.sync(t.tl);
        s.rd.set_pending(8200, t.tl);           // now disabled: pending, not taken
        t.pause(sc_time(1, sc_core::SC_US));
    });
    EXPECT_EQ(s.cpu.acks(8200), 2u);
    EXPECT_TRUE(s.rd.lpis().is_pending(8200));
    EXPECT_FALSE(s.irq.read());
    EXPECT_EQ(s.rd.lpis().stats().config_reads, 2u);
}

TEST(Redistributor, InvallrAndSyncrRereadEveryPendingLpi) {
    System s;
    s.set_prop(8200, prop(0x80, false));
    s.set_prop(8201, prop(0x40, false));
    s.run([&](Tester& t) {
        s.enable(t);
        s.rd.set_pending(8200, t.tl);
        s.rd.set_pending(8201, t.tl);
        s.set_prop(8200, prop(0x80, true));
        s.set_prop(8201, prop(0x40, true));
        EXPECT_TRUE(t.wr(gicr::INVALLR, 0, 8));
        t.pause(sc_time(1, sc_core::SC_US));
        EXPECT_TRUE(s.acks.empty());
        EXPECT_EQ(t.rd(gicr::SYNCR), 0u);
    });
    ASSERT_EQ(s.acks.size(), 2u);
    EXPECT_EQ(s.acks[0].intid, 8201u);
    EXPECT_EQ(s.acks[1].intid, 8200u);
    EXPECT_EQ(s.rd.stats().reg_invalls, 1u);
}

TEST(Redistributor, SetlpirAndClrlpirRegisters) {
    System s;
    s.set_prop(8200, prop(0x40, true));
    s.set_prop(8300, prop(0x40, false));
    s.run([&](Tester& t) {
        EXPECT_TRUE(t.wr(gicr::SETLPIR, 8200, 8));   // LPIs disabled: ignored
        s.enable(t);
        EXPECT_TRUE(t.wr(gicr::SETLPIR, 8200, 8));
        EXPECT_TRUE(t.wr(gicr::SETLPIR, 8300, 4));   // 32-bit write to the low half
        EXPECT_TRUE(t.wr(gicr::SETLPIR, 100, 8));    // not an LPI: ignored
        EXPECT_TRUE(t.wr(gicr::SETLPIR + 4, 8300, 4));   // high half: nothing
        t.pause(sc_time(1, sc_core::SC_US));
        EXPECT_TRUE(s.rd.lpis().is_pending(8300));
        EXPECT_TRUE(t.wr(gicr::CLRLPIR, 8300, 8));
        EXPECT_EQ(t.rd(gicr::SYNCR), 0u);   // also waits for the pending-table writes
        EXPECT_FALSE(s.rd.lpis().is_pending(8300));
        EXPECT_EQ(s.pend_byte(8300), 0x00);
    });
    ASSERT_EQ(s.acks.size(), 1u);
    EXPECT_EQ(s.acks[0].intid, 8200u);
    EXPECT_EQ(s.rd.stats().reg_ignored, 2u);
    EXPECT_EQ(s.rd.stats().set_pending, 2u);
}

TEST(Redistributor, TakeAllPendingReturnsIntidOrderAndClearsTheTable) {
    System s;
    for (uint32_t id : {9000u, 8200u, 8201u}) s.set_prop(id, prop(0x40, false));
    std::vector<uint32_t> taken;
    s.run([&](Tester& t) {
        s.enable(t);
        for (uint32_t id : {9000u, 8200u, 8201u}) s.rd.set_pending(id, t.tl);
        s.rd.sync(t.tl);
        EXPECT_EQ(s.pend_byte(8200), 0x03);
        EXPECT_EQ(s.pend_byte(9000), 0x01);
        taken = s.rd.take_all_pending(t.tl);
        s.rd.sync(t.tl);
    });
    EXPECT_EQ(taken, (std::vector<uint32_t>{8200, 8201, 9000}));
    EXPECT_EQ(s.pend_byte(8200), 0x00);
    EXPECT_EQ(s.pend_byte(9000), 0x00);
    EXPECT_EQ(s.rd.lpis().pending_count(), 0u);
}

// ------------------------------------------------------------ enable / disable

TEST(Redistributor, EnableLpisReadsAPrefilledPendingTable) {
    RedistConfig c = rd_config();
    c.config_line_bytes = 64;   // both configurations in one read
    System s(c);
    s.set_pend_byte(12, 0x10);          // INTID 100: the IMPDEF first KiB, ignored
    s.set_pend_byte(1024, 0x20);        // INTID 8197
    s.set_pend_byte(1025, 0x01);        // INTID 8200
    s.set_prop(8197, prop(0x80, true));
    s.set_prop(8200, prop(0x40, true));
    sc_time t0, t1;
    s.run([&](Tester& t) {
        EXPECT_TRUE(t.wr(gicr::PROPBASER, kProp | 15, 8));
        EXPECT_TRUE(t.wr(gicr::PENDBASER, kPend, 8));
        t.settle();
        t0 = sc_core::sc_time_stamp();
        EXPECT_TRUE(t.wr(gicr::CTLR, 1));
        t1 = t.tl.now();
        EXPECT_EQ(t.rd(gicr::CTLR) & gicr::CTLR_RWP, 0u);
    });
    // (65536/8 - 1024) / 64 = 112 bursts; after the first, 8197's lookup
    // (a miss: one 64-byte line) and 8200's (a hit).
    EXPECT_EQ(s.mem.stats().reads, 112u + 1u);
    EXPECT_EQ(t1 - t0, kHop + kMmio + 112.0 * kRead64 + (kLookup + kRead64 + kUpdate) +
                           (kLookup + kUpdate));
    EXPECT_EQ(s.rd.stats().lpis_loaded, 2u);
    ASSERT_EQ(s.acks.size(), 2u);
    EXPECT_EQ(s.acks[0].intid, 8200u);
    EXPECT_EQ(s.acks[1].intid, 8197u);
    EXPECT_FALSE(s.rd.lpis().is_pending(100));
}

TEST(Redistributor, PtzSkipsThePendingTable) {
    System s;
    s.set_pend_byte(1024, 0x20);
    s.set_prop(8197, prop(0x80, true));
    sc_time t0, t1;
    s.run([&](Tester& t) {
        EXPECT_TRUE(t.wr(gicr::PROPBASER, kProp | 15, 8));
        EXPECT_TRUE(t.wr(gicr::PENDBASER, kPend | gicr::PENDBASER_PTZ, 8));
        t.settle();
        t0 = sc_core::sc_time_stamp();
        EXPECT_TRUE(t.wr(gicr::CTLR, 1));
        t1 = t.tl.now();
    });
    EXPECT_EQ(t1 - t0, kHop + kMmio);
    EXPECT_EQ(s.mem.stats().reads, 0u);
    EXPECT_EQ(s.rd.lpis().pending_count(), 0u);
    EXPECT_TRUE(s.acks.empty());
}

TEST(Redistributor, DisablingWritesBackAndDropsThePendingState) {
    System s;
    s.set_prop(8200, prop(0x40, false));
    s.set_prop(9000, prop(0x40, false));
    LpiRefusal while_disabled = LpiRefusal::none;
    size_t pending_after_disable = 99, pending_after_reenable = 0;
    uint8_t b8200 = 0, b9000 = 0;
    s.run([&](Tester& t) {
        s.enable(t);
        s.rd.set_pending(8200, t.tl);
        s.rd.set_pending(9000, t.tl);
        s.rd.sync(t.tl);
        t.settle();
        s.set_pend_byte(1025, 0);   // clobbered behind the RD's back
        s.set_pend_byte(1125, 0);
        EXPECT_TRUE(t.wr(gicr::CTLR, 0));
        EXPECT_EQ(t.rd(gicr::CTLR), gicr::CTLR_CES | gicr::CTLR_IR);   // RWP = 0
        b8200 = s.pend_byte(8200);
        b9000 = s.pend_byte(9000);
        pending_after_disable = s.rd.lpis().pending_count();
        while_disabled = s.rd.set_pending(8200, t.tl);
        EXPECT_TRUE(t.wr(gicr::CTLR, 1));   // PTZ was consumed: the table is read
        pending_after_reenable = s.rd.lpis().pending_count();
    });
    EXPECT_EQ(b8200, 0x01);
    EXPECT_EQ(b9000, 0x01);
    EXPECT_EQ(pending_after_disable, 0u);
    EXPECT_EQ(while_disabled, LpiRefusal::lpis_disabled);
    EXPECT_EQ(pending_after_reenable, 2u);
    EXPECT_EQ(s.rd.stats().write_backs, 1u);
}

TEST(Redistributor, EnableLpisIsStickyWhenClearingIsNotSupported) {
    RedistConfig c = rd_config();
    c.allow_disable = false;
    System s(c);
    s.run([&](Tester& t) {
        s.enable(t);
        EXPECT_TRUE(t.wr(gicr::CTLR, 0));
        EXPECT_EQ(t.rd(gicr::CTLR), gicr::CTLR_EnableLPIs | gicr::CTLR_IR);   // CES = 0
    });
    EXPECT_TRUE(s.rd.lpis_enabled());
}
