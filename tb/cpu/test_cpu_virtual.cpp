// The CPU interface's virtual side (GICv4) against a scripted
// redistributor (cpu_prio_fake.h): vLPIs/vSGIs of the resident vPE taken
// through ICV_IAR1 after cpu.vack_latency, handled for cpu.vhandler_latency,
// reported as VackRecords; physical and virtual interrupts share one
// priority space (the higher goes first, a tie to the physical one, either
// preempts the other with cpu.preempt = 1); cpu.pmr masks both.
#include <gtest/gtest.h>

#include "cpu_prio_fake.h"

using namespace itsim;
using namespace itsim::cputest;

TEST(CpuVirtual, AVlpiIsTakenWithTheVirtualLatencies) {
    PrioBench b(PrioBench::config());
    b.rd.script = [](PrioRd& rd) {
        sc_core::wait(T);
        rd.vraise(3, 8200, 0xA0);
    };
    sc_core::sc_start();
    ASSERT_EQ(b.vacks.size(), 1u);
    EXPECT_TRUE(b.acks.empty());
    const VackRecord& v = b.vacks[0];
    EXPECT_EQ(v.cpu, 5u);
    EXPECT_EQ(v.vpeid, 3u);
    EXPECT_EQ(v.vintid, 8200u);
    EXPECT_EQ(v.priority, 0xA0);
    EXPECT_EQ(v.signalled_ps, ps(T));
    EXPECT_EQ(v.t_ps, ps(T + kVAck));
    EXPECT_EQ(v.eoi_ps, ps(T + kVAck + kVHandler));
    EXPECT_EQ(v.preempted_ps, 0u);
    ASSERT_EQ(b.rd.eois.size(), 1u);
    EXPECT_TRUE(b.rd.eois[0].virt);
    EXPECT_EQ(b.rd.eois[0].t_ps, ps(T + kVAck + kVHandler));
    EXPECT_EQ(b.cpu.stats().vacks, 1u);
    EXPECT_EQ(b.cpu.stats().veois, 1u);
    EXPECT_EQ(b.cpu.stats().acks, 0u);
    EXPECT_EQ(b.cpu.vacks(3, 8200), 1u);
    EXPECT_EQ(b.cpu.vacks(2, 8200), 0u);
    EXPECT_FALSE(b.cpu.busy());
}

// A vSGI (vINTID 0..15) goes the same way; back to back while the virtual
// line stays high, in priority order.
TEST(CpuVirtual, VirtualInterruptsGoInPriorityOrderWhileTheLineStaysHigh) {
    PrioBench b(PrioBench::config());
    b.rd.script = [](PrioRd& rd) {
        sc_core::wait(T);
        rd.vraise(1, 8300, 0xC0);
        rd.vraise(1, 5, 0x40);   // a vSGI, Priority[7:4] = 4
    };
    sc_core::sc_start();
    ASSERT_EQ(b.vacks.size(), 2u);
    EXPECT_EQ(b.vacks[0].vintid, 5u);
    EXPECT_EQ(b.vacks[0].t_ps, ps(T + kVAck));
    EXPECT_EQ(b.vacks[1].vintid, 8300u);
    EXPECT_EQ(b.vacks[1].t_ps, ps(T + kVAck + kVHandler + kVAck));
    EXPECT_EQ(b.vacks[1].signalled_ps, ps(T));
}

// Both lines high at once with equal priority: the physical one first
// (its latencies), then the virtual one.
TEST(CpuVirtual, ATieGoesToThePhysicalInterrupt) {
    PrioBench b(PrioBench::config());
    b.rd.script = [](PrioRd& rd) {
        sc_core::wait(T);
        rd.vraise(2, 8200, 0x80);
        rd.raise(9000, 0x80);
    };
    sc_core::sc_start();
    ASSERT_EQ(b.order.size(), 2u);
    EXPECT_EQ(b.order[0], std::make_pair(false, 9000u));
    EXPECT_EQ(b.order[1], std::make_pair(true, 8200u));
    EXPECT_EQ(b.acks[0].t_ps, ps(T + kAck));
    EXPECT_EQ(b.vacks[0].t_ps, ps(T + kAck + kHandler + kVAck));
}

TEST(CpuVirtual, AHigherVirtualPriorityGoesFirst) {
    PrioBench b(PrioBench::config());
    b.rd.script = [](PrioRd& rd) {
        sc_core::wait(T);
        rd.raise(9000, 0xA0);
        rd.vraise(2, 8200, 0x40);
    };
    sc_core::sc_start();
    ASSERT_EQ(b.order.size(), 2u);
    EXPECT_EQ(b.order[0], std::make_pair(true, 8200u));
    EXPECT_EQ(b.vacks[0].t_ps, ps(T + kVAck));
    EXPECT_EQ(b.acks[0].t_ps, ps(T + kVAck + kVHandler + kAck));
}

// Without preemption a physical interrupt waits for the virtual handler.
TEST(CpuVirtual, WithoutPreemptionAPhysicalOneWaitsForTheVirtualHandler) {
    PrioBench b(PrioBench::config());
    b.rd.script = [](PrioRd& rd) {
        sc_core::wait(T);
        rd.vraise(2, 8200, 0xA0);
        sc_core::wait(kVAck + sc_time(10, SC_NS));
        rd.raise(9000, 0x00);
    };
    sc_core::sc_start();
    ASSERT_EQ(b.order.size(), 2u);
    EXPECT_EQ(b.order[0], std::make_pair(true, 8200u));
    EXPECT_EQ(b.acks[0].t_ps, ps(T + kVAck + kVHandler + kAck));
}

