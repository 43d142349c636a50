// CpuInterface against a scripted redistributor: a queue of INTIDs in the
// order acknowledge() hands them out, and a line the test drives. Expected
// times follow from ack_latency and handler_latency.
#include <gtest/gtest.h>

#include <deque>
#include <functional>
#include <vector>

#include "cpu/cpu_interface.h"


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

    SC_HAS_PROCESS(FakeRd);
    explicit FakeRd(sc_core::sc_module_name n) : sc_module(n) { SC_THREAD(run); }
    void run() {
        if (script) script(*this);
    }
    void raise(uint32_t intid) {
        queue.push_back(intid);
        signalled = ps(sc_core::sc_time_stamp());
        line.write(true);
    }

    uint32_t acknowledge(Timeline& tl) override {
        ack_times.push_back(ps(tl.now()));
        if (queue.empty()) return 1023;
        const uint32_t id = queue.front();
        queue.pop_front();
        if (queue.empty() && drop_line_when_empty) line.write(false);
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
    Bench() : cpu("cpu", config()) {
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

}  // namespace

TEST(CpuInterface, AcknowledgesAfterTheLatencyAndEndsAfterTheHandler) {
    Bench b;
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
}

TEST(CpuInterface, TakesTheNextOneAfterEoiWhileTheLineStaysHigh) {
    Bench b;
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

TEST(CpuInterface, ARiseDuringTheHandlerIsTakenAtEoi) {
    Bench b;
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

TEST(CpuInterface, SpuriousAcknowledgeIsCountedAndTheCoreWaitsForTheNextRise) {
    Bench b;
    b.rd.script = [&](FakeRd& rd) {
        sc_core::wait(T);
        rd.raise(9000);
        sc_core::wait(kAck / 2);
        rd.queue.clear();   // cleared before the acknowledge; the line falls later
        sc_core::wait(kAck);
        rd.line.write(false);
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

TEST(CpuInterface, IdleCoreCostsNothing) {
    Bench b;
    sc_core::sc_start(sc_time(1, sc_core::SC_SEC));
    EXPECT_TRUE(b.recs.empty());
    EXPECT_TRUE(b.rd.ack_times.empty());
    EXPECT_EQ(sc_core::sc_time_stamp(), sc_time(1, sc_core::SC_SEC));
    EXPECT_FALSE(sc_core::sc_pending_activity());   // nothing armed: no polling
    EXPECT_LT(sc_core::sc_delta_count(), 5u);
}
