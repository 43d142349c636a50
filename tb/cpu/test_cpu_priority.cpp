// CpuInterface priorities against a scripted redistributor (cpu_prio_fake.h):
// the priority mask (cpu.pmr: strictly below), the running priority,
// preemption (cpu.preempt) with the group priority (cpu.bpr), and the
// times of interrupted handlers: a handler stopped at s with r left to run
// ends r after the EOI of the one that interrupted it, which itself was
// acknowledged ack_latency after s and ran handler_latency.
#include <gtest/gtest.h>

#include "cpu_prio_fake.h"

using namespace itsim;
using namespace itsim::cputest;

TEST(CpuPriorityConfig, DefaultsMaskNothingAndNeverPreempt) {
    const CpuInterfaceConfig c;
    EXPECT_EQ(c.pmr, 0xFF);
    EXPECT_FALSE(c.preempt);
    EXPECT_EQ(c.bpr, 0u);
    EXPECT_EQ(c.vack_latency, c.ack_latency);
    EXPECT_EQ(c.vhandler_latency, c.handler_latency);
    EXPECT_EQ(c.get("pmr"), "0xFF");
    EXPECT_EQ(c.get("preempt"), "0");
    CpuInterfaceConfig d;
    std::string e;
    EXPECT_TRUE(d.set("pmr", "0xa0", &e)) << e;
    EXPECT_EQ(d.pmr, 0xA0);
    EXPECT_FALSE(d.set("pmr", "256", &e));
    EXPECT_FALSE(d.set("bpr", "8", &e));
    EXPECT_TRUE(d.set("preempt", "1", &e)) << e;
    EXPECT_TRUE(d.preempt);
    EXPECT_TRUE(d.set("vack_latency", "45ns", &e)) << e;
    EXPECT_EQ(d.vack_latency, sc_time(45, SC_NS));
}

TEST(CpuPriorityConfig, ABinaryPointPastSevenIsRefused) {
    CpuInterfaceConfig c;
    c.bpr = 8;
    EXPECT_THROW(CpuInterface("cpu", c), std::invalid_argument);
}

TEST(CpuPriority, TheDefaultsAskForNoPriorityUpdates) {
    // Not simulated: the ports stay unbound.
    EXPECT_FALSE(CpuInterface("a", PrioBench::config()).wants_priority_updates());
    EXPECT_FALSE(CpuInterface("b", PrioBench::config(0xFD)).wants_priority_updates());   // masks no LPI
    EXPECT_TRUE(CpuInterface("c", PrioBench::config(0xFC)).wants_priority_updates());
    EXPECT_TRUE(CpuInterface("d", PrioBench::config(0xFF, true)).wants_priority_updates());
}

// 0xFF masks only 0xFF: the lowest LPI priority, 0xFC, is taken.
TEST(CpuPriority, TheDefaultMaskTakesTheLowestLpiPriority) {
    PrioBench b(PrioBench::config());
    b.rd.script = [](PrioRd& rd) {
        sc_core::wait(T);
        rd.raise(9000, 0xFC);
    };
    sc_core::sc_start();
    ASSERT_EQ(b.acks.size(), 1u);
    EXPECT_EQ(b.acks[0].t_ps, ps(T + kAck));
    EXPECT_EQ(b.acks[0].priority, 0xFC);
}

// PMR = 0xFC masks priority 0xFC (strictly below the mask is taken).
TEST(CpuPriority, AMaskEqualToThePriorityMasksIt) {
    PrioBench b(PrioBench::config(0xFC));
    b.rd.script = [](PrioRd& rd) {
        sc_core::wait(T);
        rd.raise(9000, 0xFC);
    };
    sc_core::sc_start();
    EXPECT_TRUE(b.acks.empty());
    EXPECT_TRUE(b.rd.ack_times.empty());   // never even read ICC_IAR1
    ASSERT_EQ(b.rd.phys.size(), 1u);       // still pending
    EXPECT_FALSE(b.cpu.busy());
}

// A masked LPI stays pending; one above the mask arriving while the line is
// high (priority_rose) is taken; the masked one never is.
TEST(CpuPriority, AMaskedLpiStaysPendingWhileAHigherOneIsTaken) {
    PrioBench b(PrioBench::config(0xA0));
    b.rd.script = [](PrioRd& rd) {
        sc_core::wait(T);
        rd.raise(9000, 0xA0);   // masked
        sc_core::wait(T);
        rd.raise(9001, 0x9C);   // passes
    };
    sc_core::sc_start();
    ASSERT_EQ(b.acks.size(), 1u);
    EXPECT_EQ(b.acks[0].intid, 9001u);
    EXPECT_EQ(b.acks[0].t_ps, ps(T + T + kAck));
    EXPECT_EQ(b.acks[0].eoi_ps, ps(T + T + kAck + kHandler));
    EXPECT_EQ(b.rd.priority_rises, 1u);
    ASSERT_EQ(b.rd.phys.size(), 1u);
    EXPECT_EQ(b.rd.phys[0].id, 9000u);
    EXPECT_EQ(b.rd.ack_times.size(), 1u);   // not re-read after the EOI: 0xA0 is masked
}

