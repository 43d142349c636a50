// The Redistributor's GICv4 side on a real Bus and Memory (redist_system.h's
// parameters): GICR_VPENDBASER schedule/deschedule with their memory
// traffic charged to the writer and Dirty reading 1 for vpt_parse_cycles
// after it, vLPIs to the resident vPE reaching the virtual line, vLPIs to a
// non-resident vPE set in its VPT by a timed read-modify-write and the
// doorbells (v4.0 per ITE, v4.1 the armed default doorbell), GICR_VSGIR /
// GICR_VSGIPENDR Busy, in both timing modes. Expected times are computed
// from the parameters.
#include "redist_system.h"

#include "itsim/redist/vpe_state.h"

namespace {

constexpr uint64_t kVconf = kRam + 0x300000;     // vLPI configuration table (4 KiB aligned)
constexpr uint64_t kVpt = kRam + 0x400000;       // a VPT (64 KiB aligned)
constexpr uint64_t kVpeTable = kRam + 0x500000;  // GICv4.1 vPE configuration table
constexpr uint64_t kValid = uint64_t{1} << 63;
constexpr uint64_t kDoorbellBit = uint64_t{1} << 62, kPendingLast = uint64_t{1} << 61;
constexpr uint64_t kDirty = uint64_t{1} << 60, kGrp1 = uint64_t{1} << 58;
constexpr unsigned kParseCycles = 300, kQueryCycles = 70;
const sc_time kParse(kParseCycles, SC_NS), kQuery(kQueryCycles, SC_NS);
constexpr uint32_t kDb = 8300;   // a doorbell LPI

// The directly driven CPU: records the virtual line's rises and takes one
// virtual interrupt at each.
struct FakeCpu : CpuLink {
    Redistributor* rd = nullptr;
    std::vector<sc_time> rises;
    std::vector<uint32_t> vacks;
    bool take = true;
    void line_rose() override {}
    void wake() override {}
    void vline_rose() override {
        rises.push_back(sc_core::sc_time_stamp());
        if (!take) return;
        Timeline tl;
        vacks.push_back(rd->acknowledge_virtual(tl));
    }
};

RedistTiming vtiming() {
    RedistTiming t = rd_timing();
    t.vpt_parse_cycles = kParseCycles;
    t.vsgi_query_cycles = kQueryCycles;
    return t;
}

struct VSystem {
    Bus bus;
    Memory mem;
    Redistributor rd;
    Tester t;
    FakeCpu cpu;
    sc_core::sc_signal<bool> irq{"irq_line"};
    std::vector<ResidencyRecord> residency;
    std::vector<DoorbellRecord> doorbells;

