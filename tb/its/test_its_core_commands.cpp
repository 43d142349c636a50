// ItsCore without a simulation kernel (the fixture: its_core_fixture.h):
// every command's success path (bytes in memory checked against
// its_tables.h), the KVM review points, RDbase as a physical address
// (PTA = 1), two-level tables.
#include "its_core_fixture.h"

namespace {

// ---------------------------------------------------------------------------
// Success paths, bytes in memory
// ---------------------------------------------------------------------------
TEST_F(ItsCoreTest, MapdWritesDte) {
    const CommandRecord r = run(mapd(5, 0x123400, 4));
    EXPECT_EQ(r.status, 0u);
    EXPECT_EQ(env.get64(kDt + 5 * 8), 0x8000'0000'0012'3404ull);
    EXPECT_EQ(r.table_reads, 1u);    // old DTE
    EXPECT_EQ(r.table_writes, 1u);
    ok(mapd(5, 0, 0, false));        // V=0 writes the DTE invalid
    EXPECT_EQ(env.get64(kDt + 5 * 8), 0u);
}

TEST_F(ItsCoreTest, MapcWritesCte) {
    ok(mapc(2, 3));
    EXPECT_EQ(env.get64(kCt + 2 * 8), 0x8000'0000'0000'0003ull);
    ok(mapc(2, 0, false));
    EXPECT_EQ(env.get64(kCt + 2 * 8), 0u);
}

TEST_F(ItsCoreTest, MaptiAndMapiWriteItes) {
    ok(mapd(1, kItt0, 4));
    env.clear_logs();
    const CommandRecord r = run(mapti(1, 3, 8195, 2));   // ICID need not be mapped
    EXPECT_EQ(r.status, 0u);
    EXPECT_EQ(env.get64(kItt0 + 3 * 8), 0xC000'0002'0000'2003ull);
    EXPECT_EQ(r.table_reads, 1u);    // the DTE (MAPD does not allocate in the device cache)
    EXPECT_EQ(r.table_writes, 1u);
    ASSERT_EQ(env.log.size(), 2u);
    EXPECT_EQ(env.log[0].what, ItsAccess::dte);
    EXPECT_EQ(env.log[0].addr, kDt + 8);
    EXPECT_EQ(env.log[1].what, ItsAccess::ite);
    EXPECT_TRUE(env.log[1].write);
    // The second MAPTI finds the DTE in the device cache: no read.
    EXPECT_EQ(run(mapti(1, 4, 8196, 2)).table_reads, 0u);
    // MAPI: pINTID = EventID, so the ITT must cover EventIDs >= 8192.
    ok(mapd(2, 0x200000, 13));
    ok(mapi(2, 9000, 7));
    EXPECT_EQ(env.get64(0x200000 + 9000 * 8), 0xC000'0007'0000'2328ull);
}

TEST_F(ItsCoreTest, IntClearInvDeliverAtTheCollectionsRd) {
    basic_mapping();
    env.clear_logs();
    ok(build::by_event(ItsOpcode::INT, 1, 3));
    EXPECT_EQ(env.pending[1], std::set<uint32_t>{8195});
    ok(build::by_event(ItsOpcode::INV, 1, 3));
    ok(build::by_event(ItsOpcode::CLEAR, 1, 3));
    EXPECT_TRUE(env.pending[1].empty());
    EXPECT_EQ(env.rd_ops, (std::vector<RdOp>{{"set", 1, 8195}, {"inv", 1, 8195}, {"clear", 1, 8195}}));
    // A redistributor that refuses the LPI does not make INT fail.
    env.refuse[1] = LpiRefusal::lpis_disabled;
    EXPECT_EQ(run(build::by_event(ItsOpcode::INT, 1, 3)).status, 0u);
}

TEST_F(ItsCoreTest, InvallAndSync) {
    ok(mapc(5, 3));
    env.clear_logs();
    ok(invall(5));
    ok(build::sync(2));
    EXPECT_EQ(env.rd_ops, (std::vector<RdOp>{{"invall", 3, 0}, {"sync", 2, 0}}));
    // SYNC naming no redistributor: status 0, nothing to wait for.
    env.clear_logs();
    EXPECT_EQ(run(build::sync(99)).status, 0u);
    EXPECT_TRUE(env.rd_ops.empty());
}

TEST_F(ItsCoreTest, MoviMovesPendingStateAndRewritesIte) {
    basic_mapping();
    ok(mapc(3, 2));
    ok(build::by_event(ItsOpcode::INT, 1, 3));
    env.clear_logs();
    ok(movi(1, 3, 3));
    EXPECT_TRUE(env.pending[1].empty());
    EXPECT_EQ(env.pending[2], std::set<uint32_t>{8195});
    EXPECT_EQ(env.get64(kItt0 + 3 * 8), 0xC000'0003'0000'2003ull);
    EXPECT_EQ(env.rd_ops, (std::vector<RdOp>{{"clear", 1, 8195}, {"set", 2, 8195}}));
    // Not pending: nothing is set at the new RD.
    env.clear_logs();
    ok(build::by_event(ItsOpcode::CLEAR, 1, 3));
    env.clear_logs();
    ok(movi(1, 3, 2));
    EXPECT_EQ(env.rd_ops, (std::vector<RdOp>{{"clear", 2, 8195}}));
    EXPECT_EQ(env.get64(kItt0 + 3 * 8), 0xC000'0002'0000'2003ull);
    // Same RD (two collections on RD 1): only the ICID changes.
    ok(mapc(4, 1));
    env.clear_logs();
    ok(movi(1, 3, 4));
    EXPECT_TRUE(env.rd_ops.empty());
    EXPECT_EQ(env.get64(kItt0 + 3 * 8), 0xC000'0004'0000'2003ull);
}

TEST_F(ItsCoreTest, MovallMovesEveryPendingLpi) {
    env.pending[0] = {8192, 9000, 12345};
    env.pending[3] = {8200};
    ok(movall(0, 3));
    EXPECT_TRUE(env.pending[0].empty());
    EXPECT_EQ(env.pending[3], (std::set<uint32_t>{8192, 8200, 9000, 12345}));
    env.clear_logs();
    ok(movall(3, 3));   // same RD: no-op
    EXPECT_TRUE(env.rd_ops.empty());
    EXPECT_EQ(env.pending[3].size(), 4u);
}

TEST_F(ItsCoreTest, DiscardFreesPendingStateAndTheEntry) {
    basic_mapping();
    ok(build::by_event(ItsOpcode::INT, 1, 3));
    ok(build::by_event(ItsOpcode::DISCARD, 1, 3));
    EXPECT_TRUE(env.pending[1].empty());
    EXPECT_EQ(env.get64(kItt0 + 3 * 8), 0u);
    const MsiRecord m = msi(1, 3);
    EXPECT_FALSE(m.delivered);
    EXPECT_EQ(m.reason, "interrupt_unmapped");
    EXPECT_EQ(run(build::by_event(ItsOpcode::INT, 1, 3)).status, cmd_error::kIntUnmappedInterrupt);
}

TEST_F(ItsCoreTest, MapdRemapDropsTheOldInterrupts) {
    basic_mapping();
    ok(mapc(3, 2));
    ok(mapti(1, 7, 8300, 3));
    ok(mapti(1, 9, 8301, 9));   // collection 9 never mapped: skipped by the sweep
    ok(build::by_event(ItsOpcode::INT, 1, 3));
    ok(build::by_event(ItsOpcode::INT, 1, 7));
    env.pending[2].insert(9999);   // someone else's LPI stays
    env.clear_logs();
    const CommandRecord r = run(mapd(1, kItt1, 2));   // re-map to a new ITT
    EXPECT_EQ(r.status, 0u);
    EXPECT_TRUE(env.pending[1].empty());
    EXPECT_EQ(env.pending[2], std::set<uint32_t>{9999});
    EXPECT_EQ(env.get64(kDt + 8), 0x8000'0000'0010'1002ull);
    // The old ITT (32 entries = 256 bytes) was swept in 64-byte bursts.
    EXPECT_EQ(env.count(ItsAccess::itt_sweep, false), 4u);
    // The old mapping is gone: event 3 is unmapped in the new, empty ITT.
    EXPECT_EQ(msi(1, 3).reason, "interrupt_unmapped");
    // MAPD V=0 also drops a device's interrupts.
    ok(mapti(1, 1, 8400, 2));
    ok(build::by_event(ItsOpcode::INT, 1, 1));
    ok(mapd(1, 0, 0, false));
    EXPECT_TRUE(env.pending[1].empty());
    EXPECT_EQ(env.get64(kDt + 8), 0u);
    EXPECT_EQ(msi(1, 1).reason, "device_unmapped");
}

TEST_F(ItsCoreTest, MapcInvalidThenValidRestoresDelivery) {
    basic_mapping();
    ok(mapc(2, 0, false));
    EXPECT_EQ(msi(1, 3).reason, "collection_unmapped");
    EXPECT_EQ(run(build::by_event(ItsOpcode::INT, 1, 3)).status, cmd_error::kIntUnmappedInterrupt);
    ok(mapc(2, 3));
    const MsiRecord m = msi(1, 3);
    EXPECT_TRUE(m.delivered);
    EXPECT_EQ(m.cpu, 3u);
    EXPECT_EQ(m.intid, 8195u);
}

TEST_F(ItsCoreTest, InvAndInvallReachTheRedistributor) {
    basic_mapping();
    env.clear_logs();
    ok(build::by_event(ItsOpcode::INV, 1, 3));
    ok(invall(2));
    EXPECT_EQ(env.rd_ops, (std::vector<RdOp>{{"inv", 1, 8195}, {"invall", 1, 0}}));
}

// ---------------------------------------------------------------------------
// PTA = 1
// ---------------------------------------------------------------------------
TEST(ItsCorePta, RdbaseIsThePhysicalAddress) {
    ItsConfig cfg;
    cfg.pta = true;
    ItsCore core(cfg);
    FakeEnv env;
    core.set_redistributors(four_rds());
    core.write_register(gits::BASER0, 8, baser_value(kDt, 0, 1));
    core.write_register(gits::BASER0 + 8, 8, baser_value(kCt, 0, 1));
    core.write_register(gits::CTLR, 4, 1);
    CommandRecord r;
    core.execute(mapc(1, 2), env, r);   // a processor number means nothing now
    EXPECT_EQ(r.status, cmd_error::kMapcRdbaseOutOfRange);
    core.execute(mapc(1, rd_base_of(2) >> 16), env, r);
    EXPECT_EQ(r.status, 0u);
    core.execute(mapd(0, kItt0, 1), env, r);
    core.execute(mapti(0, 0, 8192, 1), env, r);
    MsiRecord m;
    core.translate(0, 0, env, m);
    EXPECT_TRUE(m.delivered);
    EXPECT_EQ(m.cpu, 2u);
    EXPECT_EQ(env.pending[2], std::set<uint32_t>{8192});
}

// ---------------------------------------------------------------------------
// Two-level tables
// ---------------------------------------------------------------------------
class ItsCoreTwoLevel : public ItsCoreTest, public ::testing::WithParamInterface<unsigned> {};

TEST_P(ItsCoreTwoLevel, DeviceAndCollectionTables) {
    const unsigned code = GetParam();
    const uint64_t page = code == 0 ? 4096 : code == 1 ? 16384 : 65536;
    const uint64_t per = page / 8;
    const uint64_t l1_dev = 0x400000, l1_col = 0x410000;
    const uint64_t l2_dev = 0x500000, l2_col = 0x600000;   // 64K aligned
    make(ItsConfig{}, baser_value(l1_dev, code, 1, true), baser_value(l1_col, code, 1, true));
    ASSERT_TRUE(core->device_table().indirect);
    ASSERT_EQ(core->device_table().page_bytes, page);
    // max DeviceIDs = min(2^16, page/8 descriptors * page/8 entries).
    EXPECT_EQ(core->max_device_ids(), std::min<uint64_t>(65536, per * per));
    const uint32_t dev = static_cast<uint32_t>(per + 3);   // second level-2 page
    const uint32_t icid = static_cast<uint32_t>(std::min<uint64_t>(per + 1, 65535));
    // Level-1 descriptors invalid: writes discarded, lookups see nothing.
    env.clear_logs();
    ok(mapd(dev, kItt0, 4));
    EXPECT_EQ(env.writes(), 0u);
    EXPECT_EQ(env.log.size(), 1u);
    EXPECT_EQ(env.log[0].what, ItsAccess::device_l1);
    EXPECT_EQ(env.log[0].addr, l1_dev + 8);
    EXPECT_EQ(run(mapti(dev, 0, 8192, icid)).status, cmd_error::kMaptiUnmappedDevice);
    EXPECT_EQ(msi(dev, 0).reason, "device_unmapped");
    ok(mapc(icid, 1));
    EXPECT_EQ(env.writes(), 0u);
    // Valid descriptors: entries land in the level-2 pages.
    env.put64(l1_dev + 8, encode_l1(true, l2_dev));
    env.put64(l1_col + (icid / per) * 8, encode_l1(true, l2_col));
    ok(mapd(dev, kItt0, 4));
    EXPECT_EQ(env.get64(l2_dev + 3 * 8), 0x8000'0000'0010'0004ull);
    ok(mapc(icid, 1));
    EXPECT_EQ(env.get64(l2_col + (icid % per) * 8), 0x8000'0000'0000'0001ull);
    ok(mapti(dev, 0, 8192, icid));
    env.clear_logs();
    const MsiRecord m = msi(dev, 0);
    EXPECT_TRUE(m.delivered);
    EXPECT_EQ(m.cpu, 1u);
    // MAPTI's DTE lookup (L1 + DTE) filled the device cache; MAPC did not
    // allocate the CTE.
    EXPECT_TRUE(m.device_hit);
    EXPECT_FALSE(m.event_hit);
    EXPECT_EQ(m.table_reads, 3u);   // ITE, collection L1, CTE
    // Out of range past the table's capacity.
    if (per * per < 65536) {
        EXPECT_EQ(run(mapd(static_cast<uint32_t>(per * per), kItt0, 1)).status, cmd_error::kMapdDeviceOutOfRange);
    }
}
INSTANTIATE_TEST_SUITE_P(PageSizes, ItsCoreTwoLevel, ::testing::Values(0u, 1u, 2u));

}  // namespace
