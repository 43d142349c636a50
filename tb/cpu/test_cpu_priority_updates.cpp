// The Redistributor's priority updates (CpuLink::priority_rose, from
// redist_cpu_side.cpp) for a CPU that masks or preempts: while the line
// stays high for one LPI, a higher one arriving reaches the CPU a signal
// latency after its update, as a rise would. Parameters: tb/redist/redist_system.h.
// (redistributor.cpp: update_irq -> note_priority_change while the line
// stays high; tick -> deliver_priority_change after the line is driven.)
#include "redist/redist_system.h"

namespace {

// redist_system.h's System with the CPU's configuration first.
struct UpdSystem : System {
    explicit UpdSystem(const CpuInterfaceConfig& cc) : System(rd_config(), TimingMode::accurate, cc) {}
};

CpuInterfaceConfig cpu_with(uint8_t pmr, bool preempt) {
    CpuInterfaceConfig c = cpu_config();
    c.pmr = pmr;
    c.preempt = preempt;
    return c;
}

const sc_time kMissSet = kLookup + kRead1 + kUpdate;

}  // namespace

// PMR 0x80: 0xA0 holds the line high, masked; 0x40 arriving later is taken
// a signal latency after its update plus the acknowledge latency.
TEST(CpuPriorityUpdates, AnUnmaskedLpiBehindAMaskedOneIsTaken) {
    UpdSystem s(cpu_with(0x80, false));
    s.set_prop(8200, prop(0xA0, true));
    s.set_prop(8201, prop(0x40, true));
    sc_time t1;
    s.run([&](Tester& t) {
        s.enable(t);
        s.rd.set_pending(8200, t.tl);
        t.pause(sc_time(1, sc_core::SC_US));
        t1 = sc_core::sc_time_stamp();
        s.rd.set_pending(8201, t.tl);
        t.pause(sc_time(1, sc_core::SC_US));
    });
    ASSERT_EQ(s.acks.size(), 1u);
    EXPECT_EQ(s.acks[0].intid, 8201u);
    EXPECT_EQ(s.acks[0].t_ps, ps(t1 + kMissSet + kSignal + kAck));
    EXPECT_EQ(s.rd.stats().irq_rises, 1u);   // the line never fell
    EXPECT_TRUE(s.rd.lpis().is_pending(8200));
}

// cpu.preempt = 1, a 300 ns handler: A (0xA0), C (0xC0) and B (0x40) made
// pending back to back, each on a configuration miss. A is taken alone (C
// is not pending yet at A's acknowledge), C raises the line during A's
// handler and cannot preempt it; B, arriving while the line stays high for
// C, preempts A without a rise; after B's EOI A resumes (C still cannot
// preempt it), then C is taken.
TEST(CpuPriorityUpdates, PreemptionWhileTheLineStaysHigh) {
    CpuInterfaceConfig c = cpu_with(0xFF, true);
    const sc_time handler(300, SC_NS);
    c.handler_latency = handler;
    UpdSystem s(c);
    s.set_prop(8200, prop(0xA0, true));
    s.set_prop(8201, prop(0x40, true));
    s.set_prop(8202, prop(0xC0, true));
    sc_time t0;
    s.run([&](Tester& t) {
        s.enable(t);
        t.settle();
        t0 = sc_core::sc_time_stamp();
        s.rd.set_pending(8200, t.tl);   // A
        s.rd.set_pending(8202, t.tl);   // C
        s.rd.set_pending(8201, t.tl);   // B
        t.pause(sc_time(2, sc_core::SC_US));
    });
    ASSERT_EQ(s.acks.size(), 3u);
    const sc_time ack_a = t0 + kMissSet + kSignal + kAck;
    const sc_time stamp_c = t0 + 2 * kMissSet, stamp_b = t0 + 3 * kMissSet;
    ASSERT_GT(stamp_c, ack_a);                  // A was alone at its acknowledge
    const sc_time s_b = stamp_b + kSignal;      // B reaches the CPU
    ASSERT_LT(s_b, ack_a + handler);            // during A's handler
    EXPECT_EQ(s.acks[0].intid, 8201u);
    EXPECT_EQ(s.acks[0].t_ps, ps(s_b + kAck));
    const sc_time a_end = s_b + kAck + handler + (ack_a + handler - s_b);
    EXPECT_EQ(s.acks[1].intid, 8200u);
    EXPECT_EQ(s.acks[1].eoi_ps, ps(a_end));
    EXPECT_EQ(s.acks[2].intid, 8202u);
    EXPECT_EQ(s.acks[2].signalled_ps, ps(stamp_c + kSignal));
    EXPECT_EQ(s.acks[2].t_ps, ps(a_end + kAck));
    EXPECT_EQ(s.cpu.stats().preemptions, 1u);
}

// The defaults ask for nothing: the same activations as without priorities
// (the rise, the acknowledge, the EOI per LPI taken alone).
TEST(CpuPriorityUpdates, TheDefaultsCostNoActivation) {
    UpdSystem s(cpu_config());
    s.set_prop(8200, prop(0xA0, true));
    s.set_prop(8201, prop(0x40, true));
    s.run([&](Tester& t) {
        s.enable(t);
        s.rd.set_pending(8200, t.tl);
        t.pause(kSignal + kAck + sc_time(10, SC_NS));   // A taken, the line low
        s.rd.set_pending(8201, t.tl);
        t.pause(sc_time(1, sc_core::SC_US));
    });
    ASSERT_EQ(s.acks.size(), 2u);
    // Three per LPI: A's rise, acknowledge and EOI; B's rise (during A's
    // handler), acknowledge (kAck after A's EOI) and EOI. Nothing else.
    EXPECT_EQ(s.rd.stats().activations, 6u);
    EXPECT_FALSE(s.cpu.wants_priority_updates());
}
