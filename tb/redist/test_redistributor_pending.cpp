// The Redistributor's pending table: the policies (lazy, through), the
// writes a set-pending makes and what a SYNC waits for, the cached
// configuration (redist_system.h: the system and its parameters).
#include "redist_system.h"

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
