// Bus contention: accesses that meet at one target queue, at different
// targets they do not, and the target sees the queued start time
// (bus_bench.h: the parameters).
#include "bus_bench.h"

// ---------------------------------------------------------- contention

TEST(Bus, TwoReadsToOneMemoryQueue) {
    Initiator a("a"), b("b");
    Bus bus("bus", bus_config());
    Memory ram("ram", mem_config());
    a.socket.bind(bus.targ_socket);
    b.socket.bind(bus.targ_socket);
    bus.init_socket.bind(ram.socket);
    bus.map(0, 0x40000000, 1 << 20, "ram");

    std::vector<sc_time> done;
    auto body = [&](Initiator& i) {
        uint64_t v;
        EXPECT_TRUE(i.bm.read(0x40000000, &v, 8));
        const sc_time t = i.tl.now();
        done.push_back(t);
        i.tl.sync_now();
        EXPECT_EQ(sc_core::sc_time_stamp(), t);
    };
    a.body = body;
    b.body = body;
    sc_core::sc_start();
    ASSERT_EQ(done.size(), 2u);
    std::sort(done.begin(), done.end());
    EXPECT_EQ(done[0], kHop + kRead8);        // 45 ns
    EXPECT_EQ(done[1], kHop + 2.0 * kRead8);  // 87 ns
    const BusPortStats& s = bus.port_stats(0);
    EXPECT_EQ(s.transactions, 2u);
    EXPECT_EQ(s.busy, 2.0 * kRead8);
    EXPECT_EQ(s.waiting, kRead8);
    EXPECT_EQ(s.busy_until, kHop + 2.0 * kRead8);
}

TEST(Bus, ReadsToDifferentTargetsDoNotWait) {
    Initiator a("a"), b("b");
    Bus bus("bus", bus_config());
    Memory ram0("ram0", mem_config()), ram1("ram1", mem_config());
    a.socket.bind(bus.targ_socket);
    b.socket.bind(bus.targ_socket);
    bus.init_socket.bind(ram0.socket);
    bus.init_socket.bind(ram1.socket);
    bus.map(0, 0x40000000, 1 << 20, "ram0");
    bus.map(1, 0x80000000, 1 << 20, "ram1");

    sc_time done_a, done_b;
    a.body = [&](Initiator& i) {
        uint64_t v;
        EXPECT_TRUE(i.bm.read(0x40000000, &v, 8));
        done_a = i.tl.now();
    };
    b.body = [&](Initiator& i) {
        uint64_t v;
        EXPECT_TRUE(i.bm.read(0x80000000, &v, 8));
        done_b = i.tl.now();
    };
    sc_core::sc_start();
    EXPECT_EQ(done_a, kHop + kRead8);
    EXPECT_EQ(done_b, kHop + kRead8);
    EXPECT_EQ(bus.port_stats(0).waiting, sc_core::SC_ZERO_TIME);
    EXPECT_EQ(bus.port_stats(1).waiting, sc_core::SC_ZERO_TIME);
}

TEST(Bus, TargetSeesTheQueuedStartTime) {
    Initiator a("a"), b("b");
    Bus bus("bus", bus_config());
    Probe dev("dev");
    a.socket.bind(bus.targ_socket);
    b.socket.bind(bus.targ_socket);
    bus.init_socket.bind(dev.socket);
    bus.map(0, 0x1000, 0x1000, "dev");
    // b arrives 4 ns after a, while a's access (hop 3 + service 10) is served.
    a.body = [&](Initiator& i) {
        uint32_t v = 1;
        EXPECT_TRUE(i.bm.write(0x1000, &v, 4));
    };
    sc_time done_b;
    b.body = [&](Initiator& i) {
        i.tl.spend(sc_time(4, SC_NS));
        uint32_t v = 2;
        EXPECT_TRUE(i.bm.write(0x1004, &v, 4));
        done_b = i.tl.now();
    };
    sc_core::sc_start();
    ASSERT_EQ(dev.starts.size(), 2u);
    EXPECT_EQ(dev.starts[0], kHop);                  // 3 ns
    EXPECT_EQ(dev.starts[1], kHop + dev.service);    // 13 ns, not 4 + 3
    EXPECT_EQ(done_b, kHop + 2.0 * dev.service);     // 23 ns
    EXPECT_EQ(bus.port_stats(0).waiting, kHop + dev.service - (sc_time(4, SC_NS) + kHop));
}

