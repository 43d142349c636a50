// LpiState: plain C++, no kernel. The backend is a sparse byte map that
// records every access and hook call, so the tests can check what was read
// and written, in which order, and how often.
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "redist/lpi_state.h"

// Heap bytes in use, to show that memory follows the number of pending
// LPIs and not the size of the INTID space.
#if defined(__SANITIZE_ADDRESS__)
extern "C" size_t __sanitizer_get_current_allocated_bytes();   // the ASan runtime's
static uint64_t heap_in_use() { return __sanitizer_get_current_allocated_bytes(); }
#else
#include <malloc.h>
static uint64_t heap_in_use() { return mallinfo2().uordblks; }
#endif

using namespace itsim;

namespace {

constexpr uint64_t kProp = 0x100000;    // property table
constexpr uint64_t kPend = 0x200000;    // pending table
constexpr uint8_t kGroup1 = 0x02;       // bit 1, RES1 as Linux writes it

uint8_t prop(uint8_t priority, bool enabled) {
    return uint8_t((priority & 0xFC) | kGroup1 | (enabled ? 1 : 0));
}

struct Access {
    char kind;   // 'r', 'w'
    uint64_t addr;
    unsigned len;
};

class FakeMem : public LpiBackend {
public:
    std::map<uint64_t, uint8_t> bytes;
    std::vector<Access> log;
    std::string events;   // L = lookup, R = read, W = write, U = update
    uint64_t fail_from = ~uint64_t{0}, fail_to = 0;   // reads in [from, to) fail
    uint64_t now = 0;
    std::function<void()> during_read;

    void set_prop(uint32_t intid, uint8_t v) { bytes[kProp + intid - 8192] = v; }
    uint8_t at(uint64_t a) const {
        auto it = bytes.find(a);
        return it == bytes.end() ? 0 : it->second;
    }
    size_t reads() const {
        size_t n = 0;
        for (const Access& a : log) n += a.kind == 'r';
        return n;
    }
    size_t writes() const { return log.size() - reads(); }

    bool read(uint64_t addr, void* dst, unsigned len) override {
        log.push_back({'r', addr, len});
        events += 'R';
        if (during_read) during_read();
        if (addr < fail_to && addr + len > fail_from) return false;
        auto* d = static_cast<uint8_t*>(dst);
        for (unsigned i = 0; i < len; ++i) d[i] = at(addr + i);
        return true;
    }
    bool write(uint64_t addr, const void* src, unsigned len) override {
        log.push_back({'w', addr, len});
        events += 'W';
        auto* s = static_cast<const uint8_t*>(src);
        for (unsigned i = 0; i < len; ++i) bytes[addr + i] = s[i];
        return true;
    }
    void on_config_lookup() override { events += 'L'; }
    void on_pending_update() override { events += 'U'; }
    uint64_t stamp() override { return now; }
};

LpiStateConfig cache_cfg(size_t entries, size_t ways, unsigned line = 1) {
    LpiStateConfig c;
    c.cache_entries = entries;
    c.cache_ways = ways;
    c.line_bytes = line;
    return c;
}

struct LpiStateTest : ::testing::Test {
    FakeMem mem;
    LpiState st{cache_cfg(64, 4)};
    void SetUp() override { st.set_tables(kProp, kPend, 1u << 16); }
    std::vector<uint32_t> drain_acks() {
        std::vector<uint32_t> v;
        for (uint32_t id = st.acknowledge().intid; id != 1023; id = st.acknowledge().intid)
            v.push_back(id);
        return v;
    }
};

}  // namespace

// ------------------------------------------------------------ selection

TEST_F(LpiStateTest, AcknowledgeTakesLowestPriorityValueFirst) {
    mem.set_prop(9000, prop(0xA0, true));
    mem.set_prop(9001, prop(0x20, true));
    mem.set_prop(9002, prop(0xF0, true));
    mem.set_prop(9003, prop(0x00, true));
    for (uint32_t id : {9000u, 9001u, 9002u, 9003u}) EXPECT_TRUE(st.set_pending(id, mem).newly_pending);
    EXPECT_EQ(st.highest(), 9003u);
    EXPECT_EQ(drain_acks(), (std::vector<uint32_t>{9003, 9001, 9000, 9002}));
    EXPECT_EQ(st.pending_count(), 0u);
    EXPECT_EQ(st.acknowledge().intid, 1023u);
}

