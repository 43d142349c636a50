// ItsCore without a simulation kernel (the fixture: its_core_fixture.h):
// translation and the ITS caches: hits and misses, the commands that
// update or drop cached lines, the fill race, no caches at all.
#include "its_core_fixture.h"

namespace {

// ---------------------------------------------------------------------------
// Translation and caches
// ---------------------------------------------------------------------------
TEST_F(ItsCoreTest, ColdThenHotTranslation) {
    basic_mapping();
    // MAPTI did not allocate the ITE, MAPC did not allocate the CTE; MAPTI's
    // DTE read did fill the device cache.
    env.clear_logs();
    MsiRecord m = msi(1, 3);
    EXPECT_TRUE(m.delivered);
    EXPECT_EQ(m.intid, 8195u);
    EXPECT_EQ(m.cpu, 1u);
    EXPECT_TRUE(m.device_hit);
    EXPECT_FALSE(m.event_hit);
    EXPECT_FALSE(m.collection_hit);
    EXPECT_EQ(m.table_reads, 2u);
    env.clear_logs();
    m = msi(1, 3);
    EXPECT_TRUE(m.delivered && m.device_hit && m.event_hit && m.collection_hit);
    EXPECT_EQ(m.table_reads, 0u);
    EXPECT_TRUE(env.log.empty());
    EXPECT_EQ(env.steps, (std::vector<ItsStep>{ItsStep::device_cache, ItsStep::device_known, ItsStep::event_cache,
                                               ItsStep::event_known, ItsStep::collection_cache,
                                               ItsStep::collection_known, ItsStep::redist_hop,
                                               ItsStep::lpi_pending}));
    EXPECT_EQ(core->msis_delivered(), 2u);
    EXPECT_EQ(core->event_cache_stats().hits, 1u);
}

TEST_F(ItsCoreTest, FullyColdTranslationReadsEveryTable) {
    basic_mapping();
    // Re-enable: the caches empty.
    core->write_register(gits::CTLR, 4, 0);
    core->write_register(gits::CTLR, 4, 1);
    env.clear_logs();
    const MsiRecord m = msi(1, 3);
    EXPECT_TRUE(m.delivered);
    EXPECT_EQ(m.table_reads, 3u);
    ASSERT_EQ(env.log.size(), 3u);
    EXPECT_EQ(env.log[0].addr, kDt + 8);
    EXPECT_EQ(env.log[1].addr, kItt0 + 24);
    EXPECT_EQ(env.log[2].addr, kCt + 16);
}

TEST_F(ItsCoreTest, TranslationDropReasons) {
    basic_mapping();
    EXPECT_EQ(msi(512, 0).reason, "device_out_of_range");
    EXPECT_EQ(msi(2, 0).reason, "device_unmapped");
    EXPECT_EQ(msi(1, 32).reason, "event_out_of_range");
    EXPECT_EQ(msi(1, 0).reason, "interrupt_unmapped");
    ok(mapti(1, 0, 8192, 40));
    EXPECT_EQ(msi(1, 0).reason, "collection_unmapped");
    env.refuse[1] = LpiRefusal::lpis_disabled;
    EXPECT_EQ(msi(1, 3).reason, "lpis_disabled");
    env.refuse[1] = LpiRefusal::out_of_range;
    EXPECT_EQ(msi(1, 3).reason, "intid_out_of_range");
    core->write_register(gits::CTLR, 4, 0);
    const MsiRecord d = msi(1, 3);
    EXPECT_EQ(d.reason, "its_disabled");
    EXPECT_FALSE(d.delivered);
    EXPECT_EQ(core->msis_dropped(), 8u);
}

TEST_F(ItsCoreTest, MaptiOverACachedIteIsSeen) {
    basic_mapping();
    msi(1, 3);
    ASSERT_NE(core->peek_event_cache(1, 3), nullptr);
    ok(mapti(1, 3, 9000, 2));
    EXPECT_EQ(core->peek_event_cache(1, 3)->intid, 9000u);
    const MsiRecord m = msi(1, 3);
    EXPECT_TRUE(m.event_hit);
    EXPECT_EQ(m.intid, 9000u);
}

TEST_F(ItsCoreTest, DiscardThenTranslateIsDropped) {
    basic_mapping();
    msi(1, 3);
    ok(build::by_event(ItsOpcode::DISCARD, 1, 3));
    EXPECT_EQ(core->peek_event_cache(1, 3), nullptr);
    EXPECT_EQ(msi(1, 3).reason, "interrupt_unmapped");
}

TEST_F(ItsCoreTest, MoviUpdatesTheCachedIte) {
    basic_mapping();
    ok(mapc(3, 2));
    msi(1, 3);
    ok(movi(1, 3, 3));
    EXPECT_EQ(core->peek_event_cache(1, 3)->icid, 3);
    const MsiRecord m = msi(1, 3);
    EXPECT_EQ(m.cpu, 2u);
    EXPECT_TRUE(m.event_hit);
}

TEST_F(ItsCoreTest, MapcUpdatesAndInvalidatesTheCachedCte) {
    basic_mapping();
    msi(1, 3);
    ok(mapc(2, 3));
    EXPECT_EQ(core->peek_collection_cache(2)->rdbase, 3u);
    EXPECT_EQ(msi(1, 3).cpu, 3u);
    ok(mapc(2, 0, false));
    EXPECT_EQ(core->peek_collection_cache(2), nullptr);
}

TEST_F(ItsCoreTest, MapdDropsTheDeviceFromTheCaches) {
    basic_mapping();
    ok(mapti(1, 4, 8196, 2));
    msi(1, 3);
    msi(1, 4);
    ASSERT_NE(core->peek_device_cache(1), nullptr);
    ok(mapd(1, kItt1, 4));
    EXPECT_EQ(core->peek_device_cache(1), nullptr);
    EXPECT_EQ(core->peek_event_cache(1, 3), nullptr);
    EXPECT_EQ(core->peek_event_cache(1, 4), nullptr);
}

TEST_F(ItsCoreTest, NoStaleFillWhenACommandRacesATableRead) {
    basic_mapping();
    // While the MSI's ITE read is in flight, a DISCARD of that very event
    // completes. The read returned the old (valid) ITE; the fill must be
    // dropped so the next MSI does not see it.
    bool fired = false;
    env.after_read = [&](const FakeEnv::Access& a) {
        if (a.what != ItsAccess::ite || fired) return;
        fired = true;
        FakeEnv other;   // the command engine's own environment
        other.mem = env.mem;
        CommandRecord rec;
        core->execute(build::by_event(ItsOpcode::DISCARD, 1, 3), other, rec);
        EXPECT_EQ(rec.status, 0u);
        env.mem = other.mem;
    };
    const MsiRecord first = msi(1, 3);
    EXPECT_TRUE(fired);
    EXPECT_TRUE(first.delivered);   // it raced and won
    EXPECT_EQ(core->peek_event_cache(1, 3), nullptr);
    env.after_read = nullptr;
    EXPECT_EQ(msi(1, 3).reason, "interrupt_unmapped");
}

TEST_F(ItsCoreTest, NoCachesMeansNoLookupSteps) {
    ItsConfig cfg;
    cfg.device_cache = {0, 1};
    cfg.event_cache = {0, 1};
    cfg.collection_cache = {0, 1};
    make(cfg);
    basic_mapping();
    env.clear_logs();
    const MsiRecord m = msi(1, 3);
    EXPECT_TRUE(m.delivered);
    EXPECT_EQ(m.table_reads, 3u);
    const MsiRecord m2 = msi(1, 3);
    EXPECT_EQ(m2.table_reads, 3u);
    for (ItsStep s : env.steps) {
        EXPECT_NE(s, ItsStep::device_cache);
        EXPECT_NE(s, ItsStep::event_cache);
        EXPECT_NE(s, ItsStep::collection_cache);
    }
}

}  // namespace
