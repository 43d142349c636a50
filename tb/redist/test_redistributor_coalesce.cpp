// Coalescing (redistributor.h, "Coalescing"): an LPI that starts an
// interrupt the CPU is certain to take costs one activation of the
// redistributor's method, at that interrupt's EOI, and every record keeps
// the time it has without coalescing (the same expected times as
// test_redistributor_cpu.cpp's). An entry point in between (a CLEAR) sees
// the state of its own time; a run stopped at a time limit catches up; the
// line's edges and the pending count reach on_line/on_count with their
// times; a traced line turns coalescing off.
#include "redist_system.h"

namespace {

RedistConfig coalescing(bool on = true, TimingMode mode = TimingMode::fast) {
    RedistConfig c = rd_config(mode);
    c.coalesce = on;
    return c;
}

void fast_quantum() { tlm::tlm_global_quantum::instance().set(sc_time(1, sc_core::SC_US)); }

// One posted LPI, taken: the records and the end time do not depend on
// coalescing; the activations do (4: recording, rise, acknowledge, EOI).
void one_post(bool on) {
    fast_quantum();
    System s(coalescing(on), TimingMode::fast);
    s.set_prop(8200, prop(0x40, true));
    sc_time t0;
    t0 = s.run_enabled([&](Tester& t) {
        EXPECT_EQ(post(s.rd, 8200, t.tl), LpiRefusal::none);
    });
    const sc_time rise = t0 + kLookup + kRead1 + kUpdate + kSignal;
    EXPECT_EQ(s.rd.coalescing(), on);
    ASSERT_EQ(s.acks.size(), 1u);
    EXPECT_EQ(s.acks[0].intid, 8200u);
    EXPECT_EQ(s.acks[0].signalled_ps, ps(rise));
    EXPECT_EQ(s.acks[0].t_ps, ps(rise + kAck));
    EXPECT_EQ(s.acks[0].eoi_ps, ps(rise + kAck + kHandler));
    EXPECT_EQ(sc_core::sc_time_stamp(), rise + kAck + kHandler);   // the run ends at the EOI
    EXPECT_EQ(s.rd.stats().activations, on ? 1u : 4u);
    EXPECT_EQ(s.rd.stats().irq_rises, 1u);
    EXPECT_EQ(s.rd.stats().set_pending, 1u);
    EXPECT_EQ(s.rd.stats().acks, 1u);
    EXPECT_FALSE(s.rd.irq_level());
    EXPECT_FALSE(s.irq.read());
    EXPECT_FALSE(s.cpu.busy());
    EXPECT_FALSE(s.rd.lpis().has_dirty());   // set and acknowledged: nothing to write
}

}  // namespace

TEST(RedistributorCoalesce, OnePostedLpiIsOneActivationFast) { one_post(true); }
TEST(RedistributorCoalesce, WithoutCoalescingEveryStepIsAnActivationFast) { one_post(false); }

// Two posted LPIs, the second of higher priority and visible by the
// acknowledge: taken in priority order under one rise, as without
// coalescing; one activation per interrupt (the EOIs).
TEST(RedistributorCoalesce, TwoPostedLpisAreTakenInPriorityOrderFast) {
    fast_quantum();
    RedistConfig c = coalescing();
    c.config_line_bytes = 64;   // both bytes arrive with the first miss
    System s(c, TimingMode::fast);
    s.set_prop(8300, prop(0xA0, true));
    s.set_prop(8301, prop(0x20, true));
    sc_time t0;
    t0 = s.run_enabled([&](Tester& t) {
        post(s.rd, 8300, t.tl);   // miss: the 64-byte line
        post(s.rd, 8301, t.tl);   // hit; the poster never waited
    });
    const sc_time stamp_a = t0 + kLookup + kRead64 + kUpdate;
    const sc_time stamp_b = stamp_a + kLookup + kUpdate;
    const sc_time rise = stamp_a + kSignal;
    const sc_time eoi1 = rise + kAck + kHandler;
    ASSERT_EQ(s.acks.size(), 2u);
    EXPECT_EQ(s.acks[0].intid, 8301u);
    EXPECT_EQ(s.acks[0].signalled_ps, ps(stamp_b + kSignal));
    EXPECT_EQ(s.acks[0].t_ps, ps(rise + kAck));
    EXPECT_EQ(s.acks[0].eoi_ps, ps(eoi1));
    EXPECT_EQ(s.acks[1].intid, 8300u);
    EXPECT_EQ(s.acks[1].signalled_ps, ps(rise));
    EXPECT_EQ(s.acks[1].t_ps, ps(eoi1 + kAck));
    EXPECT_EQ(s.acks[1].eoi_ps, ps(eoi1 + kAck + kHandler));
    EXPECT_EQ(sc_core::sc_time_stamp(), eoi1 + kAck + kHandler);
    EXPECT_EQ(s.rd.stats().activations, 2u);
    EXPECT_EQ(s.rd.stats().irq_rises, 1u);
}