TEST_F(LpiStateTest, PriorityBitsOneAndZeroAreIgnoredAndTiesGoToLowerIntid) {
    // 0x43 and 0x41 are both priority 0x40; 0x40|group: same again.
    mem.set_prop(12000, 0x43);
    mem.set_prop(8200, 0x41);
    mem.set_prop(10000, 0x43);
    st.set_pending(12000, mem);
    st.set_pending(10000, mem);
    st.set_pending(8200, mem);
    EXPECT_EQ(drain_acks(), (std::vector<uint32_t>{8200, 10000, 12000}));
}

TEST_F(LpiStateTest, NewHighestIsReportedOnlyWhenItTakesTheTop) {
    mem.set_prop(9000, prop(0x80, true));
    mem.set_prop(9001, prop(0x90, true));
    mem.set_prop(9002, prop(0x10, true));
    EXPECT_TRUE(st.set_pending(9000, mem).new_highest);
    EXPECT_FALSE(st.set_pending(9001, mem).new_highest);
    EXPECT_TRUE(st.set_pending(9002, mem).new_highest);
    auto again = st.set_pending(9002, mem);
    EXPECT_FALSE(again.newly_pending);
    EXPECT_FALSE(again.new_highest);
}

TEST_F(LpiStateTest, DisabledLpiStaysPendingButIsNotSelectable) {
    mem.set_prop(9000, prop(0x10, false));
    mem.set_prop(9001, prop(0x80, true));
    auto r = st.set_pending(9000, mem);
    EXPECT_TRUE(r.newly_pending);
    EXPECT_FALSE(r.selectable);
    EXPECT_TRUE(st.is_pending(9000));
    EXPECT_EQ(st.highest(), 1023u);
    EXPECT_EQ(st.acknowledge().intid, 1023u);
    st.set_pending(9001, mem);
    EXPECT_EQ(drain_acks(), (std::vector<uint32_t>{9001}));
    EXPECT_TRUE(st.is_pending(9000));   // still there
    EXPECT_EQ(st.pending_config(9000), prop(0x10, false));
}

TEST_F(LpiStateTest, InvMakesADisabledPendingLpiSelectable) {
    mem.set_prop(9000, prop(0x10, false));
    st.set_pending(9000, mem);
    mem.set_prop(9000, prop(0x30, true));   // software enables it in memory
    EXPECT_EQ(st.highest(), 1023u);         // not visible yet
    mem.now = 777;
    EXPECT_TRUE(st.inv(9000, mem));
    EXPECT_EQ(st.highest(), 9000u);
    LpiState::Ack a = st.acknowledge();
    EXPECT_EQ(a.intid, 9000u);
    EXPECT_EQ(a.stamp, 777u);   // selectable since the INV
}

TEST_F(LpiStateTest, CachedConfigHidesAMemoryChangeUntilInv) {
    mem.set_prop(9000, prop(0x40, true));
    st.set_pending(9000, mem);
    EXPECT_EQ(st.acknowledge().intid, 9000u);
    mem.set_prop(9000, prop(0x40, false));   // disabled in memory, no INV
    st.set_pending(9000, mem);
    EXPECT_EQ(st.acknowledge().intid, 9000u);   // the cached enable still holds
    EXPECT_EQ(mem.reads(), 1u);
    EXPECT_FALSE(st.inv(9000, mem));   // not pending: only drops the cached byte
    EXPECT_EQ(mem.reads(), 1u);
    st.set_pending(9000, mem);
    EXPECT_EQ(mem.reads(), 2u);
    EXPECT_TRUE(st.is_pending(9000));
    EXPECT_EQ(st.acknowledge().intid, 1023u);
}

