// The Redistributor's CPU path: from a set-pending (or a posted one) to the
// CPU's acknowledge, in both timing modes; the pending table on that path
// (lazy and through); priority order; INV, INVALL, SYNC and their register
// forms; SETLPIR, CLRLPIR; take_all_pending (redist_system.h: the system
// and its parameters).
#include "redist_system.h"

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

// A posted set_pending (LpiOp::posted, the ITS's fast inline MSIs, through
// deliver()): the same costs and the same acknowledge as set_pending, but
// the caller does not wait: the LPI is recorded pending at the end of its
// update by the redistributor's method.
void post_pending(TimingMode mode) {
    if (mode == TimingMode::fast) tlm::tlm_global_quantum::instance().set(sc_time(1, sc_core::SC_US));
    System s(rd_config(mode), mode);
    s.set_prop(8200, prop(0x40, true));
    sc_time t0, t_post, kernel_after;
    bool pending_at_return = true, pending_after = false;
    LpiRefusal r = LpiRefusal::out_of_range, again = LpiRefusal::out_of_range, refused = LpiRefusal::none;
    uint64_t already = 99;
    s.run([&](Tester& t) {
        refused = post(s.rd, 8200, t.tl);   // LPIs disabled
        s.enable(t);
        t.settle();
        t0 = sc_core::sc_time_stamp();
        r = post(s.rd, 8200, t.tl);
        t_post = t.tl.now();
        kernel_after = sc_core::sc_time_stamp();
        pending_at_return = s.rd.lpis().is_pending(8200);
        t.settle();   // now at the end of the update
        t.pause(sc_time(1, SC_NS));
        pending_after = s.rd.lpis().is_pending(8200);
        again = post(s.rd, 8200, t.tl);   // already pending: decided at its time
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
        post(s.rd, 8200, t.tl);             // recorded at the end of its update...
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

// ------------------------------------------------------------ the stream
// deliver() (LpiStreamIf, the ITS's `rd` port): the physical kinds answer
// as the calls they run, with the same costs; the virtual kinds get
// `unsupported` from a GICv3 redistributor and change nothing.
TEST(Redistributor, DeliverRunsThePhysicalKindsAndAnswersVirtualOnesUnsupported) {
    System s;
    s.set_prop(8200, prop(0x40, false));
    s.set_prop(9000, prop(0x40, false));
    using K = LpiOp::Kind;
    LpiResult low, set, merge, clr, clr_again, taken;
    std::vector<LpiResult> virt;
    sc_time t_set;
    s.run([&](Tester& t) {
        s.enable(t);
        t.settle();
        low = s.rd.deliver(LpiOp::physical(K::set_pending, 8191), t.tl);   // below the LPI range
        const sc_time t0 = t.tl.now();
        set = s.rd.deliver(LpiOp::physical(K::set_pending, 8200), t.tl);
        t_set = t.tl.now() - t0;
        merge = s.rd.deliver(LpiOp::physical(K::set_pending, 8200), t.tl);
        clr = s.rd.deliver(LpiOp::physical(K::clear_pending, 8200), t.tl);
        clr_again = s.rd.deliver(LpiOp::physical(K::clear_pending, 8200), t.tl);
        s.rd.deliver(LpiOp::physical(K::set_pending, 9000), t.tl);
        s.rd.deliver(LpiOp::physical(K::set_pending, 8200), t.tl);
        for (K k : {K::set_vlpi, K::clear_vlpi, K::inv_vlpi, K::vinvall, K::vsync, K::invdb, K::vmovp, K::set_vsgi,
                    K::vsgi_config})
            virt.push_back(s.rd.deliver(LpiOp::virt(k, VpeRef{}, 8200), t.tl));
        taken = s.rd.deliver(LpiOp::physical(K::take_all), t.tl);
        s.rd.deliver(LpiOp::physical(K::sync), t.tl);
    });
    EXPECT_EQ(low.refusal, LpiRefusal::out_of_range);
    EXPECT_EQ(set.refusal, LpiRefusal::none);
    EXPECT_EQ(t_set, kLookup + kRead1 + kUpdate);   // a miss: lookup, the byte's read, the update
    EXPECT_EQ(merge.refusal, LpiRefusal::none);
    EXPECT_TRUE(clr.was_pending);
    EXPECT_FALSE(clr_again.was_pending);
    ASSERT_EQ(virt.size(), 9u);
    for (const LpiResult& r : virt) {
        EXPECT_TRUE(r.unsupported);
        EXPECT_EQ(r.refusal, LpiRefusal::none);
        EXPECT_TRUE(r.taken.empty());
    }
    EXPECT_EQ(taken.taken, (std::vector<uint32_t>{8200, 9000}));   // the virtual ops took nothing
    EXPECT_FALSE(taken.unsupported);
    EXPECT_EQ(s.rd.lpis().pending_count(), 0u);
    EXPECT_EQ(s.pend_byte(9000), 0x00);
}