// A preempting LPI arriving while the line is low (after the first one's
// acknowledge): the first handler stops at the rise and ends its remaining
// time after the second's EOI. Both drive modes.
struct CpuPreemptTest : ::testing::TestWithParam<bool> {};
INSTANTIATE_TEST_SUITE_P(Drive, CpuPreemptTest, ::testing::Values(false, true),
                         [](const ::testing::TestParamInfo<bool>& i) { return i.param ? "direct" : "line"; });

TEST_P(CpuPreemptTest, AHigherPriorityInterruptsTheHandlerWhichResumes) {
    PrioBench b(PrioBench::config(0xFF, true), GetParam());
    const sc_time into(20, SC_NS);
    b.rd.script = [&](PrioRd& rd) {
        sc_core::wait(T);
        rd.raise(9000, 0xA0);
        sc_core::wait(kAck + into);
        rd.raise(9001, 0x40);
    };
    sc_core::sc_start();
    ASSERT_EQ(b.acks.size(), 2u);
    const sc_time s = T + kAck + into;   // A stops here with kHandler - into left
    const AckRecord& a = *b.ack(9000);
    const AckRecord& c = *b.ack(9001);
    EXPECT_EQ(b.acks[0].intid, 9001u);   // EOI order: the preempting one first
    EXPECT_EQ(c.t_ps, ps(s + kAck));
    EXPECT_EQ(c.eoi_ps, ps(s + kAck + kHandler));
    EXPECT_EQ(c.preempted_ps, 0u);
    EXPECT_EQ(a.t_ps, ps(T + kAck));
    EXPECT_EQ(a.eoi_ps, ps(s + kAck + kHandler + (kHandler - into)));
    EXPECT_EQ(a.preempted_ps, ps(kAck + kHandler));
    EXPECT_EQ(a.eoi_ps - a.t_ps, ps(kHandler) + a.preempted_ps);
    EXPECT_EQ(b.cpu.stats().preemptions, 1u);
    EXPECT_EQ(b.cpu.stats().max_depth, 2u);
    EXPECT_FALSE(b.cpu.busy());
}

// The preempting acknowledge comes after the interrupted handler's end
// would have: that end must not fire (one wake-up at a time).
TEST_P(CpuPreemptTest, APreemptionJustBeforeTheEndDelaysIt) {
    PrioBench b(PrioBench::config(0xFF, true), GetParam());
    const sc_time left(10, SC_NS);   // < kAck
    b.rd.script = [&](PrioRd& rd) {
        sc_core::wait(T);
        rd.raise(9000, 0xA0);
        sc_core::wait(kAck + kHandler - left);
        rd.raise(9001, 0x40);
    };
    sc_core::sc_start();
    ASSERT_EQ(b.acks.size(), 2u);
    const sc_time s = T + kAck + kHandler - left;
    EXPECT_EQ(b.ack(9001)->t_ps, ps(s + kAck));
    EXPECT_EQ(b.ack(9000)->eoi_ps, ps(s + kAck + kHandler + left));
    ASSERT_EQ(b.rd.eois.size(), 2u);
    EXPECT_EQ(b.rd.eois[0].id, 9001u);
}

// Arriving at the very instant the handler ends, the rise handled before
// the CPU's wake-up of that instant (raise_at: as a redistributor's method
// drives the line before it wakes the CPU): no preemption with nothing
// left to run - the EOI first, then the acknowledge.
TEST(CpuPriority, AnInterruptAtTheHandlersEndDoesNotDelayItsEoi) {
    PrioBench b(PrioBench::config(0xFF, true));
    b.rd.script = [&](PrioRd& rd) {
        sc_core::wait(T);
        rd.raise(9000, 0xA0);
        rd.raise_at(T + kAck + kHandler, 9001, 0x40);
    };
    sc_core::sc_start();
    ASSERT_EQ(b.acks.size(), 2u);
    EXPECT_EQ(b.acks[0].intid, 9000u);
    EXPECT_EQ(b.acks[0].eoi_ps, ps(T + kAck + kHandler));
    EXPECT_EQ(b.acks[0].preempted_ps, 0u);
    EXPECT_EQ(b.acks[1].signalled_ps, ps(T + kAck + kHandler));
    EXPECT_EQ(b.acks[1].t_ps, ps(T + kAck + kHandler + kAck));
    EXPECT_EQ(b.cpu.stats().preemptions, 0u);
}