TEST_F(LpiStateTest, InvOfAPendingLpiRereadsAndCanChangeItsPriority) {
    mem.set_prop(9000, prop(0x40, true));
    mem.set_prop(9001, prop(0x50, true));
    st.set_pending(9000, mem);
    st.set_pending(9001, mem);
    mem.set_prop(9000, prop(0x60, true));
    EXPECT_EQ(st.highest(), 9000u);
    EXPECT_TRUE(st.inv(9000, mem));
    EXPECT_EQ(st.highest(), 9001u);
    EXPECT_EQ(st.pending_config(9000), prop(0x60, true));
    // Re-reading an unchanged byte reports no change.
    EXPECT_FALSE(st.inv(9001, mem));
}

TEST_F(LpiStateTest, PendingLpiKeepsItsSnapshotAcrossEviction) {
    LpiState one(cache_cfg(1, 1));
    one.set_tables(kProp, kPend, 1u << 16);
    mem.set_prop(9000, prop(0x40, true));
    mem.set_prop(9001, prop(0x80, true));
    one.set_pending(9000, mem);
    mem.set_prop(9000, prop(0x40, false));
    one.set_pending(9001, mem);   // evicts 9000's byte
    EXPECT_EQ(one.cache_stats().evictions, 1u);
    one.set_pending(9000, mem);   // already pending: no lookup, snapshot kept
    EXPECT_EQ(mem.reads(), 2u);
    EXPECT_EQ(one.pending_config(9000), prop(0x40, true));
    EXPECT_EQ(one.acknowledge().intid, 9000u);
    // Not pending any more and not cached: the next one reads the new byte.
    one.set_pending(9000, mem);
    EXPECT_EQ(mem.reads(), 3u);
    EXPECT_EQ(one.pending_config(9000), prop(0x40, false));
}

TEST_F(LpiStateTest, InvallDropsTheCacheAndRereadsEveryPendingLpi) {
    mem.set_prop(9000, prop(0x40, false));
    mem.set_prop(9001, prop(0x50, true));
    mem.set_prop(9002, prop(0x60, true));   // cached but not pending
    st.set_pending(9002, mem);
    st.acknowledge();
    st.set_pending(9000, mem);
    st.set_pending(9001, mem);
    EXPECT_EQ(mem.reads(), 3u);
    mem.set_prop(9000, prop(0x20, true));
    mem.set_prop(9001, prop(0x50, false));
    mem.set_prop(9002, prop(0x10, true));
    mem.log.clear();
    st.invall(mem);
    // Both pending LPIs re-read, in INTID order; 9002 dropped, not read.
    ASSERT_EQ(mem.reads(), 2u);
    EXPECT_EQ(mem.log[0].addr, kProp + 9000 - 8192);
    EXPECT_EQ(mem.log[1].addr, kProp + 9001 - 8192);
    EXPECT_EQ(st.cache().peek(9002), nullptr);
    EXPECT_EQ(st.highest(), 9000u);
    EXPECT_EQ(st.selectable_count(), 1u);
    st.set_pending(9002, mem);   // miss: the new byte
    EXPECT_EQ(st.highest(), 9002u);
}

TEST(LpiStateCache, LruEvictionAndHitMissCounts) {
    // 2 entries, 2 ways: one set, so LRU order alone decides.
    FakeMem mem;
    LpiState st(cache_cfg(2, 2));
    st.set_tables(kProp, kPend, 1u << 16);
    auto touch = [&](uint32_t id) {
        st.set_pending(id, mem);
        st.clear_pending(id);
    };
    touch(9000);   // miss
    touch(9001);   // miss
    touch(9000);   // hit, 9001 is now LRU
    touch(9002);   // miss, evicts 9001
    touch(9000);   // hit
    touch(9001);   // miss, evicts 9002
    const CacheStats& s = st.cache_stats();
    EXPECT_EQ(s.hits, 2u);
    EXPECT_EQ(s.misses, 4u);
    EXPECT_EQ(s.evictions, 2u);
    EXPECT_EQ(mem.reads(), 4u);
    EXPECT_EQ(st.stats().config_reads, 4u);
    EXPECT_NE(st.cache().peek(9000), nullptr);
    EXPECT_NE(st.cache().peek(9001), nullptr);
    EXPECT_EQ(st.cache().peek(9002), nullptr);
}

