// LpiState (lpi_state_fixture.h): the pending table - bytes written from the
// state (queue and net tracking), full write-back, loading the table when
// LPIs are enabled - and memory that follows the number of pending LPIs.
#include "lpi_state_fixture.h"

// Heap bytes in use, to show that memory follows the number of pending
// LPIs and not the size of the INTID space.
#if defined(__SANITIZE_ADDRESS__)
extern "C" size_t __sanitizer_get_current_allocated_bytes();   // the ASan runtime's
static uint64_t heap_in_use() { return __sanitizer_get_current_allocated_bytes(); }
#else
#include <malloc.h>
static uint64_t heap_in_use() { return mallinfo2().uordblks; }
#endif

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