    VSystem(GicVersion v, TimingMode mode)
        : bus("bus", bus_config()), mem("mem", mem_config()), rd("rd", config(v, mode), vtiming()), t("tester", mode) {
        t.socket.bind(bus.targ_socket);
        rd.bus.bind(bus.targ_socket);
        bus.init_socket.bind(mem.socket);
        bus.init_socket.bind(rd.mmio);
        bus.map(0, kRam, mem.config().size, "ram");
        bus.map(1, kRdBase, gicr_frame_size(v), "gicr");
        rd.irq(irq);
        cpu.rd = &rd;
        rd.attach_cpu(&cpu);
        rd.on_residency = [this](const ResidencyRecord& r) { residency.push_back(r); };
        rd.on_doorbell = [this](const DoorbellRecord& d) { doorbells.push_back(d); };
    }
    static RedistConfig config(GicVersion v, TimingMode mode) {
        RedistConfig c = rd_config(mode);
        c.version = v;
        return c;
    }
    void poke(uint64_t addr, uint8_t v) { ASSERT_TRUE(mem.store().write(addr - kRam, &v, 1)); }
    uint8_t peek(uint64_t addr) {
        uint8_t v = 0xEE;
        EXPECT_TRUE(mem.store().read(addr - kRam, &v, 1));
        return v;
    }
    void poke64(uint64_t addr, uint64_t v) {
        for (unsigned i = 0; i < 8; ++i) poke(addr + i, uint8_t(v >> (8 * i)));
    }
    void set_vprop(uint32_t vintid, uint8_t v) { poke(kVconf + vintid - 8192, v); }
    void set_prop(uint32_t intid, uint8_t v) { poke(kProp + intid - 8192, v); }
    void set_vpt(uint32_t vintid) { poke(kVpt + vintid / 8, uint8_t(peek(kVpt + vintid / 8) | (1u << (vintid % 8)))); }
    bool vpt_bit(uint32_t vintid) { return (peek(kVpt + vintid / 8) >> (vintid % 8)) & 1; }
    void run(std::function<void(Tester&)> body) {
        t.body = std::move(body);
        sc_core::sc_start();
    }
};

VpeRef vpe(uint32_t vpeid = 4) {
    VpeRef r;
    r.vpeid = vpeid;
    r.vpt_addr = kVpt;
    r.vpt_size = 15;
    r.vconf_addr = kVconf;
    r.default_doorbell = kDb;
    return r;
}

LpiOp set_vlpi(uint32_t vintid, uint32_t doorbell = kNoDoorbellIntid) {
    LpiOp op = LpiOp::virt(LpiOp::Kind::set_vlpi, vpe(), vintid);
    op.doorbell = doorbell;
    return op;
}

// The register's own view of an access: hop + MMIO cycles after the access starts.
const sc_time kReg = kHop + kMmio;

class VirtualModule : public ::testing::TestWithParam<TimingMode> {};

TEST_P(VirtualModule, Schedule40ChargesTheParseAndDirtyReadsOneForTheFloor) {
    VSystem s(GicVersion::v4_0, GetParam());
    s.set_vpt(8192);
    s.set_vpt(9000);
    s.set_vprop(8192, prop(0x80, true));
    s.set_vprop(9000, prop(0x40, true));
    sc_time t0, t1;
    uint64_t dirty_early = 0, dirty_late = 0;
    s.run([&](Tester& t) {
        EXPECT_TRUE(t.wr(gicr::VPROPBASER, kVconf | 15, 8));
        t.settle();
        t0 = sc_core::sc_time_stamp();
        EXPECT_TRUE(t.wr(gicr::VPENDBASER, kValid | kPendingLast | kVpt, 8));
        t1 = t.tl.now();
        // The first poll reaches the register at t1 + kReg < t1 + kParse.
        dirty_early = t.rd(gicr::VPENDBASER, 8);
        t.pause(t1 + kParse - kReg - t.tl.now());
        dirty_late = t.rd(gicr::VPENDBASER, 8);
    });
    // 112 bursts of 64 bytes, then per pending vLPI a lookup, a 1-byte read, an update.
    EXPECT_EQ(t1 - t0, kReg + 112.0 * kRead64 + 2.0 * (kLookup + kRead1 + kUpdate));
    EXPECT_EQ(dirty_early, kValid | kPendingLast | kDirty | kVpt);
    EXPECT_EQ(dirty_late, kValid | kPendingLast | kVpt);
    ASSERT_EQ(s.residency.size(), 1u);
    EXPECT_TRUE(s.residency[0].resident);
    EXPECT_EQ(s.residency[0].vpt_addr, kVpt);
    EXPECT_EQ(s.residency[0].vlpis, 2u);
    EXPECT_EQ(s.residency[0].t_ps, ps(t0 + kReg));
    EXPECT_EQ(s.residency[0].dirty_ps, ps(t1 + kParse));
    // The virtual line rises a signal latency after the parse; the CPU takes 9000 (0x40) first.
    ASSERT_GE(s.cpu.rises.size(), 1u);
    EXPECT_EQ(s.cpu.rises[0], t1 + kSignal);
    EXPECT_EQ(s.cpu.vacks[0], 9000u);
    EXPECT_TRUE(s.rd.vline_level());   // 8192 is still pending
    EXPECT_EQ(s.rd.last_vack_priority(), 0x40);
}

TEST_P(VirtualModule, ResidentVlpiReachesTheVirtualLine) {
    VSystem s(GicVersion::v4_0, GetParam());
    s.set_vprop(8200, prop(0x20, true));
    sc_time t0, t1;
    LpiResult r;
    s.run([&](Tester& t) {
        t.wr(gicr::VPROPBASER, kVconf | 15, 8);
        t.wr(gicr::VPENDBASER, kValid | kVpt, 8);
        t.pause(sc_time(1, sc_core::SC_US));
        t0 = t.tl.now();
        r = s.rd.deliver(set_vlpi(8200, 8400), t.tl);
        t1 = t.tl.now();
        t.pause(sc_time(1, sc_core::SC_US));
    });
    EXPECT_TRUE(r.resident);
    EXPECT_EQ(r.refusal, LpiRefusal::none);
    EXPECT_EQ(r.doorbell, kNoDoorbellIntid);   // resident: no doorbell
    EXPECT_EQ(t1 - t0, kLookup + kRead1 + kUpdate);
    ASSERT_EQ(s.cpu.rises.size(), 1u);
    EXPECT_EQ(s.cpu.rises[0], t1 + kSignal);
    EXPECT_EQ(s.cpu.vacks[0], 8200u);
    EXPECT_FALSE(s.rd.vline_level());
    EXPECT_FALSE(s.vpt_bit(8200));   // the VPT is not written while resident
}

TEST_P(VirtualModule, Deschedule40WritesBackAndReportsPendingLast) {
    VSystem s(GicVersion::v4_0, GetParam());
    s.set_vprop(8200, prop(0x20, true));
    s.cpu.take = false;
    sc_time t0, t1;
    uint64_t after = 0;
    s.run([&](Tester& t) {
        t.wr(gicr::VPROPBASER, kVconf | 15, 8);
        t.wr(gicr::VPENDBASER, kValid | kVpt, 8);
        t.pause(sc_time(1, sc_core::SC_US));
        s.rd.deliver(set_vlpi(8200), t.tl);
        t.pause(sc_time(1, sc_core::SC_US));
        t0 = t.tl.now();
        t.wr(gicr::VPENDBASER, kVpt, 8);   // Valid = 0
        t1 = t.tl.now();
        t.pause(kParse);
        after = t.rd(gicr::VPENDBASER, 8);
    });
    EXPECT_EQ(t1 - t0, kReg + kWrite1);   // one VPT byte
    EXPECT_TRUE(s.vpt_bit(8200));
    EXPECT_EQ(after, kPendingLast | kVpt);
    ASSERT_EQ(s.residency.size(), 2u);
    EXPECT_FALSE(s.residency[1].resident);
    EXPECT_TRUE(s.residency[1].pending_last);
    EXPECT_FALSE(s.residency[1].doorbell_armed);
    EXPECT_EQ(s.residency[1].dirty_ps, ps(t1 + kParse));
    EXPECT_FALSE(s.rd.vline_level());
}

TEST_P(VirtualModule, NonResident40SetsTheVptAndRingsTheItesDoorbell) {
    VSystem s(GicVersion::v4_0, GetParam());
    s.set_prop(kDb, prop(0x10, true));          // the doorbell: a physical LPI
    s.set_vprop(9000, prop(0x40, false));       // disabled: v4.0 rings anyway
    sc_time t0, t1;
    LpiResult r;
    s.run([&](Tester& t) {
        ASSERT_TRUE(t.wr(gicr::PROPBASER, kProp | 15, 8));
        ASSERT_TRUE(t.wr(gicr::PENDBASER, kPend | gicr::PENDBASER_PTZ, 8));
        ASSERT_TRUE(t.wr(gicr::CTLR, gicr::CTLR_EnableLPIs));
        t.settle();
        t0 = t.tl.now();
        r = s.rd.deliver(set_vlpi(9000, kDb), t.tl);
        t1 = t.tl.now();
        t.pause(sc_time(1, sc_core::SC_US));
    });
    EXPECT_FALSE(r.resident);
    EXPECT_EQ(r.doorbell, kDb);
    EXPECT_TRUE(s.vpt_bit(9000));
    // The byte read, the update, the write; then the doorbell's set_pending
    // (lookup, property read, update).
    EXPECT_EQ(t1 - t0, kRead1 + kUpdate + kWrite1 + kLookup + kRead1 + kUpdate);
    ASSERT_EQ(s.doorbells.size(), 1u);
    EXPECT_EQ(s.doorbells[0].intid, kDb);
    EXPECT_EQ(s.doorbells[0].vintid, 9000u);
    EXPECT_EQ(s.rd.stats().set_pending, 1u);   // the doorbell LPI
    EXPECT_TRUE(s.rd.irq_level());
}

TEST_P(VirtualModule, Deschedule41ArmsTheDefaultDoorbellWhichRingsOnce) {
    VSystem s(GicVersion::v4_1, GetParam());
    constexpr uint32_t kVpe = 4;
    s.poke64(kVpeTable + 32 * kVpe, kValid | (uint64_t{15} << 56) | kVpt);
    s.poke64(kVpeTable + 32 * kVpe + 16, kVconf);
    s.poke64(kVpeTable + 32 * kVpe + 24, kDb);
    s.set_prop(kDb, prop(0x10, true));
    s.set_vprop(9000, prop(0x40, true));
    std::vector<LpiResult> rs;
    sc_time t0, t1;
    s.run([&](Tester& t) {
        ASSERT_TRUE(t.wr(gicr::PROPBASER, kProp | 15, 8));
        ASSERT_TRUE(t.wr(gicr::PENDBASER, kPend | gicr::PENDBASER_PTZ, 8));
        ASSERT_TRUE(t.wr(gicr::CTLR, gicr::CTLR_EnableLPIs));
        ASSERT_TRUE(t.wr(gicr::VPROPBASER, kValid | kVpeTable, 8));   // 4K pages, one page
        ASSERT_TRUE(t.wr(gicr::VPENDBASER, kValid | kGrp1 | kVpe, 8));
        t.pause(sc_time(1, sc_core::SC_US));
        ASSERT_TRUE(t.wr(gicr::VPENDBASER, kDoorbellBit, 8));   // Valid = 0, PendingLast = 0, Doorbell
        t.pause(sc_time(1, sc_core::SC_US));
        t0 = t.tl.now();
        rs.push_back(s.rd.deliver(set_vlpi(9000), t.tl));
        t1 = t.tl.now();
        rs.push_back(s.rd.deliver(set_vlpi(9001), t.tl));
        t.pause(sc_time(1, sc_core::SC_US));
    });
    ASSERT_EQ(s.residency.size(), 2u);
    EXPECT_EQ(s.residency[0].vpeid, kVpe);
    EXPECT_TRUE(s.residency[1].doorbell_armed);
    EXPECT_FALSE(s.residency[1].pending_last);
    ASSERT_EQ(rs.size(), 2u);
    EXPECT_EQ(rs[0].doorbell, kDb);
    EXPECT_EQ(rs[1].doorbell, kNoDoorbellIntid);   // rung once, disarmed
    // RMW, then the vLPI's configuration byte, then the doorbell's set_pending.
    EXPECT_EQ(t1 - t0, kRead1 + kUpdate + kWrite1 + kRead1 + kLookup + kRead1 + kUpdate);
    EXPECT_TRUE(s.vpt_bit(9000));
    EXPECT_TRUE(s.vpt_bit(9001));
    ASSERT_EQ(s.doorbells.size(), 1u);
    EXPECT_EQ(s.doorbells[0].vpeid, kVpe);
}

TEST_P(VirtualModule, Invlpir41ReReadsTheResidentVpesConfiguration) {
    VSystem s(GicVersion::v4_1, GetParam());
    constexpr uint32_t kVpe = 4;
    s.poke64(kVpeTable + 32 * kVpe, kValid | (uint64_t{15} << 56) | kVpt);
    s.poke64(kVpeTable + 32 * kVpe + 16, kVconf);
    s.set_vprop(9000, prop(0x40, false));
    sc_time t0, t1;
    s.run([&](Tester& t) {
        ASSERT_TRUE(t.wr(gicr::VPROPBASER, kValid | kVpeTable, 8));
        ASSERT_TRUE(t.wr(gicr::VPENDBASER, kValid | kGrp1 | kVpe, 8));
        t.pause(sc_time(1, sc_core::SC_US));
        s.rd.deliver(LpiOp::virt(LpiOp::Kind::set_vlpi, vpe(kVpe), 9000), t.tl);   // pending, disabled
        t.pause(sc_time(1, sc_core::SC_US));
        s.set_vprop(9000, prop(0x40, true));
        // Another vPE's vINTID: not resident here, nothing happens.
        ASSERT_TRUE(t.wr(gicr::INVLPIR, kValid | (uint64_t{kVpe + 1} << 32) | 9000, 8));
        t.pause(sc_time(1, sc_core::SC_US));
        EXPECT_TRUE(s.cpu.rises.empty());
        t.settle();
        t0 = t.tl.now();
        ASSERT_TRUE(t.wr(gicr::INVLPIR, kValid | (uint64_t{kVpe} << 32) | 9000, 8));
        t1 = t.tl.now();
        t.pause(sc_time(1, sc_core::SC_US));
    });
    // The write: its MMIO path, then the re-read (a lookup that misses, the byte, the update).
    EXPECT_EQ(t1 - t0, kReg + kLookup + kRead1 + kUpdate);
    ASSERT_EQ(s.cpu.rises.size(), 1u);
    EXPECT_EQ(s.cpu.rises[0], t1 + kSignal);
    EXPECT_EQ(s.cpu.vacks[0], 9000u);
    EXPECT_EQ(s.rd.last_vack_vpeid(), kVpe);
    EXPECT_EQ(s.rd.virtual_stats()->reg_vinvs, 1u);
    EXPECT_EQ(s.rd.virtual_stats()->reg_vinv_ignored, 1u);
}

TEST_P(VirtualModule, VsgiQueryIsBusyForTheQueryTime) {
    VSystem s(GicVersion::v4_1, GetParam());
    uint64_t busy = 0, done = 0;
    sc_time t0;
    s.run([&](Tester& t) {
        LpiOp op = LpiOp::virt(LpiOp::Kind::set_vsgi, vpe(6), 3);
        s.rd.deliver(op, t.tl);
        op.intid = 12;
        s.rd.deliver(op, t.tl);
        t.settle();
        t0 = t.tl.now();
        t.wr(gicr::VSGIR, 6);
        busy = t.rd(gicr::VSGIPENDR);
        // The write reached the register at t0 + kReg; Busy until kQuery after.
        t.pause(t0 + kReg + kQuery - kReg - t.tl.now());
        done = t.rd(gicr::VSGIPENDR);
    });
    EXPECT_EQ(busy, 0x80000000u);
    EXPECT_EQ(done, (1u << 3) | (1u << 12));
}

TEST_P(VirtualModule, GicV3KeepsItsFrame) {
    VSystem s(GicVersion::v3, GetParam());
    uint64_t v = 1;
    s.run([&](Tester& t) {
        // Past 128 KiB: not this redistributor's (the bus maps 128 KiB).
        v = t.rd(gicr::PIDR2);
        LpiOp op = set_vlpi(9000);
        EXPECT_TRUE(s.rd.deliver(op, t.tl).unsupported);
    });
    EXPECT_EQ(v, 0x3Bu);
    EXPECT_EQ(s.rd.virtual_state(), nullptr);
    EXPECT_EQ(s.rd.registers().frame().size(), 0x20000u);
    EXPECT_EQ(s.rd.registers().config().typer & 0x0400'0086u, 0u);   // no VLPIS, Dirty, RVPEID, VSGI
}

TEST_P(VirtualModule, Typer41) {
    VSystem s(GicVersion::v4_1, GetParam());
    uint64_t typer = 0, pidr2 = 0;
    s.run([&](Tester& t) {
        typer = t.rd(gicr::TYPER, 8);
        pidr2 = t.rd(gicr::PIDR2);
    });
    EXPECT_EQ(typer & 0x0400'00FFu, 0x0400'0000u | 0x80u | 0x10u | 0x08u | 0x04u | 0x02u | 0x01u);
    EXPECT_EQ(pidr2, 0x4Bu);
}

INSTANTIATE_TEST_SUITE_P(Modes, VirtualModule, ::testing::Values(TimingMode::accurate, TimingMode::fast),
                         [](const auto& i) { return i.param == TimingMode::accurate ? "accurate" : "fast"; });

}  // namespace
