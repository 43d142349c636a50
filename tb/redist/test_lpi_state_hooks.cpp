// LpiState (lpi_state_fixture.h): out-of-range INTIDs, the backend's hooks
// in pipeline order, failed reads, a drop during a blocking read.
#include "lpi_state_fixture.h"

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

