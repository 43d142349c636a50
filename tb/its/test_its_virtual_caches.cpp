// GICv4 ItsCore, plain C++ (its_virtual_fixture.h): the vPE cache (vPEID ->
// VTE) kept coherent with VMAPP and VMOVP, its statistics, the fill race,
// and the physical commands of a GICv4 ITS on 16-byte ITEs.
#include "its_virtual_fixture.h"

namespace {

TEST_F(VirtTest, VpeCacheFollowsVmapp) {
    basic_virtual();
    EXPECT_TRUE(msi(1, 3).delivered);             // fills vPE 2's line
    ASSERT_NE(core->peek_vpe_cache(2), nullptr);
    EXPECT_EQ(core->peek_vpe_cache(2)->rdbase, 1u);
    // Re-mapped to RD 3 while cached: the line is rewritten, the next MSI
    // goes there without a table read.
    ok(vmapp(2, 3, vpt_of(2), 15));
    EXPECT_EQ(core->peek_vpe_cache(2)->rdbase, 3u);
    env.clear_logs();
    const MsiRecord r = msi(1, 3);
    EXPECT_EQ(r.cpu, 3u);
    EXPECT_TRUE(r.collection_hit);
    EXPECT_EQ(env.count(ItsAccess::vte, false), 0u);
    // Unmapped: the line goes, the MSI is dropped.
    ok(vmapp(2, 0, 0, 0, false));
    EXPECT_EQ(core->peek_vpe_cache(2), nullptr);
    EXPECT_EQ(msi(1, 3).reason, "vpe_unmapped");
    EXPECT_EQ(core->vpe_cache_stats().invalidations, 1u);
}

TEST_F(VirtTest, VpeCacheGeometryAndStatistics) {
    ItsConfig c = config(GicVersion::v4_0);
    c.vpe_cache = {2, 2};   // one set of two ways, least recently used goes
    make(c);
    ok(mapd(1, kItt0, 4));
    for (uint32_t v : {2u, 4u, 5u}) {
        ok(vmapp(v, 1, vpt_of(v), 15));
        ok(vmapti(1, v, v, 8200 + v));
    }
    EXPECT_TRUE(msi(1, 2).delivered);   // miss
    EXPECT_TRUE(msi(1, 2).delivered);   // hit
    EXPECT_TRUE(msi(1, 4).delivered);   // miss: {2, 4}
    EXPECT_TRUE(msi(1, 5).delivered);   // miss, evicts vPE 2 (used before 4): {4, 5}
    EXPECT_TRUE(msi(1, 2).delivered);   // miss, evicts vPE 4
    const CacheStats& s = core->vpe_cache_stats();
    EXPECT_EQ(s.hits, 1u);
    EXPECT_EQ(s.misses, 4u);
    EXPECT_EQ(s.evictions, 2u);
    // No cache: no lookup step, a table read per MSI.
    c.vpe_cache = {0, 1};
    make(c);
    env.clear_logs();
    EXPECT_TRUE(msi(1, 5).delivered);
    EXPECT_TRUE(msi(1, 5).delivered);
    EXPECT_EQ(env.count(ItsAccess::vte, false), 2u);
    EXPECT_EQ(std::count(env.steps.begin(), env.steps.end(), ItsStep::vpe_cache), 0);
    // A GICv3 ITS has no vPE cache at all.
    EXPECT_EQ(ItsCore(ItsConfig{}).vpe_cache_stats().misses, 0u);
}

TEST_F(VirtTest, VteFillRacingAVmovpIsDropped) {
    basic_virtual();
    ok(vmapp(2, 1, vpt_of(2), 15));
    // While the MSI's VTE read is in flight, a VMOVP moves the vPE: the
    // read's (old) entry must not be cached.
    bool once = true;
    env.after_read = [&](const FakeEnv::Access& a) {
        if (a.what != ItsAccess::vte || !once) return;
        once = false;
        CommandRecord rec;
        core->execute(vmovp(0, 0, 2, 3), env, rec);
    };
    const uint64_t dropped = core->fills_dropped();
    const MsiRecord r = msi(1, 3);
    EXPECT_EQ(r.cpu, 1u);   // translated with what it read
    EXPECT_EQ(core->fills_dropped(), dropped + 1);
    // The line is VMOVP's own fill (its lookup), rewritten to RD 3, not
    // the MSI's stale entry.
    ASSERT_NE(core->peek_vpe_cache(2), nullptr);
    EXPECT_EQ(core->peek_vpe_cache(2)->rdbase, 3u);
    env.after_read = nullptr;
    EXPECT_EQ(msi(1, 3).cpu, 3u);
}

TEST_F(VirtTest, PhysicalCommandsOnSixteenByteItes) {
    // The GICv3 flow on a GICv4.0 ITS: the same ops, ITEs at ITT + 16 * EventID.
    ok(mapc(2, 1));
    ok(mapc(3, 2));
    ok(mapd(1, kItt0, 4));
    ok(mapti(1, 3, 8195, 2));
    ok(mapti(1, 7, 8199, 2));
    EXPECT_EQ(ite_words(kItt0, 7), (IteWords{0xC000'0002'0000'2007ull, 0}));
    EXPECT_TRUE(msi(1, 3).delivered);
    ok(build::by_event(ItsOpcode::INT, 1, 7));
    ok(movi(1, 3, 3));
    EXPECT_EQ(ite_words(kItt0, 3), (IteWords{0xC000'0003'0000'2003ull, 0}));
    ok(build::by_event(ItsOpcode::DISCARD, 1, 7));
    EXPECT_EQ(ite_words(kItt0, 7), (IteWords{0, 0}));
    using R = RdOp;
    EXPECT_EQ(env.rd_ops, (std::vector<R>{{"set", 1, 8195}, {"set", 1, 8199}, {"clear", 1, 8195}, {"set", 2, 8195},
                                          {"clear", 1, 8199}}));
    EXPECT_TRUE(env.vops.empty());
    EXPECT_EQ(env.pending[2], (std::set<uint32_t>{8195}));
}

}  // namespace
