// The GICR register file's GICv4 part (models/redist/gicr_regs.h) without a
// kernel, over a fake owner: the VLPI_base frame per version (v3 has none
// of it), GICR_TYPER/PIDR2 version bits, GICR_VPROPBASER's two layouts and
// its write rule, GICR_VPENDBASER and GICR_VSGIR/VSGIPENDR through the
// owner, GICR_INVLPIR/INVALLR with V = 1.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "itsim/redist/gicr_regs.h"

using namespace itsim;

namespace {

constexpr uint64_t bits(unsigned hi, unsigned lo) { return ((~uint64_t{0}) >> (63 - hi)) & ~((uint64_t{1} << lo) - 1); }
constexpr uint64_t kV = uint64_t{1} << 63;

struct FakeOwner : GicrOwner {
    bool enabled = true;
    uint64_t vpend = 0;
    std::vector<std::pair<uint64_t, uint64_t>> vpend_writes;
    std::vector<uint32_t> vsgirs;
    uint32_t vsgipendr = 0;
    struct Inv {
        uint32_t vpeid;
        bool all;
        uint32_t vintid;
    };
    std::vector<Inv> invs;
    unsigned ignored_base = 0, ignored_inv = 0;

    bool lpis_enabled() const override { return enabled; }
    bool lpi_in_range(uint32_t id) const override { return id >= 8192 && id < 65536; }
    void enable_lpis(const GicrEnable&) override {}
    void disable_lpis() override {}
    void set_lpi_pending(uint32_t) override {}
    void clear_lpi_pending(uint32_t) override {}
    void sync() override {}
    void ignored(GicrIgnored w) override { ++(w == GicrIgnored::base_write ? ignored_base : ignored_inv); }
    uint64_t read_vpendbaser() const override { return vpend; }
    void write_vpendbaser(uint64_t v, uint64_t m) override { vpend_writes.push_back({v, m}); }
    void write_vsgir(uint32_t vpeid) override { vsgirs.push_back(vpeid); }
    uint32_t read_vsgipendr() const override { return vsgipendr; }
    void invalidate_virtual(uint32_t vpeid, bool all, uint32_t vintid) override { invs.push_back({vpeid, all, vintid}); }
};

GicrConfig config(GicVersion v) {
    GicrConfig c;
    c.version = v;
    c.typer = 0x0001'0203'0000'0319ull;
    return c;
}

struct Rig {
    FakeOwner owner;
    GicrRegs regs;
    GicrAccess a{owner, false};
    explicit Rig(GicVersion v) : regs(config(v)) {}
    uint64_t rd(uint64_t off, unsigned size = 8, bool* ok = nullptr) {
        uint64_t v = 0;
        const bool r = regs.read(a, off, size, &v);
        if (ok) *ok = r;
        return v;
    }
    bool wr(uint64_t off, uint64_t v, unsigned size = 8) { return regs.write(a, off, size, v); }
};

TEST(GicrVersionBits, TyperPidr2AndFrameSize) {
    EXPECT_EQ(gicr_typer_version_bits(GicVersion::v3), 0u);
    // VLPIS[1], Dirty[2]; v4.1 adds RVPEID[7] and VSGI[26].
    EXPECT_EQ(gicr_typer_version_bits(GicVersion::v4_0), 0x6u);
    EXPECT_EQ(gicr_typer_version_bits(GicVersion::v4_1), 0x6u | 0x80u | (1u << 26));
    EXPECT_EQ(gicr_pidr2(GicVersion::v3), 0x3Bu);
    EXPECT_EQ(gicr_pidr2(GicVersion::v4_0), 0x4Bu);
    EXPECT_EQ(gicr_pidr2(GicVersion::v4_1), 0x4Bu);
    EXPECT_EQ(gicr_frame_size(GicVersion::v3), 0x20000u);
    EXPECT_EQ(gicr_frame_size(GicVersion::v4_0), 0x40000u);
    EXPECT_EQ(gicr_frame_size(GicVersion::v4_1), 0x40000u);
}

TEST(GicrVirtualFrame, RowsPerVersion) {
    const GicrRegs v3(config(GicVersion::v3)), v40(config(GicVersion::v4_0)), v41(config(GicVersion::v4_1));
    EXPECT_EQ(v3.frame().size(), 0x20000u);
    EXPECT_EQ(v3.frame().rows().size(), 13u);
    EXPECT_EQ(v3.frame().find(0x20070), nullptr);
    EXPECT_EQ(v40.frame().size(), 0x40000u);
    EXPECT_EQ(v40.frame().rows().size(), 15u);
    ASSERT_NE(v40.frame().find(0x20070), nullptr);
    EXPECT_EQ(std::string(v40.frame().find(0x20070)->name), "GICR_VPROPBASER");
    EXPECT_EQ(std::string(v40.frame().find(0x20078)->name), "GICR_VPENDBASER");
    EXPECT_EQ(v40.frame().find(0x20080), nullptr);   // VSGIR is v4.1's
    EXPECT_EQ(v41.frame().rows().size(), 17u);
    ASSERT_NE(v41.frame().find(0x20080), nullptr);
    EXPECT_EQ(v41.frame().find(0x20080)->width, 32u);
    EXPECT_EQ(v41.frame().find(0x20080)->access, RegAccess::wo);
    ASSERT_NE(v41.frame().find(0x20088), nullptr);
    EXPECT_EQ(v41.frame().find(0x20088)->access, RegAccess::ro);
    // PIDR2 follows the version; every other GICv3 row is unchanged.
    EXPECT_EQ(v3.frame().find(0xFFE8)->reset, 0x3Bu);
    EXPECT_EQ(v41.frame().find(0xFFE8)->reset, 0x4Bu);
    for (const RegInfo& r : v3.frame().rows()) {
        const RegInfo* o = v41.frame().find(r.offset);
        ASSERT_NE(o, nullptr) << r.name;
        EXPECT_EQ(o->write_mask, r.write_mask) << r.name;
        EXPECT_EQ(o->access, r.access) << r.name;
        if (r.offset != 0xFFE8) EXPECT_EQ(o->reset, r.reset) << r.name;
    }
}

TEST(GicrVirtualFrame, GicV3HasNoVlpiFrame) {
    Rig r(GicVersion::v3);
    bool ok = true;
    EXPECT_EQ(r.rd(0x20078, 8, &ok), 0u);
    EXPECT_FALSE(ok);
    EXPECT_FALSE(r.wr(0x20078, kV | 0x300000));
    EXPECT_TRUE(r.owner.vpend_writes.empty());
}

TEST(GicrVirtualFrame, Vpropbaser40IsThePropbaserLayout) {
    Rig r(GicVersion::v4_0);
    ASSERT_TRUE(r.wr(0x20070, ~uint64_t{0}));
    // IDbits[4:0], InnerCache[9:7], Shareability[11:10], PA[51:12], OuterCache[58:56].
    const uint64_t fields = bits(4, 0) | bits(9, 7) | bits(11, 10) | bits(51, 12) | bits(58, 56);
    EXPECT_EQ(r.rd(0x20070), fields);
    EXPECT_EQ(r.regs.vpropbaser(), fields);
}

TEST(GicrVirtualFrame, Vpropbaser41IsTheVpeTableLayout) {
    Rig r(GicVersion::v4_1);
    // Entry_Size[61:59] reads 3 (4 doublewords per entry) from reset, RO.
    EXPECT_EQ(r.rd(0x20070), uint64_t{3} << 59);
    ASSERT_TRUE(r.wr(0x20070, ~uint64_t{0}));
    const uint64_t fields = bits(63, 63) | (uint64_t{3} << 59) | bits(58, 56) | bits(55, 55) | bits(54, 53) | bits(52, 52) |
                            bits(51, 12) | bits(11, 10) | bits(9, 7) | bits(6, 0);
    EXPECT_EQ(r.rd(0x20070), fields);
    ASSERT_TRUE(r.wr(0x20070, 0));
    EXPECT_EQ(r.rd(0x20070), uint64_t{3} << 59);
}

TEST(GicrVirtualFrame, VpropbaserIgnoredWhileValid) {
    Rig r(GicVersion::v4_0);
    r.wr(0x20070, 0x100000 | 15);
    r.owner.vpend = kV;   // a vPE is resident
    r.wr(0x20070, 0x200000 | 15);
    EXPECT_EQ(r.rd(0x20070), 0x100000u | 15);
    EXPECT_EQ(r.owner.ignored_base, 1u);
}

TEST(GicrVirtualFrame, VpendbaserGoesToTheOwner) {
    Rig r(GicVersion::v4_0);
    r.owner.vpend = 0xDEAD0000BEEF0000ull;
    EXPECT_EQ(r.rd(0x20078), 0xDEAD0000BEEF0000ull);
    EXPECT_EQ(r.rd(0x2007C, 4), 0xDEAD0000u);
    ASSERT_TRUE(r.wr(0x20078, kV | 0x300000));
    ASSERT_EQ(r.owner.vpend_writes.size(), 1u);
    EXPECT_EQ(r.owner.vpend_writes[0].first, kV | 0x300000);
    // v4.0 writable: Valid, IDAI, PendingLast, OuterCache, PA[51:16], Shareability, InnerCache (not Dirty).
    const uint64_t w40 = bits(63, 61) | bits(58, 56) | bits(51, 16) | bits(11, 10) | bits(9, 7);
    EXPECT_EQ(r.owner.vpend_writes[0].second, w40);
    // The high half alone: the mask says which bits were reached.
    ASSERT_TRUE(r.wr(0x2007C, 0x80000000u, 4));
    EXPECT_EQ(r.owner.vpend_writes[1].second, w40 & bits(63, 32));
    // A debug access never writes.
    GicrAccess dbg{r.owner, true};
    r.regs.write(dbg, 0x20078, 8, 0);
    EXPECT_EQ(r.owner.vpend_writes.size(), 2u);
}

TEST(GicrVirtualFrame, Vpendbaser41Mask) {
    Rig r(GicVersion::v4_1);
    ASSERT_TRUE(r.wr(0x20078, ~uint64_t{0}));
    // Valid, Doorbell, PendingLast, VGrp0En, VGrp1En, vPEID[15:0].
    EXPECT_EQ(r.owner.vpend_writes[0].second, bits(63, 61) | bits(59, 58) | bits(15, 0));
}

TEST(GicrVirtualFrame, VsgirAndVsgipendr) {
    Rig r(GicVersion::v4_1);
    ASSERT_TRUE(r.wr(0x20080, 0xFFFF0042, 4));
    ASSERT_EQ(r.owner.vsgirs.size(), 1u);
    EXPECT_EQ(r.owner.vsgirs[0], 0x42u);
    EXPECT_EQ(r.rd(0x20080, 4), 0u);   // WO
    r.owner.vsgipendr = 0x80000000u;
    EXPECT_EQ(r.rd(0x20088, 4), 0x80000000u);
    r.owner.vsgipendr = 0x1234;
    EXPECT_EQ(r.rd(0x20088, 4), 0x1234u);
    r.wr(0x20088, 0, 4);   // RO: no effect
    EXPECT_EQ(r.owner.vsgirs.size(), 1u);
}

TEST(GicrVirtualFrame, InvlpirAndInvallrWithV) {
    Rig v41(GicVersion::v4_1);
    ASSERT_TRUE(v41.wr(0xA0, kV | (uint64_t{0x0005} << 32) | 9000));
    ASSERT_TRUE(v41.wr(0xB0, kV | (uint64_t{0x0006} << 32)));
    ASSERT_EQ(v41.owner.invs.size(), 2u);
    EXPECT_EQ(v41.owner.invs[0].vpeid, 5u);
    EXPECT_FALSE(v41.owner.invs[0].all);
    EXPECT_EQ(v41.owner.invs[0].vintid, 9000u);
    EXPECT_EQ(v41.owner.invs[1].vpeid, 6u);
    EXPECT_TRUE(v41.owner.invs[1].all);
    EXPECT_EQ(v41.owner.ignored_inv, 0u);
    EXPECT_FALSE(v41.regs.invalidations_queued());   // nothing physical queued
    // With LPIs disabled too (the vLPI side does not depend on EnableLPIs).
    v41.owner.enabled = false;
    v41.wr(0xB0, kV | (uint64_t{7} << 32));
    EXPECT_EQ(v41.owner.invs.size(), 3u);
    // v4.0 (and v3): V = 1 is ignored as before.
    Rig v40(GicVersion::v4_0);
    v40.wr(0xA0, kV | (uint64_t{0x0005} << 32) | 9000);
    v40.wr(0xB0, kV);
    EXPECT_TRUE(v40.owner.invs.empty());
    EXPECT_EQ(v40.owner.ignored_inv, 2u);
}

}  // namespace
