// The Its module (its_module_bench.h): analytic latencies of commands and
// MSIs on an idle system in both timing modes, and the outstanding-read
// limit under contention.
#include "its_module_bench.h"

namespace {

// ---------------------------------------------------------------------------
// Analytic latencies: MAPD, MAPTI, cold MSI, hot MSI, MOVI, INV, SYNC.
// ---------------------------------------------------------------------------
TEST_P(ItsModuleModes, AnalyticLatenciesOnAnIdleSystem) {
    Bench b(GetParam());
    const Costs c;
    struct Marks { uint64_t mapd, mapti, cold, hot, movi, inv, sync; } k{};
    b.run([&](Host& h) {
        h.bring_up();
        h.run({mapc(1, 1), mapc(2, 2)});
        h.at(10'000 * kNs);
        h.append(mapd(1, 4));
        h.kick();
        k.mapd = h.last_kick_ps;
        h.drain();
        h.at(20'000 * kNs);
        h.append(mapti(1, 0, 8192, 1));
        h.kick();
        k.mapti = h.last_kick_ps;
        h.drain();
        // Empty the caches (Enabled 1 -> 0 -> 1), then a cold MSI.
        h.at(29'000 * kNs);
        h.wr(kItsBase + gits::CTLR, 0, 4);
        h.wr(kItsBase + gits::CTLR, 1, 4);
        h.at(30'000 * kNs);
        k.cold = ps(h.tl.now());
        h.msi(1, 0, 1);
        h.at(40'000 * kNs);
        k.hot = ps(h.tl.now());
        h.msi(1, 0, 2);
        h.at(50'000 * kNs);
        ItsCommand mv = cmd(ItsOpcode::MOVI);
        mv.device = 1;
        mv.event = 0;
        mv.icid = 2;
        h.append(mv);
        h.kick();
        k.movi = h.last_kick_ps;
        h.drain();
        h.at(60'000 * kNs);
        ItsCommand inv = cmd(ItsOpcode::INV);
        inv.device = 1;
        h.append(inv);
        h.kick();
        k.inv = h.last_kick_ps;
        h.drain();
        h.at(70'000 * kNs);
        ItsCommand sy = cmd(ItsOpcode::SYNC);
        sy.rdbase = 2;
        h.append(sy);
        h.kick();
        k.sync = h.last_kick_ps;
        h.drain();
    });
    ASSERT_EQ(b.cmds.size(), 7u);
    for (auto& r : b.cmds) EXPECT_EQ(r.status, 0u) << to_string(r.cmd);

    // MAPD: fetch, decode, execute, device-cache lookup, old DTE read, DTE write.
    const CommandRecord& mapd_r = b.cmds[2];
    EXPECT_EQ(mapd_r.fetched_ps, k.mapd + c.kick + c.fetch);
    EXPECT_EQ(mapd_r.done_ps, mapd_r.fetched_ps + c.decode + c.execute + c.lookup + c.read8 + c.write8);
    // MAPTI: the DTE (MAPD does not allocate it) then the ITE write.
    const CommandRecord& mapti_r = b.cmds[3];
    EXPECT_EQ(mapti_r.fetched_ps, k.mapti + c.kick + c.fetch);
    EXPECT_EQ(mapti_r.done_ps, mapti_r.fetched_ps + c.decode + c.execute + c.lookup + c.read8 + c.write8);

    // Cold MSI: every table read.
    const MsiRecord* cold = b.msi(1);
    ASSERT_NE(cold, nullptr);
    EXPECT_TRUE(cold->delivered);
    EXPECT_EQ(cold->cpu, 1u);
    EXPECT_EQ(cold->table_reads, 3u);
    EXPECT_EQ(cold->accepted_ps, k.cold + c.hop_bus);
    EXPECT_EQ(cold->started_ps, cold->accepted_ps + c.ingress);
    EXPECT_EQ(cold->device_ps, cold->started_ps + c.lookup + c.read8);
    EXPECT_EQ(cold->event_ps, cold->device_ps + c.lookup + c.read8);
    EXPECT_EQ(cold->collection_ps, cold->event_ps + c.lookup + c.read8);
    EXPECT_EQ(cold->pending_ps, cold->collection_ps + c.hop + c.rd);
    // Hot MSI: three hits.
    const MsiRecord* hot = b.msi(2);
    ASSERT_NE(hot, nullptr);
    EXPECT_TRUE(hot->device_hit && hot->event_hit && hot->collection_hit);
    EXPECT_EQ(hot->pending_ps, k.hot + c.hop_bus + c.ingress + 3 * c.lookup + c.hop + c.rd);

    // MOVI: DTE, ITE and the old CTE hit; the new CTE (ICID 2) is read; the
    // LPI is pending at RD 1 (two MSIs), so it is cleared there and set at
    // RD 2; then the ITE is rewritten.
    const CommandRecord& movi_r = b.cmds[4];
    EXPECT_EQ(movi_r.fetched_ps, k.movi + c.kick + c.fetch);
    EXPECT_EQ(movi_r.done_ps, movi_r.fetched_ps + c.decode + c.execute + 3 * c.lookup + c.lookup + c.read8 +
                                  2 * (c.hop + c.rd) + c.write8);
    EXPECT_EQ(b.rds[2]->pending, std::set<uint32_t>{8192});
    EXPECT_TRUE(b.rds[1]->pending.empty());
    // INV: three hits, one message.
    const CommandRecord& inv_r = b.cmds[5];
    EXPECT_EQ(inv_r.done_ps, k.inv + c.kick + c.fetch + c.decode + c.execute + 3 * c.lookup + c.hop + c.rd);
    // SYNC: one message.
    const CommandRecord& sync_r = b.cmds[6];
    EXPECT_EQ(sync_r.done_ps, k.sync + c.kick + c.fetch + c.decode + c.execute + c.hop + c.rd);
    EXPECT_EQ(b.rds[2]->log.back(), (std::pair<std::string, uint64_t>{"sync", sync_r.done_ps}));
}

INSTANTIATE_TEST_SUITE_P(Modes, ItsModuleModes, ::testing::Values(TimingMode::accurate, TimingMode::fast),
                         [](const ::testing::TestParamInfo<TimingMode>& i) {
                             return i.param == TimingMode::accurate ? std::string("accurate") : std::string("fast");
                         });

// ---------------------------------------------------------------------------
// Contention: N MSIs in the same cycle, every DTE read from memory.
// ---------------------------------------------------------------------------
// No device cache, warm event and collection caches: each MSI makes exactly
// one bus read (its DTE). The writes reach the ITS 2 ns apart (its MMIO
// port is busy register_cycles per access), the memory serves one read at a
// time (51 ns), and at most max_reads reads are in flight.
void contention(unsigned max_reads, std::function<void(const Bench&, uint64_t t0, uint64_t waits0)> check) {
    Bench b(TimingMode::accurate, [&](ItsModuleConfig& cfg) {
        cfg.core.device_cache = {0, 1};
        cfg.translation_slots = 8;
        cfg.max_reads = max_reads;
    });
    uint64_t t0 = 0, waits0 = 0;
    b.run([&](Host& h) {
        h.bring_up();
        std::vector<ItsCommand> setup = {mapc(1, 1)};
        for (uint32_t d = 0; d < 8; ++d) {
            setup.push_back(mapd(d, 1));
            setup.push_back(mapti(d, 0, 8192 + d, 1));
        }
        h.run(setup);
        h.at(10'000 * kNs);
        for (uint32_t d = 0; d < 8; ++d) h.msi(d, 0, 100 + d);   // warm the event and collection caches
        h.at(20'000 * kNs);
        t0 = ps(h.tl.now());
        waits0 = b.its->stats().read_slot_waits;
        for (uint32_t d = 0; d < 8; ++d) h.msi(d, 0, d + 1);
    });
    check(b, t0, waits0);
}

TEST(ItsModuleContention, ReadsSerialiseAtTheMemoryAndAtMostFiveAreInFlight) {
    contention(5, [](const Bench& b, uint64_t t0, uint64_t waits0) {
        const Costs c;
        for (uint32_t k = 1; k <= 8; ++k) {
            const MsiRecord* m = b.msi(k);
            ASSERT_NE(m, nullptr) << k;
            EXPECT_TRUE(m->delivered);
            EXPECT_EQ(m->table_reads, 1u);
            // register_cycles apart through the ITS's MMIO port.
            EXPECT_EQ(m->accepted_ps, t0 + c.hop_bus + (k - 1) * c.reg) << k;
            EXPECT_EQ(m->started_ps, m->accepted_ps + c.ingress);
            // First read reaches the memory at start + hop; then back to back.
            const uint64_t first_end = t0 + c.hop_bus + c.ingress + c.hop_bus + 51 * kNs;
            EXPECT_EQ(m->device_ps, first_end + (k - 1) * 51 * kNs) << k;
            EXPECT_EQ(m->pending_ps, m->device_ps + 2 * c.lookup + c.hop + c.rd) << k;
        }
        EXPECT_EQ(b.max_reads_seen, 5u);
        EXPECT_EQ(b.its->stats().read_slot_waits - waits0, 3u);   // the sixth, seventh and eighth
    });
}

TEST(ItsModuleContention, OneReadInFlightAddsTheBusHopPerRead) {
    contention(1, [](const Bench& b, uint64_t t0, uint64_t waits0) {
        const Costs c;
        for (uint32_t k = 1; k <= 8; ++k) {
            const MsiRecord* m = b.msi(k);
            ASSERT_NE(m, nullptr) << k;
            // Each read is issued when the previous one's response arrives.
            const uint64_t first_end = t0 + c.hop_bus + c.ingress + c.hop_bus + 51 * kNs;
            EXPECT_EQ(m->device_ps, first_end + (k - 1) * (c.hop_bus + 51 * kNs)) << k;
        }
        EXPECT_EQ(b.max_reads_seen, 1u);
        EXPECT_EQ(b.its->stats().read_slot_waits - waits0, 7u);
    });
}

}  // namespace