TEST_P(CpuPreemptTest, WithoutPreemptionTheHigherOneWaitsForTheEoi) {
    PrioBench b(PrioBench::config(), GetParam());
    b.rd.script = [&](PrioRd& rd) {
        sc_core::wait(T);
        rd.raise(9000, 0xA0);
        sc_core::wait(kAck + sc_time(20, SC_NS));
        rd.raise(9001, 0x40);
    };
    sc_core::sc_start();
    ASSERT_EQ(b.acks.size(), 2u);
    EXPECT_EQ(b.acks[0].intid, 9000u);
    EXPECT_EQ(b.acks[0].eoi_ps, ps(T + kAck + kHandler));
    EXPECT_EQ(b.acks[1].t_ps, ps(T + kAck + kHandler + kAck));
    EXPECT_EQ(b.cpu.stats().preemptions, 0u);
}

// Equal and lower priorities never preempt; after the EOI the pending ones
// go in priority order.
TEST(CpuPriority, EqualOrLowerPriorityWaits) {
    PrioBench b(PrioBench::config(0xFF, true));
    b.rd.script = [&](PrioRd& rd) {
        sc_core::wait(T);
        rd.raise(9000, 0x80);
        sc_core::wait(kAck + sc_time(10, SC_NS));
        rd.raise(9002, 0xC0);   // line low: a rise, lower priority
        sc_core::wait(sc_time(10, SC_NS));
        rd.raise(9001, 0x80);   // line high, beats 0xC0: priority_rose, equal priority
    };
    sc_core::sc_start();
    ASSERT_EQ(b.acks.size(), 3u);
    EXPECT_EQ(b.acks[0].intid, 9000u);
    EXPECT_EQ(b.acks[0].eoi_ps, ps(T + kAck + kHandler));
    EXPECT_EQ(b.acks[1].intid, 9001u);
    EXPECT_EQ(b.acks[1].t_ps, ps(T + kAck + kHandler + kAck));
    EXPECT_EQ(b.acks[2].intid, 9002u);
    EXPECT_EQ(b.cpu.stats().preemptions, 0u);
    EXPECT_EQ(b.rd.priority_rises, 1u);
}

// The line stays high for a lower-priority LPI; a higher one arriving then
// (priority_rose, no rise) preempts; at its EOI the interrupted handler
// resumes before the lower one pending is taken.
TEST(CpuPriority, PreemptionWhileTheLineStaysHigh) {
    PrioBench b(PrioBench::config(0xFF, true));
    const sc_time into(30, SC_NS);
    b.rd.script = [&](PrioRd& rd) {
        sc_core::wait(T);
        rd.raise(9000, 0xA0);
        rd.raise(9002, 0xC0);
        sc_core::wait(kAck + into);
        rd.raise(9001, 0x40);
    };
    sc_core::sc_start();
    ASSERT_EQ(b.acks.size(), 3u);
    const sc_time s = T + kAck + into;
    EXPECT_EQ(b.rd.priority_rises, 1u);
    EXPECT_EQ(b.acks[0].intid, 9001u);
    EXPECT_EQ(b.acks[0].t_ps, ps(s + kAck));
    const sc_time a_end = s + kAck + kHandler + (kHandler - into);
    EXPECT_EQ(b.acks[1].intid, 9000u);
    EXPECT_EQ(b.acks[1].eoi_ps, ps(a_end));
    EXPECT_EQ(b.acks[2].intid, 9002u);
    EXPECT_EQ(b.acks[2].t_ps, ps(a_end + kAck));
}

// Three levels, each arriving while the previous handler runs.
TEST(CpuPriority, NestedPreemptionsUnwindInOrder) {
    PrioBench b(PrioBench::config(0xFF, true));
    const sc_time d(10, SC_NS);
    b.rd.script = [&](PrioRd& rd) {
        sc_core::wait(T);
        rd.raise(9000, 0xC0);
        sc_core::wait(kAck + d);
        rd.raise(9001, 0x80);
        sc_core::wait(kAck + d);
        rd.raise(9002, 0x40);
    };
    sc_core::sc_start();
    ASSERT_EQ(b.acks.size(), 3u);
    const sc_time s1 = T + kAck + d, s2 = s1 + kAck + d;
    EXPECT_EQ(b.acks[0].intid, 9002u);
    EXPECT_EQ(b.acks[0].eoi_ps, ps(s2 + kAck + kHandler));
    EXPECT_EQ(b.acks[1].intid, 9001u);
    EXPECT_EQ(b.acks[1].eoi_ps, ps(s2 + kAck + kHandler + (kHandler - d)));
    EXPECT_EQ(b.acks[2].intid, 9000u);
    EXPECT_EQ(b.acks[2].eoi_ps, ps(s2 + kAck + kHandler + (kHandler - d) + (kHandler - d)));
    // A stopped at s1 until B's EOI: s2 + kAck + kHandler + (kHandler - d), s2 = s1 + kAck + d.
    EXPECT_EQ(b.acks[2].preempted_ps, ps(kAck + kHandler + kAck + kHandler));
    EXPECT_EQ(b.cpu.stats().max_depth, 3u);
    EXPECT_EQ(b.cpu.stats().preemptions, 2u);
}

