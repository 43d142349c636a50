// BusMaster, the initiators' helper: accurate and fast modes give the same
// times on an idle bus, and errors in both (bus_bench.h: the parameters).
#include "bus_bench.h"

// ----------------------------------------------------- accurate vs fast

namespace {
// One initiator, one bus, one memory.
struct System {
    Initiator cpu;
    Bus bus;
    Memory ram;
    System(const char* n, TimingMode mode)
        : cpu((std::string(n) + "_cpu").c_str(), mode, true),
          bus((std::string(n) + "_bus").c_str(), bus_config()),
          ram((std::string(n) + "_ram").c_str(), mem_config()) {
        cpu.socket.bind(bus.targ_socket);
        bus.init_socket.bind(ram.socket);
        bus.map(0, 0x40000000, 1 << 20, "ram");
    }
};

struct Step {
    bool write;
    uint64_t addr;
    unsigned len;
};

// The same accesses for both modes; records each access's completion time
// and the values read.
void run_steps(Initiator& i, const std::vector<Step>& steps, std::vector<sc_time>& t,
               std::vector<uint64_t>& values) {
    uint64_t seq = 0x0102030405060708ull;
    for (const Step& s : steps) {
        uint64_t v = 0;
        if (s.write) {
            seq += 0x1111;
            EXPECT_TRUE(i.bm.write(s.addr, &seq, s.len));
        } else {
            EXPECT_TRUE(i.bm.read(s.addr, &v, s.len));
        }
        t.push_back(i.tl.now());
        values.push_back(v);
    }
}
}  // namespace

TEST(BusMaster, AccurateAndFastGiveTheSameTimesWhenIdle) {
    tlm::tlm_global_quantum::instance().set(sc_time(1, sc_core::SC_US));
    System acc("acc", TimingMode::accurate), fast("fast", TimingMode::fast);
    const std::vector<Step> steps = {
        {true, 0x40000000, 8},  {false, 0x40000000, 4}, {false, 0x40000004, 4},
        {false, 0x40000000, 8}, {true, 0x40000008, 4},  {false, 0x40000008, 8},
        {true, 0x40001FFC, 4},  {false, 0x40001FFC, 4}, {false, 0x40000100, 8},
        {true, 0x40000010, 8},  {false, 0x40000010, 8}, {false, 0x40000FFC, 8},  // crosses a page
    };
    std::vector<sc_time> ta, tf;
    std::vector<uint64_t> va, vf;
    acc.cpu.body = [&](Initiator& i) { run_steps(i, steps, ta, va); };
    fast.cpu.body = [&](Initiator& i) { run_steps(i, steps, tf, vf); };
    sc_core::sc_start();

    ASSERT_EQ(ta.size(), steps.size());
    EXPECT_EQ(ta, tf);
    EXPECT_EQ(va, vf);
    // From the parameters: every access costs hop + the 1..8-byte cost.
    sc_time expect = sc_core::SC_ZERO_TIME;
    for (unsigned k = 0; k < steps.size(); ++k) {
        expect += kHop + (steps[k].write ? kWrite8 : kRead8);
        EXPECT_EQ(ta[k], expect) << k;
    }
    EXPECT_EQ(va[1], 0x0102030405061819ull & 0xFFFFFFFF);
    EXPECT_EQ(acc.cpu.bm.stats().dmi_accesses, 0u);
    // fast: the first access of each page and the page-crossing read go
    // over the bus, the other 9 through DMI.
    EXPECT_EQ(fast.cpu.bm.stats().dmi_accesses, 9u);
    EXPECT_EQ(fast.cpu.bm.stats().reads + fast.cpu.bm.stats().writes, steps.size());
}

TEST(BusMaster, ErrorsReturnFalseInBothModes) {
    Initiator acc("acc", TimingMode::accurate, true), fast("fast", TimingMode::fast, true);
    Bus bus("bus", bus_config());
    Memory ram("ram", mem_config(0x2000));
    acc.socket.bind(bus.targ_socket);
    fast.socket.bind(bus.targ_socket);
    bus.init_socket.bind(ram.socket);
    bus.map(0, 0x0, 0x4000, "ram");  // window larger than the memory
    auto body = [&](Initiator& i) {
        uint64_t v = 0;
        EXPECT_FALSE(i.bm.read(0x3000, &v, 8));  // the memory refuses
        EXPECT_EQ(i.bm.last_status(), tlm::TLM_ADDRESS_ERROR_RESPONSE);
        EXPECT_FALSE(i.bm.access(static_cast<tlm::tlm_command>(3), 0x100, &v, 8, i.tl));
        EXPECT_EQ(i.bm.last_status(), tlm::TLM_COMMAND_ERROR_RESPONSE);
        EXPECT_FALSE(i.bm.read(0x8000, &v, 8));  // the bus refuses
        EXPECT_EQ(i.bm.stats().errors, 3u);
    };
    acc.body = body;
    fast.body = body;
    sc_core::sc_start();
}
