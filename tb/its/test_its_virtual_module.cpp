// The Its module with GICv4.1 (its_module_bench.h's Host and FakeRd): the
// third 64K frame and GITS_SGIR through the bus, in both timing modes - a
// 64-bit write reaches the vPE's redistributor as set_vsgi, a 32-bit one
// is a bad access, a GICv4.0 ITS has no third frame.
#include "its_module_bench.h"

namespace {

constexpr uint64_t kVt = kRam + 0x30000;   // vPE table, flat, one 4K page
constexpr uint64_t kVpt = kRam + 0x200000;

// FakeRd that also logs the virtual ops it gets.
struct VRd : FakeRd {
    std::vector<LpiOp> vops;
    using FakeRd::FakeRd;
    LpiResult deliver(const LpiOp& op, Timeline& tl) override {
        if (!op.is_virtual()) return FakeRd::deliver(op, tl);
        tl.spend(cost);
        vops.push_back(op);
        return {};
    }
};

struct VBench {
    ItsModuleConfig cfg;
    std::unique_ptr<Memory> ram;
    std::unique_ptr<Bus> bus;
    std::unique_ptr<Its> its;
    std::unique_ptr<Host> host;
    std::vector<std::unique_ptr<VRd>> rds;

    VBench(TimingMode mode, GicVersion v) {
        cfg.mode = mode;
        cfg.core.version = v;
        MemoryConfig mcfg;
        mcfg.size = kRamSize;
        if (mode == TimingMode::fast) tlm::tlm_global_quantum::instance().set(sc_time(1, sc_core::SC_US));
        ram = std::make_unique<Memory>("ram", mcfg);
        bus = std::make_unique<Bus>("bus", BusConfig{});
        its = std::make_unique<Its>("its", cfg);
        host = std::make_unique<Host>("host", mode);
        host->socket.bind(bus->targ_socket);
        its->bus.bind(bus->targ_socket);
        bus->init_socket.bind(ram->socket);
        bus->map(0, kRam, kRamSize, "ram");
        bus->init_socket.bind(its->mmio);
        bus->map(1, kItsBase, its->frame_bytes(), "its");
        for (unsigned i = 0; i < 2; ++i) {
            rds.push_back(std::make_unique<VRd>(i, 0x080A'0000ull + i * 0x40000, sc_time(5, SC_NS)));
            its->rd(*rds.back());
        }
        host->creadr_ev = &its->creadr_event();
    }
};

class ItsVirtualModule : public ::testing::TestWithParam<TimingMode> {};

TEST_P(ItsVirtualModule, GitsSgirThroughTheBus) {
    VBench b(GetParam(), GicVersion::v4_1);
    EXPECT_EQ(b.its->frame_bytes(), 0x30000u);
    bool wrote = false, wrote32 = true;
    uint64_t read_back = 1;
    b.host->program = [&](Host& h) {
        h.wr(kItsBase + gits::BASER(2), baser::kValid | kVt, 8);
        h.bring_up();
        ItsCommand m = build::vmapp(2, 1, kVpt, 15);
        m.default_doorbell = 1023;
        h.run({m});
        wrote = h.wr(kItsBase + gits::SGIR, (uint64_t{2} << 32) | 7, 8);   // vPE 2, vSGI 7
        wrote32 = h.wr(kItsBase + gits::SGIR, 5, 4);                       // bad access: OK response
        read_back = h.rd(kItsBase + gits::SGIR, 8);                        // WO: reads 0
    };
    sc_core::sc_start();
    EXPECT_TRUE(wrote);
    EXPECT_TRUE(wrote32);
    EXPECT_EQ(read_back, 0u);
    ASSERT_EQ(b.rds[1]->vops.size(), 1u);
    EXPECT_EQ(b.rds[1]->vops[0].kind, LpiOp::Kind::set_vsgi);
    EXPECT_EQ(b.rds[1]->vops[0].intid, 7u);
    EXPECT_EQ(b.rds[1]->vops[0].vpe.vpeid, 2u);
    EXPECT_EQ(b.rds[1]->vops[0].vpe.vpt_addr, kVpt);
    EXPECT_TRUE(b.rds[0]->vops.empty());
    EXPECT_EQ(b.its->core().sgir_writes(), 1u);
    EXPECT_EQ(b.its->stats().bad_accesses, 1u);   // the 32-bit write
    EXPECT_EQ(b.its->vpe_cache_stats().misses, 1u);
}

TEST_P(ItsVirtualModule, NoSgiFrameBeforeGicv41) {
    VBench b(GetParam(), GicVersion::v4_0);
    EXPECT_EQ(b.its->frame_bytes(), Its::kFrameBytes);
    bool wrote = true;
    b.host->program = [&](Host& h) { wrote = h.wr(kItsBase + gits::SGIR, uint64_t{2} << 32, 8); };
    sc_core::sc_start();
    EXPECT_FALSE(wrote);   // no window: the bus answers with an error
    EXPECT_EQ(b.its->core().sgir_writes(), 0u);
}

INSTANTIATE_TEST_SUITE_P(Modes, ItsVirtualModule, ::testing::Values(TimingMode::accurate, TimingMode::fast),
                         [](const auto& i) { return std::string(i.param == TimingMode::fast ? "fast" : "accurate"); });

}  // namespace
