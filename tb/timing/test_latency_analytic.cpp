// Latencies on an idle whole platform, in both timing modes (the stated
// parameters: latency_stated.h): a hot MSI, a cold MSI, and MAPC MAPD MAPTI
// MOVI INV SYNC and MAPD V=0, each against the sum of its stage costs.
#include "latency_stated.h"

namespace {

// ---------------------------------------------------------------------------
// (a) hot MSI, (b) cold MSI, (c) MAPC MAPD MAPTI MOVI INV SYNC, MAPD V=0
// ---------------------------------------------------------------------------
void analytic(TimingMode mode) {
    Platform pl(mode, kStated);
    const Costs c = pl.costs();
    constexpr uint32_t kDev = 5, kEv = 2, kLpi = 8200;
    const uint64_t itt = ram(pl, 0x100000);
    enum : unsigned { sMapc1 = 1, sMapc2, sMapc0, sMapd, sMapti, sMovi, sInv, sSync, sUnmap };
    pl.sys->expect_msis(2);
    pl.run([&](DriverAgent& d) {
        d.append_command(mapc(1, 1), sMapc1);
        d.append_command(mapc(2, 2), sMapc2);
        d.wait_drained();
        d.advance_to(10 * kUs);
        one(d, mapc(3, 0), sMapc0);
        d.advance_to(20 * kUs);
        one(d, mapd(kDev, itt, 1), sMapd);
        d.advance_to(30 * kUs);
        one(d, mapti(kDev, kEv, kLpi, 1), sMapti);
        d.advance_to(35 * kUs);
        d.set_lpi_config(kLpi, 0x80, true);
        d.advance_to(40 * kUs);
        pl.flush_its_caches(d);   // MAPTI cached the DTE
        d.advance_to(50 * kUs);
        pl.msi(d, kDev, kEv, 1);   // cold
        d.advance_to(60 * kUs);
        pl.msi(d, kDev, kEv, 2);   // hot
        d.advance_to(70 * kUs);
        one(d, movi(kDev, kEv, 2), sMovi);
        d.advance_to(80 * kUs);
        one(d, build::by_event(ItsOpcode::INV, kDev, kEv), sInv);
        d.advance_to(90 * kUs);
        one(d, sync(2), sSync);
        d.advance_to(100 * kUs);
        one(d, mapd(kDev, itt, 1, false), sUnmap);
        d.advance_to(110 * kUs);
    });

    // Every command: CWRITER write -> engine, 32-byte fetch, decode, execute.
    auto check_cmd = [&](unsigned seq, const char* what, uint64_t work) {
        const RunRecords::Command* r = pl.command(seq);
        ASSERT_NE(r, nullptr) << what;
        EXPECT_EQ(r->rec.status, 0u) << what;
        EXPECT_FALSE(r->rec.memory_error) << what;
        EXPECT_EQ(r->rec.fetched_ps, r->issued_ps + c.kick() + c.fetch()) << what;
        EXPECT_EQ(r->rec.done_ps - r->issued_ps, c.kick() + c.fetch() + c.DEC + c.EXE + work) << what;
    };
    // MAPC (flat table): the CTE write.
    check_cmd(sMapc0, "MAPC", c.wr(8));
    // MAPD of an unmapped device: device-cache lookup (miss), old DTE read,
    // new DTE write; no ITT sweep (the old DTE was invalid).
    check_cmd(sMapd, "MAPD", c.LK + c.rd(8) + c.wr(8));
    // MAPTI: DTE lookup (MAPD dropped it: miss + read), ITE write.
    check_cmd(sMapti, "MAPTI", c.LK + c.rd(8) + c.wr(8));
    // MOVI: DTE, ITE, old CTE hit (the MSIs filled them); the new CTE is
    // read (MAPC does not allocate); the LPI is not pending (acknowledged),
    // so the old redistributor clears nothing (pending update only) and the
    // new one gets no message; the ITE is rewritten.
    check_cmd(sMovi, "MOVI", 3 * c.LK + c.LK + c.rd(8) + c.HOP + c.UPD + c.wr(8));
    // INV: three hits, the message, and at the redistributor (LPI not
    // pending there) the invalidating lookup only.
    check_cmd(sInv, "INV", 3 * c.LK + c.HOP + c.RLK);
    // SYNC: the message; no pending-table write is outstanding.
    check_cmd(sSync, "SYNC", c.HOP);
    // MAPD V=0 of a mapped device: DTE hit, DTE write, then the old ITT
    // (2^(1+1) ITEs = 32 bytes, one sweep read) and, for its one valid ITE,
    // the collection lookup (hit), the message and a pending update.
    check_cmd(sUnmap, "MAPD V=0", c.LK + c.wr(8) + c.rd(32) + c.LK + c.HOP + c.UPD);
    const RunRecords::Command* unmap = pl.command(sUnmap);
    ASSERT_NE(unmap, nullptr);
    EXPECT_EQ(unmap->rec.table_reads, 1u);
    EXPECT_EQ(unmap->rec.table_writes, 1u);

    // (b) Cold MSI: every table read, then the property line at the
    // redistributor (configuration-cache miss).
    const RunRecords::Msi& cold = pl.msi_record(1);
    ASSERT_TRUE(cold.reported);
    EXPECT_TRUE(cold.rec.delivered) << cold.rec.reason;
    EXPECT_EQ(cold.rec.intid, kLpi);
    EXPECT_EQ(cold.rec.cpu, 1u);
    EXPECT_EQ(cold.issued_ps, 50 * kUs);
    EXPECT_FALSE(cold.rec.device_hit || cold.rec.event_hit || cold.rec.collection_hit);
    EXPECT_EQ(cold.rec.table_reads, 3u);
    EXPECT_EQ(cold.rec.accepted_ps, cold.issued_ps + c.H);
    EXPECT_EQ(cold.rec.started_ps, cold.rec.accepted_ps + c.ING);
    EXPECT_EQ(cold.rec.device_ps, cold.rec.started_ps + c.LK + c.rd(8));
    EXPECT_EQ(cold.rec.event_ps, cold.rec.device_ps + c.LK + c.rd(8));
    EXPECT_EQ(cold.rec.collection_ps, cold.rec.event_ps + c.LK + c.rd(8));
    EXPECT_EQ(cold.rec.pending_ps, cold.rec.collection_ps + c.HOP + c.RLK + c.prop() + c.UPD);
    EXPECT_EQ(cold.rec.pending_ps - cold.issued_ps,
              c.H + c.ING + 3 * (c.LK + c.rd(8)) + c.HOP + c.RLK + c.prop() + c.UPD);

    // (a) Hot MSI: three hits, a configuration-cache hit.
    const RunRecords::Msi& hot = pl.msi_record(2);
    ASSERT_TRUE(hot.reported);
    EXPECT_TRUE(hot.rec.delivered) << hot.rec.reason;
    EXPECT_TRUE(hot.rec.device_hit && hot.rec.event_hit && hot.rec.collection_hit);
    EXPECT_EQ(hot.rec.table_reads, 0u);
    EXPECT_EQ(hot.issued_ps, 60 * kUs);
    EXPECT_EQ(hot.rec.accepted_ps, hot.issued_ps + c.H);
    EXPECT_EQ(hot.rec.started_ps, hot.rec.accepted_ps + c.ING);
    EXPECT_EQ(hot.rec.device_ps, hot.rec.started_ps + c.LK);
    EXPECT_EQ(hot.rec.event_ps, hot.rec.device_ps + c.LK);
    EXPECT_EQ(hot.rec.collection_ps, hot.rec.event_ps + c.LK);
    EXPECT_EQ(hot.rec.pending_ps, hot.rec.collection_ps + c.HOP + c.RLK + c.UPD);
    EXPECT_EQ(hot.rec.pending_ps - hot.issued_ps, c.H + c.ING + 3 * c.LK + c.HOP + c.RLK + c.UPD);

    // Both were taken: the line rises signal_cycles after the pending
    // update, the CPU acknowledges ack_latency later, EOI after the handler.
    const std::vector<AckRecord> acks = pl.acks(kLpi);
    ASSERT_EQ(acks.size(), 2u);
    for (unsigned i = 0; i < 2; ++i) {
        const uint64_t pending = pl.msi_record(i + 1).rec.pending_ps;
        EXPECT_EQ(acks[i].cpu, 1u);
        EXPECT_EQ(acks[i].signalled_ps, pending + c.SIG) << i;
        EXPECT_EQ(acks[i].t_ps, pending + c.SIG + c.ACK) << i;
        EXPECT_EQ(acks[i].eoi_ps, pending + c.SIG + c.ACK + c.HANDLER) << i;
    }
    EXPECT_EQ(acks[1].t_ps - hot.issued_ps, c.H + c.ING + 3 * c.LK + c.HOP + c.RLK + c.UPD + c.SIG + c.ACK);
}

TEST(TimingAnalytic, IdleLatenciesAccurate) { analytic(TimingMode::accurate); }
TEST(TimingAnalytic, IdleLatenciesFast) { analytic(TimingMode::fast); }

}  // namespace