// bpr = 7: only bit 7 is group priority, so 0x20 (group 0) does not
// preempt 0x40 (group 0) and waits for its EOI.
TEST(CpuPriority, ABinaryPointOfSevenKeepsOneGroupBelow0x80) {
    PrioBench b(PrioBench::config(0xFF, true, 7));
    b.rd.script = [&](PrioRd& rd) {
        sc_core::wait(T);
        rd.raise(9000, 0x40);
        sc_core::wait(kAck + sc_time(10, SC_NS));
        rd.raise(9001, 0x20);
    };
    sc_core::sc_start();
    ASSERT_EQ(b.acks.size(), 2u);
    EXPECT_EQ(b.cpu.stats().preemptions, 0u);
    EXPECT_EQ(b.acks[0].intid, 9000u);
    EXPECT_EQ(b.acks[1].intid, 9001u);
    EXPECT_EQ(b.acks[1].t_ps, ps(T + kAck + kHandler + kAck));
}

// bpr = 5: 0x20 >> 5 = 1 beats 0x40 >> 5 = 2: it preempts.
TEST(CpuPriority, ABinaryPointOfFiveLetsTheHigherGroupPreempt) {
    PrioBench b(PrioBench::config(0xFF, true, 5));
    b.rd.script = [&](PrioRd& rd) {
        sc_core::wait(T);
        rd.raise(9000, 0x40);
        sc_core::wait(kAck + sc_time(10, SC_NS));
        rd.raise(9001, 0x20);
    };
    sc_core::sc_start();
    ASSERT_EQ(b.acks.size(), 2u);
    EXPECT_EQ(b.cpu.stats().preemptions, 1u);
    EXPECT_EQ(b.acks[0].intid, 9001u);
    EXPECT_EQ(b.acks[0].t_ps, ps(T + kAck + sc_time(10, SC_NS) + kAck));
}

// The preempting LPI is cleared before the acknowledge: the read is
// spurious and the interrupted handler resumes at once, having lost the
// acknowledge latency.
TEST(CpuPriority, ASpuriousPreemptionResumesTheHandler) {
    PrioBench b(PrioBench::config(0xFF, true));
    const sc_time into(10, SC_NS);
    b.rd.script = [&](PrioRd& rd) {
        sc_core::wait(T);
        rd.raise(9000, 0xA0);
        sc_core::wait(kAck + into);
        rd.raise(9001, 0x40);
        sc_core::wait(kAck / 2);
        rd.clear(9001);
    };
    sc_core::sc_start();
    ASSERT_EQ(b.acks.size(), 1u);
    EXPECT_EQ(b.cpu.stats().spurious, 1u);
    EXPECT_EQ(b.cpu.stats().masked, 0u);   // nothing pending: not a masked one
    EXPECT_TRUE(b.rd.ack_times.size() == 1u);   // ICC_HPPIR1 said none: IAR not read
    EXPECT_EQ(b.acks[0].preempted_ps, ps(kAck));
    EXPECT_EQ(b.acks[0].eoi_ps, ps(T + kAck + kHandler + kAck));
}

// A pending LPI that passes the mask at the rise but not at the
// acknowledge (here: a higher one was cleared and only a masked one is
// left) is not acknowledged: counted as spurious and masked.
TEST(CpuPriority, TheMaskIsCheckedAgainAtTheAcknowledge) {
    PrioBench b(PrioBench::config(0x80));
    b.rd.script = [&](PrioRd& rd) {
        sc_core::wait(T);
        rd.raise(9001, 0x40);
        rd.raise(9000, 0xA0);   // masked
        sc_core::wait(kAck / 2);
        rd.clear(9001);
    };
    sc_core::sc_start();
    EXPECT_TRUE(b.acks.empty());
    EXPECT_EQ(b.cpu.stats().spurious, 1u);
    EXPECT_EQ(b.cpu.stats().masked, 1u);
    EXPECT_TRUE(b.rd.ack_times.empty());
    ASSERT_EQ(b.rd.phys.size(), 1u);
    EXPECT_FALSE(b.cpu.busy());
}