TEST(LpiStateCache, NoCacheReadsEveryTime) {
    FakeMem mem;
    LpiState st(cache_cfg(0, 1));
    st.set_tables(kProp, kPend, 1u << 16);
    for (int i = 0; i < 3; ++i) {
        st.set_pending(9000, mem);
        st.clear_pending(9000);
    }
    EXPECT_EQ(mem.reads(), 3u);
}

TEST(LpiStateCache, LineFillReadsAnAlignedLineOnce) {
    FakeMem mem;
    LpiState st(cache_cfg(64, 4, 16));
    st.set_tables(kProp, kPend, 1u << 16);
    mem.set_prop(8192 + 37, prop(0x40, true));
    mem.set_prop(8192 + 40, prop(0x30, true));
    st.set_pending(8192 + 37, mem);
    ASSERT_EQ(mem.reads(), 1u);
    EXPECT_EQ(mem.log[0].addr, kProp + 32);   // 16-byte aligned
    EXPECT_EQ(mem.log[0].len, 16u);
    st.set_pending(8192 + 40, mem);           // hit from the line fill
    EXPECT_EQ(mem.reads(), 1u);
    EXPECT_EQ(st.highest(), 8192u + 40);
    EXPECT_THROW(LpiState(cache_cfg(64, 4, 3)), std::invalid_argument);
    EXPECT_THROW(LpiState(cache_cfg(64, 4, 128)), std::invalid_argument);
}

TEST(LpiStateCache, LineIsClippedAtTheEndOfTheTable) {
    FakeMem mem;
    LpiState st(cache_cfg(64, 4, 64));
    st.set_tables(kProp, kPend, 16384);
    st.set_pending(16383, mem);
    ASSERT_EQ(mem.reads(), 1u);
    EXPECT_EQ(mem.log[0].addr, kProp + 8192 - 64);
    EXPECT_EQ(mem.log[0].len, 64u);
    LpiState st2(cache_cfg(64, 4, 64));
    st2.set_tables(kProp, kPend, 16384);
    mem.log.clear();
    st2.set_pending(8192, mem);
    EXPECT_EQ(mem.log[0].addr, kProp);
}

// ------------------------------------------------------------ ranges, hooks

TEST_F(LpiStateTest, OutOfRangeIntidsAreIgnored) {
    EXPECT_FALSE(st.set_pending(8191, mem).newly_pending);
    EXPECT_FALSE(st.set_pending(65536, mem).newly_pending);
    EXPECT_FALSE(st.set_pending(0xFFFFFFFFu, mem).newly_pending);
    EXPECT_TRUE(st.set_pending(65535, mem).newly_pending);
    EXPECT_FALSE(st.inv(100, mem));
    EXPECT_EQ(mem.reads(), 1u);
    EXPECT_EQ(st.pending_count(), 1u);
    LpiState none;
    none.set_tables(kProp, kPend, 8192);
    EXPECT_FALSE(none.set_pending(8192, mem).newly_pending);
    EXPECT_EQ(none.load_pending_table(mem, 64), 0u);
}

TEST_F(LpiStateTest, HooksComeInPipelineOrder) {
    mem.set_prop(9000, prop(0x40, true));
    st.set_pending(9000, mem);
    EXPECT_EQ(mem.events, "LRU");   // lookup, miss read, update
    st.clear_pending(9000);
    mem.events.clear();
    st.set_pending(9000, mem);
    EXPECT_EQ(mem.events, "LU");    // hit
    mem.events.clear();
    st.set_pending(9000, mem);
    EXPECT_EQ(mem.events, "U");     // already pending: no lookup, decided after the update
    mem.events.clear();
    st.inv(9000, mem);
    EXPECT_EQ(mem.events, "LRU");
    mem.events.clear();
    st.inv(9100, mem);              // not pending: the probe only
    EXPECT_EQ(mem.events, "L");
}