// A CLEAR between the rise and the acknowledge finds the LPI pending (the
// steps up to its time run first): the acknowledge is spurious, the run
// ends at it, not at the EOI the coalescing had counted on.
TEST(RedistributorCoalesce, ClearBeforeTheAcknowledgeSeesItsOwnTimeFast) {
    fast_quantum();
    System s(coalescing(), TimingMode::fast);
    s.set_prop(8200, prop(0x40, true));
    sc_time t0;
    bool was_pending = false;
    t0 = s.run_enabled([&](Tester& t) {
        post(s.rd, 8200, t.tl);
        t.tl.set_local(sc_core::SC_ZERO_TIME);   // the poster's time is not the point here
        t.pause(kLookup + kRead1 + kUpdate + kSignal + sc_time(1, SC_NS));   // the line is up
        LpiOp op = LpiOp::physical(LpiOp::Kind::clear_pending, 8200);
        was_pending = s.rd.deliver(op, t.tl).was_pending;
    });
    const sc_time rise = t0 + kLookup + kRead1 + kUpdate + kSignal;
    EXPECT_TRUE(was_pending);
    EXPECT_TRUE(s.acks.empty());
    EXPECT_EQ(s.cpu.stats().spurious, 1u);
    EXPECT_EQ(s.rd.stats().cleared, 1u);
    EXPECT_EQ(s.rd.stats().irq_rises, 1u);
    EXPECT_EQ(sc_core::sc_time_stamp(), rise + kAck);   // the spurious acknowledge
    EXPECT_FALSE(s.cpu.busy());
}

// An LPI its configuration disables is recorded pending at its time and
// never taken: nothing to coalesce, the activation is at its time.
TEST(RedistributorCoalesce, DisabledLpiIsRecordedAtItsTimeFast) {
    fast_quantum();
    System s(coalescing(), TimingMode::fast);
    s.set_prop(8200, prop(0x40, false));
    sc_time t0;
    t0 = s.run_enabled([&](Tester& t) {
        post(s.rd, 8200, t.tl);
    });
    EXPECT_TRUE(s.acks.empty());
    EXPECT_TRUE(s.rd.lpis().is_pending(8200));
    EXPECT_EQ(s.rd.stats().activations, 1u);
    EXPECT_EQ(s.rd.stats().irq_rises, 0u);
    EXPECT_EQ(sc_core::sc_time_stamp(), t0 + kLookup + kRead1 + kUpdate);
}

