// The Redistributor's registers, and EnableLPIs on and off: loading the
// pending table, PTZ, the write-back as LPIs are disabled
// (redist_system.h: the system and its parameters).
#include "redist_system.h"

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
        // Two 32-bit registers in one 64-bit read.
        EXPECT_EQ(t.rd(gicr::CTLR, 8), uint64_t(gicr::CTLR_CES | gicr::CTLR_IR) | (uint64_t{0x01000000} << 32));
        // The bad-access rule (common/reg_frame.h), as the ITS's: offsets
        // that are no register (SGI_base included), bad sizes and alignment
        // read 0, change nothing, get an OK response, and are counted.
        EXPECT_TRUE(t.wr(0x1230, 0xFFFFFFFF));
        EXPECT_EQ(t.rd(0x1230), 0u);
        EXPECT_TRUE(t.wr(gicr::SGI_base + 0x100, 0xFFFFFFFF));
        EXPECT_EQ(t.rd(gicr::SGI_base + 0x100), 0u);
        bool ok = false;
        EXPECT_EQ(t.rd(gicr::CTLR, 2, &ok), 0u);
        EXPECT_TRUE(ok);
        EXPECT_EQ(t.bm.last_status(), tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(t.rd(gicr::TYPER + 4, 8, &ok), 0u);
        EXPECT_TRUE(ok);
        EXPECT_TRUE(t.wr(gicr::CTLR, 1, 1));
        EXPECT_EQ(t.rd(gicr::CTLR) & gicr::CTLR_EnableLPIs, 0u);
    });
    EXPECT_EQ(s.rd.stats().bad_accesses, 7u);
    EXPECT_FALSE(s.rd.lpis_enabled());
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
