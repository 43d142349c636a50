// GICv4 ItsCore, plain C++ (its_virtual_fixture.h): each virtual command
// from its hand-computed words through the queue, its effects in guest
// memory (vPE table entries, ITEs) and the ops the redistributors get;
// physical commands on virtual ITEs; VMOVP's ITSList, sequence and peers.
#include "its_virtual_fixture.h"

namespace {

constexpr uint64_t kV = uint64_t{1} << 63;

// ---------------------------------------------------------------------------
// VMAPP
// ---------------------------------------------------------------------------
TEST_F(VirtTest, VmappWordsWriteTheVte) {
    // VMAPP vPEID 3, RDbase 1, VPT 4 MiB, VPT_size 15, V=1:
    // DW1 vPEID[47:32], DW2 V[63] RDbase[51:16], DW3 VPT_addr[51:16] VPT_size[4:0].
    const auto r = run_words({0x29, uint64_t{3} << 32, kV | (uint64_t{1} << 16), 0x40'0000 | 15});
    ASSERT_TRUE(r.retired);
    EXPECT_EQ(r.record.status, 0u);
    // VTE of vPE 3 at kVt + 3 * 32: Valid, VPT_size 15, VPT; RDbase 1; no
    // VCONF and no default doorbell (GICv4.0).
    EXPECT_EQ(vte_words(3), (VteWords{0x8F00'0000'0040'0000ull, 1, 0, 1023}));
    EXPECT_TRUE(r.record.has_vpe);
    EXPECT_EQ(r.record.vpeid, 3u);
    EXPECT_EQ(r.record.vcpu, 1u);
    EXPECT_TRUE(env.vops.empty());   // nothing to tell a redistributor
    // V=0: the entry is written invalid (all zero); v4.0 sends nothing.
    ASSERT_TRUE(run_words({0x29, uint64_t{3} << 32, 0, 0}).retired);
    EXPECT_EQ(vte_words(3), (VteWords{0, 0, 0, 0}));
    EXPECT_TRUE(env.vops.empty());
}

TEST_F(VirtTest, VmappV41FieldsAndSelfSynchronisingUnmap) {
    make(GicVersion::v4_1);
    // Alloc[8], VCONF_addr 8 MiB in DW0[51:16]; Default_Doorbell 8400 in
    // DW1[31:0]; RDbase 3; VPT of vPE 2 (0x220000), VPT_size 15.
    const auto r = run_words({0x0080'0129, (uint64_t{2} << 32) | 8400, kV | (uint64_t{3} << 16), 0x22'0000 | 15});
    ASSERT_EQ(r.record.status, 0u);
    EXPECT_EQ(vte_words(2), (VteWords{0x8F00'0000'0022'0000ull, 3, 0x80'0000, 8400}));
    EXPECT_TRUE(env.vops.empty());
    // V=0, Alloc=1: the entry goes, and the old redistributor is synced
    // before the command completes (no VSYNC needed, nor allowed after).
    const auto u = run_words({0x0129, uint64_t{2} << 32, 0, 0});
    ASSERT_EQ(u.record.status, 0u);
    EXPECT_EQ(vte_words(2), (VteWords{0, 0, 0, 0}));
    ASSERT_EQ(env.vops.size(), 1u);
    EXPECT_EQ(env.vops[0].op.kind, K::vsync);
    EXPECT_EQ(env.vops[0].rd, 3u);
    EXPECT_EQ(env.vops[0].op.vpe.vpeid, 2u);
    EXPECT_EQ(env.vops[0].op.vpe.vconf_addr, kVconf);
    EXPECT_EQ(env.vops[0].op.vpe.default_doorbell, 8400u);
    // The VSYNC Linux used to send after it names an unmapped vPE.
    EXPECT_EQ(run(by_vpe(ItsOpcode::VSYNC, 2)).status, 0x012514u);
}

TEST_F(VirtTest, TwoLevelVpeTable) {
    // 4K pages: 128 VTEs per level-2 page; vPE 130 is entry 2 of the page
    // level-1 descriptor 1 (at kVt + 8) names.
    make(config(GicVersion::v4_0), vpe_baser(kVt, 1, true));
    env.put64(kVt + 8, encode_l1(true, 0x70000));
    ok(vmapp(130, 2, vpt_of(1), 15));
    EXPECT_EQ(env.get64(0x70000 + 2 * 32), 0x8F00'0000'0021'0000ull);
    EXPECT_EQ(env.get64(0x70000 + 2 * 32 + 8), 2u);
    // Descriptor 0 invalid: the write is discarded, the command succeeds,
    // and the vPE stays unmapped.
    env.clear_logs();
    ok(vmapp(5, 2, vpt_of(5), 15));
    EXPECT_EQ(env.writes(), 0u);
    EXPECT_EQ(run(by_vpe(ItsOpcode::VSYNC, 5)).status, 0x012514u);
    ok(by_vpe(ItsOpcode::VSYNC, 130));
    EXPECT_EQ(env.kinds().back(), std::make_tuple(K::vsync, 2u, 0u));
}

// ---------------------------------------------------------------------------
// VMAPTI, VMAPI
// ---------------------------------------------------------------------------
TEST_F(VirtTest, VmaptiWordsWriteAVirtualIte) {
    ok(mapd(1, kItt0, 4));
    // DeviceID 1 in DW0[63:32]; EventID 3, vPEID 2 in DW1; vINTID 8200 and
    // Dbell_pINTID 8300 in DW2.
    const auto r = run_words({0x0000'0001'0000'002Aull, 0x0000'0002'0000'0003ull, 0x0000'206C'0000'2008ull, 0});
    ASSERT_EQ(r.record.status, 0u);
    EXPECT_EQ(ite_words(kItt0, 3), (IteWords{0x8000'0002'0000'2008ull, 8300}));
    EXPECT_TRUE(r.record.has_vintid);
    EXPECT_EQ(r.record.vintid, 8200u);
    EXPECT_TRUE(env.vops.empty());   // the vPE need not be mapped yet
}

TEST_F(VirtTest, V41ItesCarryNoDoorbell) {
    make(GicVersion::v4_1);
    ok(mapd(1, kItt0, 4));
    ok(vmapti(1, 3, 2, 8200, 8300));
    EXPECT_EQ(ite_words(kItt0, 3), (IteWords{0x8000'0002'0000'2008ull, 1023}));
}

TEST_F(VirtTest, VmapiUsesTheEventIdAsVintid) {
    ok(mapd(5, 0x500000, 13));   // 16384 events of 16 bytes: 256 KiB
    ok(vmapi(5, 8192, 2, 8300));
    EXPECT_EQ(ite_words(0x500000, 8192), (IteWords{0x8000'0002'0000'2000ull, 8300}));
    EXPECT_EQ(run(vmapi(5, 5, 2)).status, 0x012B13u);   // vINTID 5 is no LPI
}

// ---------------------------------------------------------------------------
// Physical commands on a virtual ITE
// ---------------------------------------------------------------------------
TEST_F(VirtTest, IntClearInvDiscardActOnTheVlpi) {
    basic_virtual();
    ok(build::by_event(ItsOpcode::INT, 1, 3));
    ASSERT_EQ(env.vops.size(), 1u);
    const LpiOp& set = env.vops[0].op;
    EXPECT_EQ(set.kind, K::set_vlpi);
    EXPECT_EQ(env.vops[0].rd, 1u);
    EXPECT_EQ(set.intid, 8200u);
    EXPECT_EQ(set.doorbell, 8300u);
    EXPECT_EQ(set.vpe.vpeid, 2u);
    EXPECT_EQ(set.vpe.vpt_addr, vpt_of(2));
    EXPECT_EQ(set.vpe.vpt_size, 15u);
    EXPECT_TRUE(env.rd_ops.empty());   // no physical op
    ok(build::by_event(ItsOpcode::INV, 1, 3));
    ok(build::by_event(ItsOpcode::CLEAR, 1, 3));
    const CommandRecord d = run(build::by_event(ItsOpcode::DISCARD, 1, 3));
    EXPECT_EQ(d.status, 0u);
    EXPECT_TRUE(d.has_vpe && d.has_vintid && d.has_vcpu);
    EXPECT_EQ(d.vcpu, 1u);
    using T = std::tuple<K, unsigned, uint32_t>;
    EXPECT_EQ(env.kinds(), (std::vector<T>{{K::set_vlpi, 1, 8200}, {K::inv_vlpi, 1, 8200},
                                           {K::clear_vlpi, 1, 8200}, {K::clear_vlpi, 1, 8200}}));
    EXPECT_EQ(ite_words(kItt0, 3), (IteWords{0, 0}));   // DISCARD wrote it invalid
    EXPECT_EQ(run(build::by_event(ItsOpcode::INT, 1, 3)).status, cmd_error::kIntUnmappedInterrupt);
}

TEST_F(VirtTest, MsiToAVirtualIte) {
    basic_virtual();
    const MsiRecord r = msi(1, 3);
    EXPECT_TRUE(r.delivered) << r.reason;
    EXPECT_TRUE(r.virt);
    EXPECT_EQ(r.vpeid, 2u);
    EXPECT_EQ(r.vintid, 8200u);
    EXPECT_EQ(r.intid, 8200u);
    EXPECT_EQ(r.doorbell, 8300u);
    EXPECT_EQ(r.cpu, 1u);
    EXPECT_TRUE(r.device_hit);        // VMAPTI's DTE lookup filled the device cache
    EXPECT_FALSE(r.event_hit);
    EXPECT_FALSE(r.collection_hit);   // the vPE cache missed
    ASSERT_EQ(env.vops.size(), 1u);
    EXPECT_EQ(env.vops[0].op.kind, K::set_vlpi);
    EXPECT_EQ(env.vops[0].op.doorbell, 8300u);
    // Table reads: the ITE (16 bytes, one read) and the VTE (32 bytes, one read).
    EXPECT_EQ(r.table_reads, 2u);
    EXPECT_EQ(env.count(ItsAccess::vte, false), 1u);
    // Again: every cache hits, no table read.
    const MsiRecord h = msi(1, 3);
    EXPECT_TRUE(h.device_hit && h.event_hit && h.collection_hit);
    EXPECT_EQ(h.table_reads, 0u);
    EXPECT_EQ(core->vpe_cache_stats().misses, 1u);
    EXPECT_EQ(core->vpe_cache_stats().hits, 1u);
    // Steps: the VTE lookup is a vpe_cache step.
    EXPECT_NE(std::find(env.steps.begin(), env.steps.end(), ItsStep::vpe_cache), env.steps.end());
}

TEST_F(VirtTest, MoviOfAVirtualIteIsAnError) {
    basic_virtual();
    ok(mapc(2, 1));
    EXPECT_EQ(run(movi(1, 3, 2)).status, 0x010110u);
    EXPECT_EQ(ite_words(kItt0, 3), (IteWords{0x8000'0002'0000'2008ull, 8300}));
}

// ---------------------------------------------------------------------------
// VMOVI
// ---------------------------------------------------------------------------
TEST_F(VirtTest, VmoviMovesThePendingVlpi) {
    basic_virtual();
    ok(vmapp(4, 2, vpt_of(4), 15));
    ok(build::by_event(ItsOpcode::INT, 1, 3));
    env.vops.clear();
    // DeviceID 1, EventID 3, vPEID 4, D=1 Dbell_pINTID 8301.
    const auto r = run_words({0x0000'0001'0000'0021ull, 0x0000'0004'0000'0003ull, 0x0000'206D'0000'0001ull, 0});
    ASSERT_EQ(r.record.status, 0u);
    using T = std::tuple<K, unsigned, uint32_t>;
    EXPECT_EQ(env.kinds(), (std::vector<T>{{K::clear_vlpi, 1, 8200}, {K::set_vlpi, 2, 8200}}));
    EXPECT_EQ(env.vops[0].op.vpe.vpeid, 2u);
    EXPECT_EQ(env.vops[1].op.vpe.vpeid, 4u);
    EXPECT_EQ(env.vops[1].op.doorbell, 8301u);
    EXPECT_EQ(ite_words(kItt0, 3), (IteWords{0x8000'0004'0000'2008ull, 8301}));
    // Not pending: only the clear at the old vPE's redistributor.
    env.vops.clear();
    env.vpending.clear();
    ok(vmovi(1, 3, 2, 0, false));   // D=0: the doorbell stays
    EXPECT_EQ(env.kinds(), (std::vector<T>{{K::clear_vlpi, 2, 8200}}));
    EXPECT_EQ(ite_words(kItt0, 3), (IteWords{0x8000'0002'0000'2008ull, 8301}));
}

TEST_F(VirtTest, VmoviToTheSameVpeRewritesTheDoorbell) {
    basic_virtual();
    ok(build::by_event(ItsOpcode::INT, 1, 3));
    env.vops.clear();
    ok(vmovi(1, 3, 2, 1023, true));
    EXPECT_TRUE(env.vops.empty());   // nothing moves
    EXPECT_EQ(ite_words(kItt0, 3), (IteWords{0x8000'0002'0000'2008ull, 1023}));
    const MsiRecord r = msi(1, 3);   // through the updated event cache line
    EXPECT_EQ(r.doorbell, 1023u);
}

// ---------------------------------------------------------------------------
// VMOVP
// ---------------------------------------------------------------------------
TEST_F(VirtTest, VmovpRewritesTheRdbase) {
    basic_virtual();
    EXPECT_TRUE(msi(1, 3).delivered);   // fills the vPE cache
    env.vops.clear();
    // SequenceNumber 0, ITSList 0, vPEID 2, RDbase 3 (DW2[51:16]).
    const auto r = run_words({0x22, uint64_t{2} << 32, uint64_t{3} << 16, 0});
    ASSERT_EQ(r.record.status, 0u);
    EXPECT_EQ(vte_words(2)[1], 3u);
    EXPECT_EQ(core->peek_vpe_cache(2)->rdbase, 3u);   // coherent
    ASSERT_EQ(env.vops.size(), 1u);
    EXPECT_EQ(env.kinds()[0], std::make_tuple(K::vmovp, 3u, 0u));
    env.vops.clear();
    EXPECT_EQ(msi(1, 3).cpu, 3u);
    EXPECT_EQ(env.kinds(), (std::vector<std::tuple<K, unsigned, uint32_t>>{{K::set_vlpi, 3, 8200}}));
    // To the redistributor it already has: nothing to tell.
    env.vops.clear();
    ok(vmovp(1, 0, 2, 3));
    EXPECT_TRUE(env.vops.empty());
}

TEST_F(VirtTest, VmovpV41DefaultDoorbell) {
    make(GicVersion::v4_1);
    ItsCommand m = vmapp(2, 1, vpt_of(2), 15);
    m.default_doorbell = 8400;
    ok(m);
    // DB[63] with RDbase 1 in DW2, Default_Doorbell 8401 in DW3[31:0].
    ASSERT_EQ(run_words({0x22, uint64_t{2} << 32, kV | (uint64_t{1} << 16), 8401}).record.status, 0u);
    EXPECT_EQ(vte_words(2)[3], 8401u);
    ok(vmovp(0, 0, 2, 2, false, 8500));   // DB=0: the default doorbell stays
    EXPECT_EQ(vte_words(2), (VteWords{0x8F00'0000'0022'0000ull, 2, 0, 8401}));
}

TEST_F(VirtTest, VmovpWithItsListAndSequenceNumbers) {
    ItsConfig c = config(GicVersion::v4_0);
    c.vmovp = false;
    c.its_number = 2;
    make(c);
    ok(vmapp(2, 1, vpt_of(2), 15));
    EXPECT_EQ(run(vmovp(5, 0b0010, 2, 3)).status, 0x0122E8u);   // ITS 2 not in ITSList
    ok(vmovp(5, 0b0100, 2, 3));
    EXPECT_EQ(run(vmovp(5, 0b0100, 2, 0)).status, 0x0122E9u);   // the same number again
    EXPECT_EQ(run(vmovp(4, 0b0100, 2, 0)).status, 0x0122E9u);   // an earlier one
    EXPECT_EQ(vte_words(2)[1], 3u);                              // neither moved it
    ok(vmovp(0x7FFF, 0b0110, 2, 0));                              // later, not necessarily next
    EXPECT_EQ(run(vmovp(0xFFFF, 0b0100, 2, 1)).status, 0x0122E9u);   // 0x8000 ahead: behind
    ok(vmovp(0xFFF0, 0b0100, 2, 1));
    ok(vmovp(0x0000, 0b0100, 2, 2));                              // wraps
    EXPECT_EQ(vte_words(2)[1], 2u);
    // With GITS_TYPER.VMOVP = 1 both fields are ignored.
    make(GicVersion::v4_0);
    ok(vmapp(2, 1, vpt_of(2), 15));
    ok(vmovp(5, 0, 2, 3));
    ok(vmovp(5, 0, 2, 0));
}

TEST_F(VirtTest, VmovpUpdatesEveryItsWhenVmovpIsOne) {
    basic_virtual();
    ItsCore other(config(GicVersion::v4_0));
    other.set_redistributors(four_rds());
    other.write_register(gits::BASER0, 8, baser_value(0x90000, 0, 1));
    other.write_register(gits::BASER(2), 8, vpe_baser(kVt2));
    other.write_register(gits::CTLR, 4, 1);
    CommandRecord rec;
    other.execute(vmapp(2, 1, vpt_of(2), 15), env, rec);
    other.execute(vmapp(3, 1, vpt_of(3), 15), env, rec);
    core->set_peers({core.get(), &other});
    ok(vmovp(0, 0, 2, 3));
    EXPECT_EQ(vte_words(2, kVt2)[1], 3u);   // the other ITS's entry moved too
    EXPECT_EQ(vte_words(3, kVt2)[1], 1u);
    // vPE 5 is mapped here only: the other table is left alone.
    ok(vmapp(5, 1, vpt_of(5), 15));
    ok(vmovp(0, 0, 5, 2));
    EXPECT_EQ(vte_words(5, kVt2), (VteWords{0, 0, 0, 0}));
}

// ---------------------------------------------------------------------------
// VSYNC, VINVALL, INVDB, VSGI, GITS_SGIR
// ---------------------------------------------------------------------------
TEST_F(VirtTest, VpeCommandsReachTheVpesRedistributor) {
    make(GicVersion::v4_1);
    ok(vmapp41(2, 1, vpt_of(2), 15));
    ASSERT_EQ(run_words({0x25, uint64_t{2} << 32, 0, 0}).record.status, 0u);   // VSYNC
    ASSERT_EQ(run_words({0x2D, uint64_t{2} << 32, 0, 0}).record.status, 0u);   // VINVALL
    ASSERT_EQ(run_words({0x2E, uint64_t{2} << 32, 0, 0}).record.status, 0u);   // INVDB
    // VSGI vINTID 5 (DW0[35:32]), Priority 0xA0 ([23:20] = 0xA), Group[10],
    // Enable[8].
    ASSERT_EQ(run_words({0x0000'0005'00A0'0523ull, uint64_t{2} << 32, 0, 0}).record.status, 0u);
    using T = std::tuple<K, unsigned, uint32_t>;
    EXPECT_EQ(env.kinds(), (std::vector<T>{{K::vsync, 1, 0}, {K::vinvall, 1, 0}, {K::invdb, 1, 0},
                                           {K::vsgi_config, 1, 5}}));
    const LpiOp& g = env.vops[3].op;
    EXPECT_EQ(g.priority, 0xA0u);
    EXPECT_TRUE(g.group);
    EXPECT_TRUE(g.enable);
    EXPECT_FALSE(g.clear);
    // Clear[9] alone.
    ok(vsgi(2, 5, 0, false, true, false));
    EXPECT_TRUE(env.vops.back().op.clear);
}

TEST_F(VirtTest, GitsSgirSetsAVsgi) {
    make(GicVersion::v4_1);
    ok(vmapp41(2, 1, vpt_of(2), 15));
    // vPEID[47:32] = 2, vINTID[3:0] = 7.
    EXPECT_TRUE(core->write_sgir((uint64_t{2} << 32) | 7, env));
    ASSERT_EQ(env.vops.size(), 1u);
    EXPECT_EQ(env.kinds()[0], std::make_tuple(K::set_vsgi, 1u, 7u));
    EXPECT_EQ(env.vops[0].op.vpe.vpeid, 2u);
    EXPECT_FALSE(core->write_sgir((uint64_t{9} << 32) | 7, env));   // vPE 9 unmapped
    EXPECT_EQ(core->sgir_writes(), 2u);
    EXPECT_EQ(core->vsgis_dropped(), 1u);
    // A GICv4.0 ITS has no GITS_SGIR.
    make(GicVersion::v4_0);
    ok(vmapp(2, 1, vpt_of(2), 15));
    EXPECT_FALSE(core->write_sgir((uint64_t{2} << 32) | 7, env));
}

TEST_F(VirtTest, MapdSweepClearsVirtualItes) {
    basic_virtual();
    ok(build::by_event(ItsOpcode::INT, 1, 3));
    env.vops.clear();
    ok(mapd(1, 0, 0, false));
    using T = std::tuple<K, unsigned, uint32_t>;
    EXPECT_EQ(env.kinds(), (std::vector<T>{{K::clear_vlpi, 1, 8200}}));
    // 32 ITEs of 16 bytes in 64-byte bursts: 8 sweep reads.
    EXPECT_EQ(env.count(ItsAccess::itt_sweep, false), 8u);
}

}  // namespace