TEST_F(LpiStateTest, FailedPropertyReadLeavesTheLpiPendingUntilInv) {
    mem.set_prop(9000, prop(0x40, true));
    mem.fail_from = kProp;
    mem.fail_to = kProp + 0x10000;
    auto r = st.set_pending(9000, mem);
    EXPECT_TRUE(r.newly_pending);
    EXPECT_FALSE(r.selectable);
    EXPECT_EQ(st.pending_config(9000), std::nullopt);
    EXPECT_EQ(st.stats().config_read_errors, 1u);
    EXPECT_EQ(st.cache().peek(9000), nullptr);   // a failed read is not cached
    mem.fail_to = 0;
    EXPECT_TRUE(st.inv(9000, mem));
    EXPECT_EQ(st.acknowledge().intid, 9000u);
}

TEST_F(LpiStateTest, DropDuringABlockingReadAbandonsTheLpi) {
    mem.set_prop(9000, prop(0x40, true));
    mem.during_read = [&] { st.drop_all(); };
    EXPECT_FALSE(st.set_pending(9000, mem).newly_pending);
    EXPECT_FALSE(st.is_pending(9000));
    EXPECT_FALSE(st.has_dirty());
    EXPECT_EQ(st.cache().peek(9000), nullptr);
}

// ------------------------------------------------------------ pending table

TEST_F(LpiStateTest, PendingBytesAreWrittenFromTheStateAndCoalesced) {
    for (uint32_t id : {8193u, 8195u}) {
        mem.set_prop(id, prop(0x40, true));
        st.set_pending(id, mem);
    }
    EXPECT_EQ(st.dirty_count(), 1u);   // both in byte 1024
    EXPECT_EQ(st.flush(mem), 1u);
    EXPECT_EQ(mem.at(kPend + 1024), 0x0A);
    st.clear_pending(8193);
    mem.set_prop(8200, prop(0x40, true));
    mem.set_prop(8201, prop(0x40, true));
    st.set_pending(8200, mem);          // byte 1025
    EXPECT_EQ(st.flush(mem), 2u);
    EXPECT_EQ(mem.at(kPend + 1024), 0x08);
    EXPECT_EQ(mem.at(kPend + 1025), 0x01);
    // Set then acknowledged before the flush: one write, of the final value.
    mem.log.clear();
    st.set_pending(8201, mem);
    EXPECT_EQ(st.acknowledge().intid, 8195u);
    EXPECT_EQ(st.acknowledge().intid, 8200u);
    EXPECT_EQ(st.acknowledge().intid, 8201u);
    EXPECT_EQ(st.flush(mem), 2u);
    EXPECT_EQ(mem.writes(), 2u);
    EXPECT_EQ(mem.at(kPend + 1024), 0x00);
    EXPECT_EQ(mem.at(kPend + 1025), 0x00);
    EXPECT_EQ(st.stats().pending_writes, 5u);
}

// Net tracking (the lazy policy): a byte is dirty only while the state
// differs from memory; written in address order, runs of one 64-byte line
// in one write.
LpiStateConfig net_cfg() {
    LpiStateConfig c = cache_cfg(64, 4);
    c.tracking = PendingTracking::net;
    return c;
}
struct LpiStateNetTest : ::testing::Test {
    FakeMem mem;
    LpiState st{net_cfg()};
    void SetUp() override { st.set_tables(kProp, kPend, 1u << 16); }
};

TEST_F(LpiStateNetTest, SetThenAcknowledgedOrClearedLeavesNothingDirty) {
    EXPECT_EQ(st.config().tracking, PendingTracking::net);
    mem.set_prop(8193, prop(0x40, true));
    mem.set_prop(8195, prop(0x40, false));
    st.set_pending(8193, mem);
    st.set_pending(8195, mem);
    EXPECT_EQ(st.dirty_count(), 1u);   // one byte
    EXPECT_EQ(st.acknowledge().intid, 8193u);
    EXPECT_EQ(st.dirty_count(), 1u);   // 8195 still differs
    EXPECT_TRUE(st.clear_pending(8195));
    EXPECT_FALSE(st.has_dirty());
    EXPECT_EQ(st.flush(mem), 0u);
    EXPECT_EQ(mem.writes(), 0u);
    // Once written, clearing makes the byte dirty again (memory holds 1).
    st.set_pending(8195, mem);
    EXPECT_EQ(st.flush(mem), 1u);
    EXPECT_EQ(mem.at(kPend + 1024), 0x08);
    EXPECT_TRUE(st.clear_pending(8195));
    EXPECT_EQ(st.dirty_count(), 1u);
    EXPECT_EQ(st.flush(mem), 1u);
    EXPECT_EQ(mem.at(kPend + 1024), 0x00);
}

