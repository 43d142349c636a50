// CpuInterface against a scripted redistributor: a queue of INTIDs in the
// order acknowledge() hands them out, and a line the test drives. Expected
// times follow from ack_latency and handler_latency. Every scenario runs
// twice: with a redistributor that only offers the line (the CPU interface
// watches it and keeps its own timer) and with one that drives the CPU
// directly (RedistCpuIf::attach_cpu: line_rose(), wake_cpu_at()/wake()).
// Both must give the same records and times.
#include <gtest/gtest.h>

#include <deque>
#include <functional>
#include <vector>

#include "itsim/cpu/cpu_interface.h"


using namespace itsim;
using sc_core::sc_time;
using sc_core::SC_NS;

namespace {

const sc_time kAck(30, SC_NS), kHandler(70, SC_NS);

uint64_t ps(const sc_time& t) { return uint64_t(t / sc_time(1, sc_core::SC_PS) + 0.5); }

struct FakeRd : sc_core::sc_module, RedistCpuIf {
    sc_core::sc_signal<bool, sc_core::SC_MANY_WRITERS> line{"line"};
    std::deque<uint32_t> queue;
    std::vector<std::pair<uint32_t, uint64_t>> eois;   // INTID, time (ps)
    std::vector<uint64_t> ack_times;                   // every acknowledge call (ps)
    uint64_t signalled = 0;
    bool drop_line_when_empty = true;
    std::function<void(FakeRd&)> script;
    // Direct drive: one event, one method, as the Redistributor does it.
    bool direct = false;
    CpuLink* cpu = nullptr;
    bool level = false, rise_due = false, wake_due = false;
    sc_time wake_at;
    sc_core::sc_event ev;
    unsigned ticks = 0;

    SC_HAS_PROCESS(FakeRd);
    explicit FakeRd(sc_core::sc_module_name n) : sc_module(n) {
        SC_THREAD(run);
        SC_METHOD(tick);
        sensitive << ev;
        dont_initialize();
    }
    void run() {
        if (script) script(*this);
    }
    void set_line(bool v) {
        if (v && !level && cpu) {
            rise_due = true;
            ev.notify(sc_core::SC_ZERO_TIME);
        }
        level = v;
        line.write(v);
    }
    void raise(uint32_t intid) {
        queue.push_back(intid);
        signalled = ps(sc_core::sc_time_stamp());
        set_line(true);
    }
    void tick() {
        ++ticks;
        if (rise_due) {
            rise_due = false;
            if (cpu) cpu->line_rose();
        }
        if (wake_due && sc_core::sc_time_stamp() >= wake_at) {
            wake_due = false;
            cpu->wake();
        }
        if (wake_due) ev.notify(wake_at - sc_core::sc_time_stamp());
    }

    bool attach_cpu(CpuLink* c) override {
        if (!direct) return false;
        cpu = c;
        return true;
    }
    void wake_cpu_at(const sc_time& t) override {
        wake_due = true;
        wake_at = t;
        ev.notify(t - sc_core::sc_time_stamp());
    }
    bool line_level() const override { return level; }

    uint32_t acknowledge(Timeline& tl) override {
        ack_times.push_back(ps(tl.now()));
        if (queue.empty()) return 1023;
        const uint32_t id = queue.front();
        queue.pop_front();
        if (queue.empty() && drop_line_when_empty) set_line(false);
        return id;
    }
    uint64_t last_ack_signalled_ps() const override { return signalled; }
    void end_of_interrupt(uint32_t intid) override {
        eois.emplace_back(intid, ps(sc_core::sc_time_stamp()));
    }
    uint32_t processor_number() const override { return 7; }
};

struct Bench {
    FakeRd rd{"rd"};
    CpuInterface cpu;
    std::vector<AckRecord> recs;
    explicit Bench(bool direct) : cpu("cpu", config()) {
        rd.direct = direct;
        cpu.irq(rd.line);
        cpu.rd(rd);
        cpu.on_ack = [this](const AckRecord& r) { recs.push_back(r); };
    }
    static CpuInterfaceConfig config() {
        CpuInterfaceConfig c;
        c.ack_latency = kAck;
        c.handler_latency = kHandler;
        return c;
    }
};

const sc_time T(100, SC_NS);

// The parameter: the redistributor drives the CPU directly.
struct CpuInterfaceTest : ::testing::TestWithParam<bool> {};

}  // namespace

INSTANTIATE_TEST_SUITE_P(Drive, CpuInterfaceTest, ::testing::Values(false, true),
                         [](const ::testing::TestParamInfo<bool>& i) { return i.param ? "direct" : "line"; });

