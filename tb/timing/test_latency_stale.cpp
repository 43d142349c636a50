// Stale LPI configuration: a change in memory is invisible until INV and
// SYNC, in both timing modes (latency_stated.h).
#include "latency_stated.h"

namespace {

// ---------------------------------------------------------------------------
// Stale configuration: memory changes are invisible until INV (+ SYNC)
// ---------------------------------------------------------------------------
void stale(TimingMode mode) {
    Platform pl(mode, kStated);
    const Costs c = pl.costs();
    // One LPI per redistributor and per 16-byte property line.
    constexpr uint32_t kX = 8200, kY = 8300, kZ = 8400;   // on CPU 1, 2, 0
    constexpr uint32_t kDx = 1, kDy = 2, kDz = 3;
    enum : unsigned { sInvX = 100, sSyncX, sInvY, sSyncY, sClearZ, sSyncZ0, sInvZ, sSyncZ };
    unsigned tag = 0;
    uint64_t t_x_disabled = 0;
    pl.sys->expect_msis(9);
    pl.run([&](DriverAgent& d) {
        d.append_command(mapc(1, 1), 1);
        d.append_command(mapc(2, 2), 2);
        d.append_command(mapc(3, 0), 3);
        d.append_command(mapd(kDx, ram(pl, 0x100000), 0), 4);
        d.append_command(mapd(kDy, ram(pl, 0x101000), 0), 5);
        d.append_command(mapd(kDz, ram(pl, 0x102000), 0), 6);
        d.append_command(mapti(kDx, 0, kX, 1), 7);
        d.append_command(mapti(kDy, 0, kY, 2), 8);
        d.append_command(mapti(kDz, 0, kZ, 3), 9);
        d.wait_drained();

        // X: enabled and cached; disabled in memory without INV.
        d.set_lpi_config(kX, 0x80, true);
        d.advance_to(10 * kUs);
        pl.msi(d, kDx, 0, ++tag);   // 1: taken
        d.advance_to(20 * kUs);
        d.set_lpi_config(kX, 0x80, false);
        t_x_disabled = d.now_ps();
        d.advance_to(30 * kUs);
        pl.msi(d, kDx, 0, ++tag);   // 2: still taken (cached enable)
        d.advance_to(40 * kUs);
        d.append_command(build::by_event(ItsOpcode::INV, kDx, 0), sInvX);
        d.append_command(sync(1), sSyncX);
        d.wait_drained();
        d.advance_to(50 * kUs);
        pl.msi(d, kDx, 0, ++tag);   // 3: pending, not taken

        // Y: disabled, made pending; enabled in memory without INV.
        d.set_lpi_config(kY, 0x40, false);
        d.advance_to(60 * kUs);
        pl.msi(d, kDy, 0, ++tag);   // 4: pending, not taken
        d.advance_to(70 * kUs);
        d.set_lpi_config(kY, 0x40, true);
        d.advance_to(80 * kUs);
        pl.msi(d, kDy, 0, ++tag);   // 5: already pending, still not taken
        d.advance_to(90 * kUs);
        d.append_command(build::by_event(ItsOpcode::INV, kDy, 0), sInvY);   // now taken
        d.append_command(sync(2), sSyncY);
        d.wait_drained();

        // Z: disabled and cached, not pending; enabled in memory without INV.
        d.set_lpi_config(kZ, 0x20, false);
        d.advance_to(100 * kUs);
        pl.msi(d, kDz, 0, ++tag);   // 6: pending, not taken (caches the disabled byte)
        d.advance_to(110 * kUs);
        d.append_command(build::by_event(ItsOpcode::CLEAR, kDz, 0), sClearZ);
        d.append_command(sync(0), sSyncZ0);
        d.wait_drained();
        d.set_lpi_config(kZ, 0x20, true);
        d.advance_to(120 * kUs);
        pl.msi(d, kDz, 0, ++tag);   // 7: newly pending, cached disable: not taken
        d.advance_to(130 * kUs);
        d.append_command(build::by_event(ItsOpcode::INV, kDz, 0), sInvZ);   // now taken
        d.append_command(sync(0), sSyncZ);
        d.wait_drained();
        d.advance_to(140 * kUs);
        pl.msi(d, kDz, 0, ++tag);   // 8: taken again
        d.advance_to(150 * kUs);
    });
    for (unsigned t = 1; t <= tag; ++t) {
        ASSERT_TRUE(pl.msi_record(t).reported) << t;
        EXPECT_TRUE(pl.msi_record(t).rec.delivered) << t << " " << pl.msi_record(t).rec.reason;
    }
    for (unsigned s : {unsigned(sInvX), unsigned(sSyncX), unsigned(sInvY), unsigned(sSyncY), unsigned(sClearZ),
                       unsigned(sSyncZ0), unsigned(sInvZ), unsigned(sSyncZ)}) {
        ASSERT_NE(pl.command(s), nullptr) << s;
        EXPECT_EQ(pl.command(s)->rec.status, 0u) << s;
    }
    auto after_collection = [&](unsigned t) {
        const MsiRecord& m = pl.msi_record(t).rec;
        return m.pending_ps - m.collection_ps;
    };

    // X: taken twice; the second time from the cached byte (no read) although
    // memory said disabled since t_x_disabled.
    const std::vector<AckRecord> ax = pl.acks(kX);
    ASSERT_EQ(ax.size(), 2u);
    EXPECT_GT(pl.msi_record(2).issued_ps, t_x_disabled);
    EXPECT_EQ(after_collection(2), c.HOP + c.RLK + c.UPD);
    EXPECT_EQ(ax[1].t_ps, pl.msi_record(2).rec.pending_ps + c.SIG + c.ACK);
    // After INV + SYNC the byte is read again (a miss) and says disabled.
    EXPECT_EQ(after_collection(3), c.HOP + c.RLK + c.prop() + c.UPD);
    EXPECT_TRUE(pl.sys->redist(1).lpis().is_pending(kX));
    ASSERT_TRUE(pl.sys->redist(1).lpis().pending_config(kX).has_value());
    EXPECT_EQ(*pl.sys->redist(1).lpis().pending_config(kX) & lpi::kPropEnable, 0);
    // INV of a non-pending LPI: the invalidating lookup only.
    const RunRecords::Command* inv_x = pl.command(sInvX);
    EXPECT_EQ(inv_x->rec.done_ps - inv_x->issued_ps,
              c.kick() + c.fetch() + c.DEC + c.EXE + 3 * c.LK + c.HOP + c.RLK);

    // Y: not taken while only memory said enabled; taken once INV re-read
    // the byte of the pending LPI: the line rises signal_cycles after INV's
    // pending update, which is where the INV command completes.
    const std::vector<AckRecord> ay = pl.acks(kY);
    ASSERT_EQ(ay.size(), 1u);
    const RunRecords::Command* inv_y = pl.command(sInvY);
    EXPECT_GT(ay[0].t_ps, inv_y->issued_ps);
    EXPECT_EQ(inv_y->rec.done_ps - inv_y->issued_ps,
              c.kick() + c.fetch() + c.DEC + c.EXE + 3 * c.LK + c.HOP + c.RLK + c.prop() + c.UPD);
    EXPECT_EQ(ay[0].t_ps, inv_y->rec.done_ps + c.SIG + c.ACK);
    EXPECT_EQ(ay[0].signalled_ps, inv_y->rec.done_ps + c.SIG);
    EXPECT_FALSE(pl.sys->redist(2).lpis().is_pending(kY));

    // Z: the second MSI found the disabled byte in the cache (no read).
    EXPECT_EQ(after_collection(7), c.HOP + c.RLK + c.UPD);
    const std::vector<AckRecord> az = pl.acks(kZ);
    ASSERT_EQ(az.size(), 2u);
    const RunRecords::Command* inv_z = pl.command(sInvZ);
    EXPECT_GT(az[0].t_ps, inv_z->issued_ps);
    EXPECT_EQ(az[0].t_ps, inv_z->rec.done_ps + c.SIG + c.ACK);
    // Afterwards the enabled byte is cached: a hit.
    EXPECT_EQ(after_collection(8), c.HOP + c.RLK + c.UPD);
    EXPECT_EQ(az[1].t_ps, pl.msi_record(8).rec.pending_ps + c.SIG + c.ACK);
}

TEST(TimingStaleConfig, MemoryChangesNeedInvAccurate) { stale(TimingMode::accurate); }
TEST(TimingStaleConfig, MemoryChangesNeedInvFast) { stale(TimingMode::fast); }

}  // namespace
