// CpuInterface priorities with the real Redistributor (its
// highest_pending_priority(), redist_cpu_side.cpp) on a real bus and
// memory, the parameters of tb/redist/redist_system.h: an LPI made pending
// on a configuration miss is selectable lookup + read + update after the
// call and raises the line a signal latency later.
#include "redist/redist_system.h"

namespace {

// redist_system.h's System with the CPU's configuration first.
struct PrioSystem : System {
    explicit PrioSystem(const CpuInterfaceConfig& cc, TimingMode mode = TimingMode::accurate)
        : System(rd_config(mode), mode, cc) {}
};

CpuInterfaceConfig prio_cpu(uint8_t pmr, bool preempt) {
    CpuInterfaceConfig c = cpu_config();
    c.pmr = pmr;
    c.preempt = preempt;
    return c;
}

// From a set_pending on a configuration miss to its stamp.
const sc_time kMissSet = kLookup + kRead1 + kUpdate;

}  // namespace

// ICC_HPPIR1's priority: the highest enabled pending LPI's property byte &
// 0xFC; a disabled one does not count; none before LPIs are enabled.
// PMR 0x00 masks everything, so the CPU takes nothing meanwhile.
TEST(CpuPriorityRedist, HighestPendingPriorityIsTheFirstOfThePriorityOrder) {
    PrioSystem s(prio_cpu(0x00, false));
    s.set_prop(8200, prop(0xA0, true));
    s.set_prop(8201, prop(0x44, true));
    s.set_prop(8202, prop(0x20, false));
    uint8_t before = 0, one = 0, two = 0, three = 0;
    s.run([&](Tester& t) {
        before = s.rd.highest_pending_priority();
        s.enable(t);
        s.rd.set_pending(8200, t.tl);
        one = s.rd.highest_pending_priority();
        s.rd.set_pending(8201, t.tl);
        two = s.rd.highest_pending_priority();
        s.rd.set_pending(8202, t.tl);
        three = s.rd.highest_pending_priority();
        t.pause(sc_time(1, sc_core::SC_US));
    });
    EXPECT_EQ(before, cpu_prio::kNone);
    EXPECT_EQ(one, 0xA0);
    EXPECT_EQ(two, 0x44);
    EXPECT_EQ(three, 0x44);   // 8202 is disabled
    EXPECT_TRUE(s.acks.empty());
    EXPECT_EQ(s.rd.stats().acks + s.rd.stats().spurious_acks, 0u);   // IAR never read
    EXPECT_EQ(s.rd.lpis().pending_count(), 3u);
    EXPECT_TRUE(s.irq.read());   // the line says "pending", masked or not
    EXPECT_FALSE(s.cpu.busy());
}

// PMR 0x80: 0x40 is taken at its time, 0xA0 raises the line but stays
// pending, never acknowledged.
TEST(CpuPriorityRedist, AMaskedLpiStaysPendingAtTheRedistributor) {
    PrioSystem s(prio_cpu(0x80, false));
    s.set_prop(8200, prop(0xA0, true));
    s.set_prop(8201, prop(0x40, true));
    sc_time t0;
    s.run([&](Tester& t) {
        s.enable(t);
        t.settle();
        t0 = sc_core::sc_time_stamp();
        s.rd.set_pending(8201, t.tl);
        t.pause(sc_time(1, sc_core::SC_US));
        s.rd.set_pending(8200, t.tl);
        t.pause(sc_time(1, sc_core::SC_US));
    });
    ASSERT_EQ(s.acks.size(), 1u);
    EXPECT_EQ(s.acks[0].intid, 8201u);
    EXPECT_EQ(s.acks[0].t_ps, ps(t0 + kMissSet + kSignal + kAck));
    EXPECT_TRUE(s.rd.lpis().is_pending(8200));
    EXPECT_EQ(s.rd.stats().acks, 1u);
    EXPECT_EQ(s.rd.stats().spurious_acks, 0u);
    EXPECT_EQ(s.cpu.stats().masked, 0u);   // never even tried: masked at the rise
}

// cpu.preempt = 1: B (0x40) made pending while A (0xA0) is handled (the
// line low: A was the only one) raises the line, A stops there and ends
// its remaining time after B's EOI. Both timing modes.
void preempt_case(TimingMode mode, bool preempt) {
    PrioSystem s(prio_cpu(0xFF, preempt), mode);
    s.set_prop(8200, prop(0xA0, true));
    s.set_prop(8201, prop(0x40, true));
    const sc_time into(10, SC_NS);
    sc_time t0, t1;
    s.run([&](Tester& t) {
        s.enable(t);
        t.settle();
        t0 = sc_core::sc_time_stamp();
        s.rd.set_pending(8200, t.tl);   // returns at its stamp
        t.pause(kSignal + kAck + into);
        t1 = sc_core::sc_time_stamp();
        s.rd.set_pending(8201, t.tl);
        t.pause(sc_time(1, sc_core::SC_US));
    });
    ASSERT_EQ(s.acks.size(), 2u);
    const sc_time ack_a = t0 + kMissSet + kSignal + kAck;
    EXPECT_EQ(t1, ack_a + into);
    const sc_time rise_b = t1 + kMissSet + kSignal;
    const AckRecord& a = *s.ack(8200);
    const AckRecord& b = *s.ack(8201);
    EXPECT_EQ(a.t_ps, ps(ack_a));
    EXPECT_EQ(b.signalled_ps, ps(rise_b));
    EXPECT_EQ(b.priority, 0x40);
    if (preempt) {
        ASSERT_LT(rise_b, ack_a + kHandler);   // B arrives during A's handler
        EXPECT_EQ(s.acks[0].intid, 8201u);
        EXPECT_EQ(b.t_ps, ps(rise_b + kAck));
        EXPECT_EQ(b.eoi_ps, ps(rise_b + kAck + kHandler));
        EXPECT_EQ(a.eoi_ps, ps(rise_b + kAck + kHandler + (ack_a + kHandler - rise_b)));
        EXPECT_EQ(a.preempted_ps, ps(kAck + kHandler));
        EXPECT_EQ(s.cpu.stats().preemptions, 1u);
    } else {
        EXPECT_EQ(s.acks[0].intid, 8200u);
        EXPECT_EQ(a.eoi_ps, ps(ack_a + kHandler));
        EXPECT_EQ(b.t_ps, ps(ack_a + kHandler + kAck));
        EXPECT_EQ(s.cpu.stats().preemptions, 0u);
    }
    EXPECT_EQ(s.rd.stats().acks, 2u);
    EXPECT_FALSE(s.cpu.busy());
}

TEST(CpuPriorityRedist, AHigherLpiPreemptsTheHandler) { preempt_case(TimingMode::accurate, true); }
TEST(CpuPriorityRedist, AHigherLpiPreemptsTheHandlerFast) { preempt_case(TimingMode::fast, true); }
TEST(CpuPriorityRedist, WithoutPreemptionItWaitsForTheEoi) { preempt_case(TimingMode::accurate, false); }