TEST_F(LpiStateNetTest, WritesInAddressOrderWithRunsInsideALine) {
    // Bytes 1087 and 1088 are adjacent but in two 64-byte lines; 1100-1102
    // are one run; 1030 alone. Changed in no particular order.
    for (uint32_t id : {1100u * 8, 1088u * 8 + 3, 1030u * 8 + 7, 1102u * 8 + 1, 1087u * 8, 1101u * 8}) {
        mem.set_prop(id, prop(0x40, false));
        st.set_pending(id, mem);
    }
    EXPECT_EQ(st.dirty_count(), 6u);
    mem.log.clear();
    unsigned len = 0;
    EXPECT_TRUE(st.write_next(mem, &len));
    EXPECT_EQ(len, 1u);
    EXPECT_EQ(st.flush(mem), 5u);
    std::vector<std::pair<uint64_t, unsigned>> w;
    for (const Access& a : mem.log)
        if (a.kind == 'w') w.push_back({a.addr - kPend, a.len});
    EXPECT_EQ(w, (std::vector<std::pair<uint64_t, unsigned>>{{1030, 1}, {1087, 1}, {1088, 1}, {1100, 3}}));
    EXPECT_EQ(mem.at(kPend + 1030), 0x80);
    EXPECT_EQ(mem.at(kPend + 1088), 0x08);
    EXPECT_EQ(mem.at(kPend + 1100), 0x01);
    EXPECT_EQ(mem.at(kPend + 1101), 0x01);
    EXPECT_EQ(mem.at(kPend + 1102), 0x02);
    EXPECT_EQ(st.stats().pending_writes, 4u);
}

TEST_F(LpiStateNetTest, FullWriteBackWritesEveryPendingByteOnce) {
    for (uint32_t id : {8192u, 8193u, 9000u, 12000u}) {
        mem.set_prop(id, prop(0x40, false));
        st.set_pending(id, mem);
    }
    st.flush(mem);
    mem.bytes.clear();   // clobbered behind its back
    EXPECT_TRUE(st.clear_pending(9000));   // dirty: memory had 1 (as far as it knows)
    st.set_pending(9001, mem);             // same byte as 9000
    mem.set_prop(20000, prop(0x40, false));
    st.set_pending(20000, mem);
    st.mark_all_pending_dirty();
    EXPECT_EQ(st.dirty_count(), 4u);   // bytes 1024, 1125, 1500, 2500
    mem.log.clear();
    EXPECT_EQ(st.flush(mem), 4u);
    EXPECT_EQ(mem.writes(), 4u);
    EXPECT_EQ(mem.at(kPend + 1024), 0x03);
    EXPECT_EQ(mem.at(kPend + 1125), 0x02);
    EXPECT_EQ(mem.at(kPend + 1500), 0x01);
    EXPECT_EQ(mem.at(kPend + 2500), 0x01);
    // Forced bytes stay dirty even when their mask returns to zero.
    st.mark_all_pending_dirty();
    EXPECT_TRUE(st.clear_pending(8192));
    st.set_pending(8192, mem);
    EXPECT_EQ(st.dirty_count(), 4u);
    st.drop_all();
    EXPECT_FALSE(st.has_dirty());
}

TEST_F(LpiStateTest, TrackingChangesOnlyWhileNothingIsDirty) {
    mem.set_prop(8200, prop(0x40, false));
    st.set_pending(8200, mem);
    EXPECT_FALSE(st.set_tracking(PendingTracking::net));
    st.flush(mem);
    EXPECT_TRUE(st.set_tracking(PendingTracking::net));
    EXPECT_TRUE(st.clear_pending(8200));
    EXPECT_EQ(st.dirty_count(), 1u);
    st.set_pending(8200, mem);
    EXPECT_FALSE(st.has_dirty());   // back to what memory holds
}