// One priority space: a physical LPI of higher priority preempts a virtual
// handler (acknowledged after the physical latency), which resumes.
TEST(CpuVirtual, APhysicalInterruptPreemptsAVirtualHandler) {
    PrioBench b(PrioBench::config(0xFF, true));
    const sc_time into(25, SC_NS);
    b.rd.script = [&](PrioRd& rd) {
        sc_core::wait(T);
        rd.vraise(2, 8200, 0xA0);
        sc_core::wait(kVAck + into);
        rd.raise(9000, 0x40);
    };
    sc_core::sc_start();
    ASSERT_EQ(b.order.size(), 2u);
    const sc_time s = T + kVAck + into;
    EXPECT_EQ(b.order[0], std::make_pair(false, 9000u));
    EXPECT_EQ(b.acks[0].t_ps, ps(s + kAck));
    EXPECT_EQ(b.acks[0].eoi_ps, ps(s + kAck + kHandler));
    EXPECT_EQ(b.vacks[0].eoi_ps, ps(s + kAck + kHandler + (kVHandler - into)));
    EXPECT_EQ(b.vacks[0].preempted_ps, ps(kAck + kHandler));
    EXPECT_EQ(b.cpu.stats().preemptions, 1u);
}

// ... and the other way round, with the virtual latencies.
TEST(CpuVirtual, AVirtualInterruptPreemptsALowerPhysicalHandler) {
    PrioBench b(PrioBench::config(0xFF, true));
    const sc_time into(15, SC_NS);
    b.rd.script = [&](PrioRd& rd) {
        sc_core::wait(T);
        rd.raise(9000, 0xC0);
        sc_core::wait(kAck + into);
        rd.vraise(4, 8200, 0x80);
    };
    sc_core::sc_start();
    ASSERT_EQ(b.order.size(), 2u);
    const sc_time s = T + kAck + into;
    EXPECT_EQ(b.order[0], std::make_pair(true, 8200u));
    EXPECT_EQ(b.vacks[0].t_ps, ps(s + kVAck));
    EXPECT_EQ(b.vacks[0].eoi_ps, ps(s + kVAck + kVHandler));
    EXPECT_EQ(b.acks[0].eoi_ps, ps(s + kVAck + kVHandler + (kHandler - into)));
    EXPECT_EQ(b.acks[0].preempted_ps, ps(kVAck + kVHandler));
}

// A lower-priority virtual interrupt does not preempt a physical handler;
// it is taken at the EOI.
TEST(CpuVirtual, ALowerVirtualPriorityWaits) {
    PrioBench b(PrioBench::config(0xFF, true));
    b.rd.script = [&](PrioRd& rd) {
        sc_core::wait(T);
        rd.raise(9000, 0x40);
        sc_core::wait(kAck + sc_time(5, SC_NS));
        rd.vraise(4, 8200, 0x80);
    };
    sc_core::sc_start();
    ASSERT_EQ(b.order.size(), 2u);
    EXPECT_EQ(b.order[0], std::make_pair(false, 9000u));
    EXPECT_EQ(b.vacks[0].t_ps, ps(T + kAck + kHandler + kVAck));
    EXPECT_EQ(b.cpu.stats().preemptions, 0u);
}

// cpu.pmr masks virtual interrupts too (one priority space): a masked vLPI
// stays pending; one above the mask arriving while the virtual line is high
// (priority_rose) is taken.
TEST(CpuVirtual, TheMaskAppliesToVirtualInterrupts) {
    PrioBench b(PrioBench::config(0x80));
    b.rd.script = [&](PrioRd& rd) {
        sc_core::wait(T);
        rd.vraise(1, 8200, 0x80);
        sc_core::wait(T);
        rd.vraise(1, 8201, 0x7C);
    };
    sc_core::sc_start();
    ASSERT_EQ(b.vacks.size(), 1u);
    EXPECT_EQ(b.vacks[0].vintid, 8201u);
    EXPECT_EQ(b.vacks[0].t_ps, ps(T + T + kVAck));
    ASSERT_EQ(b.rd.virt.size(), 1u);
    EXPECT_EQ(b.rd.virt[0].id, 8200u);
    EXPECT_EQ(b.rd.vack_times.size(), 1u);
}

// A vLPI gone before ICV_IAR1 is read (the vPE descheduled, say): the read
// is spurious (counted on the virtual side) and the core goes idle.
TEST(CpuVirtual, ASpuriousVirtualAcknowledgeIsCounted) {
    PrioBench b(PrioBench::config());
    b.rd.script = [&](PrioRd& rd) {
        sc_core::wait(T);
        rd.vraise(1, 8200, 0x80);
        sc_core::wait(kVAck / 2);
        rd.virt.clear();
        rd.vlevel = false;
    };
    sc_core::sc_start();
    EXPECT_TRUE(b.vacks.empty());
    EXPECT_EQ(b.cpu.stats().vspurious, 1u);
    EXPECT_EQ(b.cpu.stats().spurious, 0u);
    EXPECT_FALSE(b.cpu.busy());
}

// The default RedistCpuIf has no virtual side: nothing virtual happens.
TEST(CpuVirtual, TheInterfaceDefaultsHaveNoVirtualSide) {
    struct Plain : RedistCpuIf {
        uint32_t acknowledge(Timeline&) override { return 1023; }
        uint64_t last_ack_signalled_ps() const override { return 0; }
        void end_of_interrupt(uint32_t) override {}
        uint32_t processor_number() const override { return 0; }
    } p;
    Timeline tl(TimingMode::accurate);
    EXPECT_FALSE(p.vline_level());
    EXPECT_EQ(p.acknowledge_virtual(tl), 1023u);
    EXPECT_EQ(p.highest_pending_vpriority(), cpu_prio::kNone);
    EXPECT_EQ(p.highest_pending_priority(), cpu_prio::kNone);
    EXPECT_FALSE(p.vack_again());
}
