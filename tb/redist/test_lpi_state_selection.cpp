// LpiState (lpi_state_fixture.h): which pending LPI is selected and
// acknowledged, the configuration snapshot, INV and INVALL, and the
// configuration cache (LRU, no cache, line fills).
#include "lpi_state_fixture.h"

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