// A run stopped at a time limit inside a coalesced interrupt: the steps
// due by then (the LPI, the rise, the acknowledge) have not run until
// catch_up() runs them, at their times; the run then goes on to the EOI.
TEST(RedistributorCoalesce, RunStoppedAtItsLimitCatchesUpFast) {
    fast_quantum();
    System s(coalescing(), TimingMode::fast);
    s.set_prop(8200, prop(0x40, true));
    const sc_time t0(1, sc_core::SC_US);
    s.t.body = [&](Tester& t) {
        s.enable(t);
        t.settle();
        sc_core::wait(t0 - sc_core::sc_time_stamp());
        post(s.rd, 8200, t.tl);
    };
    const sc_time rise = t0 + kLookup + kRead1 + kUpdate + kSignal;
    sc_core::sc_start(rise + kAck + sc_time(10, SC_NS));   // inside the handler
    EXPECT_EQ(s.rd.stats().acks, 0u);   // not run yet
    EXPECT_FALSE(s.cpu.busy());
    s.rd.catch_up();
    EXPECT_EQ(s.rd.stats().set_pending, 1u);
    EXPECT_EQ(s.rd.stats().irq_rises, 1u);
    EXPECT_EQ(s.rd.stats().acks, 1u);
    EXPECT_TRUE(s.cpu.busy());          // the handler runs
    EXPECT_TRUE(s.acks.empty());        // its record comes at the EOI
    sc_core::sc_start();
    ASSERT_EQ(s.acks.size(), 1u);
    EXPECT_EQ(s.acks[0].signalled_ps, ps(rise));
    EXPECT_EQ(s.acks[0].t_ps, ps(rise + kAck));
    EXPECT_EQ(s.acks[0].eoi_ps, ps(rise + kAck + kHandler));
    EXPECT_EQ(sc_core::sc_time_stamp(), rise + kAck + kHandler);
    EXPECT_EQ(s.rd.stats().activations, 1u);
}

// A waveform of the line (trace_line) keeps every step at its time.
TEST(RedistributorCoalesce, TracedLineIsNotCoalescedFast) {
    fast_quantum();
    System s(coalescing(), TimingMode::fast);
    s.rd.trace_line();
    s.set_prop(8200, prop(0x40, true));
    s.run_enabled([&](Tester& t) {
        post(s.rd, 8200, t.tl);
    });
    EXPECT_FALSE(s.rd.coalescing());
    ASSERT_EQ(s.acks.size(), 1u);
    EXPECT_EQ(s.rd.stats().activations, 4u);
}

// Accurate mode, an LPI set pending by a caller that waits for it (the
// ITS's worker): the rise, the acknowledge and the EOI in one activation
// (three without coalescing); the line's edges and the pending count are
// reported with their own times.
TEST(RedistributorCoalesce, OneLpiIsOneActivationAccurate) {
    System s(coalescing(true, TimingMode::accurate), TimingMode::accurate);
    s.set_prop(8200, prop(0x40, true));
    std::vector<std::pair<uint64_t, bool>> line;
    std::vector<std::pair<uint64_t, size_t>> count;
    s.rd.on_line = [&](uint64_t t, bool level) { line.push_back({t, level}); };
    s.rd.on_count = [&](uint64_t t, size_t n) { count.push_back({t, n}); };
    sc_time t0;
    t0 = s.run_enabled([&](Tester& t) {
        LpiOp op = LpiOp::physical(LpiOp::Kind::set_pending, 8200);
        EXPECT_EQ(s.rd.deliver(op, t.tl).refusal, LpiRefusal::none);
    });
    const sc_time stamp = t0 + kLookup + kRead1 + kUpdate, rise = stamp + kSignal;
    EXPECT_TRUE(s.rd.coalescing());
    ASSERT_EQ(s.acks.size(), 1u);
    EXPECT_EQ(s.acks[0].signalled_ps, ps(rise));
    EXPECT_EQ(s.acks[0].t_ps, ps(rise + kAck));
    EXPECT_EQ(s.acks[0].eoi_ps, ps(rise + kAck + kHandler));
    EXPECT_EQ(sc_core::sc_time_stamp(), rise + kAck + kHandler);
    EXPECT_EQ(s.rd.stats().activations, 1u);
    const std::vector<std::pair<uint64_t, bool>> want_line{{ps(rise), true}, {ps(rise + kAck), false}};
    EXPECT_EQ(line, want_line);
    const std::vector<std::pair<uint64_t, size_t>> want_count{{ps(stamp), 1}, {ps(rise + kAck), 0}};
    EXPECT_EQ(count, want_count);
}