TEST_F(LpiStateTest, LoadPendingTableIgnoresTheFirstKibAndReadsInBursts) {
    LpiState small(cache_cfg(64, 4));
    small.set_tables(kProp, kPend, 16384);   // table = 2 KiB
    mem.bytes[kPend + 12] = 0xFF;            // INTIDs 96..103: IMPDEF area, ignored
    mem.bytes[kPend + 1024] = 0x81;          // 8192, 8199
    mem.bytes[kPend + 2047] = 0x80;          // 16383
    mem.set_prop(8192, prop(0x50, true));
    mem.set_prop(8199, prop(0x30, true));
    mem.set_prop(16383, prop(0x10, false));
    mem.now = 42;
    EXPECT_EQ(small.load_pending_table(mem, 64), 3u);
    // 1 KiB in 64-byte bursts, then one property read per LPI.
    size_t bursts = 0;
    for (const Access& a : mem.log)
        if (a.addr >= kPend) {
            EXPECT_EQ(a.len, 64u);
            EXPECT_EQ((a.addr - kPend) % 64, 0u);
            EXPECT_GE(a.addr, kPend + 1024);
            ++bursts;
        }
    EXPECT_EQ(bursts, 16u);
    EXPECT_EQ(mem.reads(), 19u);
    EXPECT_FALSE(small.has_dirty());
    EXPECT_TRUE(small.is_pending(16383));
    EXPECT_FALSE(small.is_pending(100));
    LpiState::Ack a = small.acknowledge();
    EXPECT_EQ(a.intid, 8199u);
    EXPECT_EQ(a.stamp, 42u);
    EXPECT_EQ(small.acknowledge().intid, 8192u);
    EXPECT_EQ(small.acknowledge().intid, 1023u);
}

TEST_F(LpiStateTest, FailedTableReadCountsAsZeros) {
    LpiState small(cache_cfg(64, 4));
    small.set_tables(kProp, kPend, 16384);
    mem.bytes[kPend + 1024] = 0x01;
    mem.bytes[kPend + 1100] = 0x01;
    mem.fail_from = kPend + 1024;
    mem.fail_to = kPend + 1088;   // the first burst fails
    EXPECT_EQ(small.load_pending_table(mem, 64), 1u);
    EXPECT_TRUE(small.is_pending(1100 * 8));
    EXPECT_EQ(small.stats().pending_table_read_errors, 1u);
}

TEST_F(LpiStateTest, TakeAllReturnsIntidOrderAndWriteBackMarksEveryByte) {
    for (uint32_t id : {12000u, 8192u, 9000u}) {
        mem.set_prop(id, prop(0x40, id != 9000));
        st.set_pending(id, mem);
    }
    st.flush(mem);
    st.mark_all_pending_dirty();
    EXPECT_EQ(st.dirty_count(), 3u);
    st.flush(mem);
    EXPECT_EQ(mem.at(kPend + 1500), 0x01);   // 12000 = 1500*8
    EXPECT_EQ(st.take_all(), (std::vector<uint32_t>{8192, 9000, 12000}));
    EXPECT_EQ(st.pending_count(), 0u);
    EXPECT_EQ(st.highest(), 1023u);
    st.flush(mem);
    EXPECT_EQ(mem.at(kPend + 1024), 0x00);
    EXPECT_EQ(mem.at(kPend + 1125), 0x00);
    EXPECT_EQ(mem.at(kPend + 1500), 0x00);
}

TEST(LpiStateMemory, BoundedByPendingLpisNotByTheIntidSpace) {
    FakeMem mem;
    LpiState st(cache_cfg(16, 4));
    const uint64_t before = heap_in_use();
    st.set_tables(kProp, kPend, uint64_t{1} << 32);   // 4 G INTIDs: a bitmap would be 512 MiB
    for (uint32_t i = 0; i < 100; ++i) st.set_pending(0xFFFFFF00u - i * 0x01000000u, mem);
    EXPECT_EQ(st.pending_count(), 100u);
    // 100 pending LPIs, their dirty bytes, the map's buckets: far below 1 MiB.
    EXPECT_LT(heap_in_use() - before, uint64_t{1} << 20);
    st.flush(mem);
    EXPECT_EQ(mem.at(kPend + 0xFFFFFF00u / 8), 0x01);
}