TEST_P(CpuInterfaceTest, AcknowledgesAfterTheLatencyAndEndsAfterTheHandler) {
    Bench b(GetParam());
    EXPECT_EQ(b.cpu.directly_driven(), false);   // before elaboration ends
    b.rd.script = [&](FakeRd& rd) {
        sc_core::wait(T);
        rd.raise(9000);
    };
    sc_core::sc_start();
    ASSERT_EQ(b.recs.size(), 1u);
    const AckRecord& r = b.recs[0];
    EXPECT_EQ(r.cpu, 7u);
    EXPECT_EQ(r.intid, 9000u);
    EXPECT_EQ(r.signalled_ps, ps(T));
    EXPECT_EQ(r.t_ps, ps(T + kAck));
    EXPECT_EQ(r.eoi_ps, ps(T + kAck + kHandler));
    ASSERT_EQ(b.rd.eois.size(), 1u);
    EXPECT_EQ(b.rd.eois[0], std::make_pair(9000u, ps(T + kAck + kHandler)));
    EXPECT_EQ(b.cpu.stats().acks, 1u);
    EXPECT_EQ(b.cpu.stats().eois, 1u);
    EXPECT_EQ(b.cpu.acks(9000), 1u);
    EXPECT_EQ(b.cpu.acks(9001), 0u);
    EXPECT_FALSE(b.cpu.busy());
    EXPECT_EQ(b.cpu.directly_driven(), GetParam());
    // Direct: the rise, the acknowledge, the EOI; nothing else.
    EXPECT_EQ(b.rd.ticks, GetParam() ? 3u : 0u);
}

TEST_P(CpuInterfaceTest, TakesTheNextOneAfterEoiWhileTheLineStaysHigh) {
    Bench b(GetParam());
    EXPECT_EQ(b.cpu.directly_driven(), false);   // before elaboration ends
    b.rd.script = [&](FakeRd& rd) {
        sc_core::wait(T);
        rd.raise(9000);
        rd.raise(9001);
        rd.raise(9000);
    };
    sc_core::sc_start();
    ASSERT_EQ(b.recs.size(), 3u);
    const sc_time step = kAck + kHandler;
    for (unsigned i = 0; i < 3; ++i) {
        EXPECT_EQ(b.recs[i].t_ps, ps(T + step * double(i) + kAck)) << i;
        EXPECT_EQ(b.recs[i].eoi_ps, ps(T + step * double(i + 1))) << i;
    }
    EXPECT_EQ(b.recs[1].intid, 9001u);
    EXPECT_EQ(b.cpu.acks(9000), 2u);
    EXPECT_EQ(b.cpu.acks(9001), 1u);
    EXPECT_EQ(b.rd.ack_times.size(), 3u);   // no acknowledge once the line fell
}

TEST_P(CpuInterfaceTest, ARiseDuringTheHandlerIsTakenAtEoi) {
    Bench b(GetParam());
    EXPECT_EQ(b.cpu.directly_driven(), false);   // before elaboration ends
    b.rd.script = [&](FakeRd& rd) {
        sc_core::wait(T);
        rd.raise(9000);
        sc_core::wait(kAck + sc_time(10, SC_NS));   // acknowledged, line low, handler running
        rd.raise(9005);
    };
    sc_core::sc_start();
    ASSERT_EQ(b.recs.size(), 2u);
    EXPECT_EQ(b.recs[1].intid, 9005u);
    EXPECT_EQ(b.recs[1].signalled_ps, ps(T + kAck + sc_time(10, SC_NS)));
    EXPECT_EQ(b.recs[1].t_ps, ps(T + kAck + kHandler + kAck));
}

TEST_P(CpuInterfaceTest, SpuriousAcknowledgeIsCountedAndTheCoreWaitsForTheNextRise) {
    Bench b(GetParam());
    EXPECT_EQ(b.cpu.directly_driven(), false);   // before elaboration ends
    b.rd.script = [&](FakeRd& rd) {
        sc_core::wait(T);
        rd.raise(9000);
        sc_core::wait(kAck / 2);
        rd.queue.clear();   // cleared before the acknowledge; the line falls later
        sc_core::wait(kAck);
        rd.set_line(false);
        sc_core::wait(T);
        rd.raise(9002);
    };
    sc_core::sc_start();
    EXPECT_EQ(b.cpu.stats().spurious, 1u);
    ASSERT_EQ(b.recs.size(), 1u);
    EXPECT_EQ(b.recs[0].intid, 9002u);
    const sc_time second_rise = T + kAck / 2 + kAck + T;
    EXPECT_EQ(b.recs[0].t_ps, ps(second_rise + kAck));
    ASSERT_EQ(b.rd.ack_times.size(), 2u);
    EXPECT_EQ(b.rd.ack_times[0], ps(T + kAck));
}

TEST_P(CpuInterfaceTest, IdleCoreCostsNothing) {
    Bench b(GetParam());
    EXPECT_EQ(b.cpu.directly_driven(), false);   // before elaboration ends
    sc_core::sc_start(sc_time(1, sc_core::SC_SEC));
    EXPECT_TRUE(b.recs.empty());
    EXPECT_TRUE(b.rd.ack_times.empty());
    EXPECT_EQ(sc_core::sc_time_stamp(), sc_time(1, sc_core::SC_SEC));
    EXPECT_FALSE(sc_core::sc_pending_activity());   // nothing armed: no polling
    EXPECT_LT(sc_core::sc_delta_count(), 5u);
}
