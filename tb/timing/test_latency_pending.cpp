// The pending state in time (latency_stated.h): a posted pending-table
// write meeting the poster's next access (SYNC, MOVI); the lazy pending
// table, written back by SYNC; no acknowledge of an LPI before it is
// pending. Both timing modes.
#include "latency_stated.h"

#include <algorithm>

namespace {

// ---------------------------------------------------------------------------
// Posted pending-table writes meeting the poster's next access
// ---------------------------------------------------------------------------
// redistributor.h (through): a change of pending state posts the byte to
// the write buffer, whose writes "start at the poster's time"; "a posted
// write reaches the bus before the poster's next access of the same
// instant". So when the poster's next bus access leaves at that same time,
// both reach the memory in one cycle and the write goes first.
// its.h promises identical time stamps in both modes on an idle system.
struct PostedCase {
    uint64_t int_done = 0;            // INT: issued -> done
    uint64_t sync_done[2] = {0, 0};   // SYNC after it: INT done -> SYNC done (fetch first, write first)
    uint64_t movi_done[2] = {0, 0};   // MOVI of a pending LPI: issued -> done (ITE write first, RD write first)
};

PostedCase posted_expectations(const Costs& c) {
    PostedCase e;
    const uint64_t wbyte = c.WL + c.beats(1);   // memory service of a pending-table byte
    const uint64_t start = c.kick() + c.fetch() + c.DEC + c.EXE;
    // INT, everything cached, LPI not pending: the redistributor looks the
    // byte up (hit) and updates; the write is posted then.
    e.int_done = start + 3 * c.LK + c.HOP + c.RLK + c.UPD;
    // SYNC's fetch and the write both reach the memory H after INT's end.
    const uint64_t tail = c.DEC + c.EXE + c.HOP;
    e.sync_done[0] = std::max(c.fetch() + tail, c.fetch() + wbyte);
    e.sync_done[1] = c.H + wbyte + c.RL + c.beats(32) + tail;
    // MOVI of an LPI pending at RD 1 (byte cached there) to a collection on
    // RD 2 (CTE not cached, byte not cached at RD 2).
    const uint64_t cleared = start + 3 * c.LK + c.LK + c.rd(8) + c.HOP + c.UPD;   // RD 1 posts its write
    const uint64_t old_write_end = cleared + c.H + wbyte;
    const uint64_t prop_arrival = cleared + c.HOP + c.RLK + c.H;
    const uint64_t set = std::max(prop_arrival, old_write_end) + c.RL + c.beats(c.line) + c.UPD;   // RD 2 posts
    e.movi_done[0] = set + c.wr(8);
    e.movi_done[1] = set + c.H + wbyte + c.WL + c.beats(8);
    return e;
}

void posted_writes(TimingMode mode) {
    Platform pl(mode, kStated, PendingTablePolicy::through);
    const Costs c = pl.costs();
    const PostedCase e = posted_expectations(c);
    constexpr uint32_t kDev = 7, kLpi = 8200;
    enum : unsigned { sClear = 20, sSync0, sInt, sSync, sMovi };
    pl.sys->expect_msis(2);
    pl.run([&](DriverAgent& d) {
        d.append_command(mapc(1, 1), 1);
        d.append_command(mapc(2, 2), 2);
        d.append_command(mapd(kDev, ram(pl, 0x100000), 0), 3);
        d.append_command(mapti(kDev, 0, kLpi, 1), 4);
        d.wait_drained();
        d.set_lpi_config(kLpi, 0x80, false);   // disabled: pending, never taken
        d.advance_to(10 * kUs);
        pl.msi(d, kDev, 0, 1);   // fills every cache, makes it pending
        d.advance_to(20 * kUs);
        d.append_command(build::by_event(ItsOpcode::CLEAR, kDev, 0), sClear);
        d.append_command(sync(1), sSync0);
        d.wait_drained();
        d.advance_to(30 * kUs);
        d.append_command(build::by_event(ItsOpcode::INT, kDev, 0), sInt);
        d.append_command(sync(1), sSync);
        d.wait_drained();
        d.advance_to(40 * kUs);
        d.append_command(movi(kDev, 0, 2), sMovi);
        d.wait_drained();
        d.advance_to(50 * kUs);
    });
    const RunRecords::Command* i = pl.command(sInt);
    const RunRecords::Command* s = pl.command(sSync);
    const RunRecords::Command* m = pl.command(sMovi);
    ASSERT_TRUE(i && s && m);
    EXPECT_EQ(i->rec.done_ps - i->issued_ps, e.int_done);
    // The posted write goes first: SYNC's fetch queues behind it.
    const uint64_t sync_after = s->rec.done_ps - i->rec.done_ps;
    EXPECT_EQ(sync_after, e.sync_done[1]) << "(" << e.sync_done[0] << " would be the fetch first)";
    // RD 2's posted write goes before the ITE write.
    const uint64_t movi = m->rec.done_ps - m->issued_ps;
    EXPECT_EQ(movi, e.movi_done[1]) << "(" << e.movi_done[0] << " would be the ITE write first)";
    EXPECT_NE(e.sync_done[0], e.sync_done[1]);   // the parameters tell the orders apart
    EXPECT_NE(e.movi_done[0], e.movi_done[1]);
    EXPECT_TRUE(pl.sys->redist(2).lpis().is_pending(kLpi));
    EXPECT_FALSE(pl.sys->redist(1).lpis().is_pending(kLpi));
}

TEST(TimingPostedWrite, SyncAndMoviAfterAPostedWriteAccurate) { posted_writes(TimingMode::accurate); }
TEST(TimingPostedWrite, SyncAndMoviAfterAPostedWriteFast) { posted_writes(TimingMode::fast); }

// ---------------------------------------------------------------------------
// Lazy pending table: nothing written until a SYNC, which pays for it
// ---------------------------------------------------------------------------
// redistributor.h (lazy): changes of pending state write nothing; a SYNC to
// the redistributor writes back the bytes that differ from memory on the
// ITS's timeline, after its message. The same scenario as above: nothing
// is posted, so every time is exact, in both modes.
void lazy_pending_table(TimingMode mode) {
    Platform pl(mode, kStated, PendingTablePolicy::lazy);
    const Costs c = pl.costs();
    ASSERT_EQ(c.pending_table, PendingTablePolicy::lazy);
    constexpr uint32_t kDev = 7, kLpi = 8200, kLpi2 = 8201;   // one pending-table byte
    enum : unsigned { sClear = 20, sSync0, sInt, sSync, sMovi, sSync1, sSync2, sInt2, sInt3, sSync2b };
    const uint64_t byte = kLpi / 8;
    std::vector<std::pair<uint8_t, uint8_t>> mem;   // (RD 1, RD 2) bytes after each SYNC
    auto snapshot = [&] {
        const uint64_t ram_base = pl.p.integer("ram.base");
        std::pair<uint8_t, uint8_t> b{0xEE, 0xEE};
        EXPECT_TRUE(pl.sys->ram().store().read(pl.driver().pend_table(1) + byte - ram_base, &b.first, 1));
        EXPECT_TRUE(pl.sys->ram().store().read(pl.driver().pend_table(2) + byte - ram_base, &b.second, 1));
        mem.push_back(b);
    };
    uint64_t writes_before_sync = 99;
    pl.sys->expect_msis(1);
    pl.run([&](DriverAgent& d) {
        d.append_command(mapc(1, 1), 1);
        d.append_command(mapc(2, 2), 2);
        d.append_command(mapd(kDev, ram(pl, 0x100000), 1), 3);
        d.append_command(mapti(kDev, 0, kLpi, 1), 4);
        d.append_command(mapti(kDev, 1, kLpi2, 2), 5);
        d.wait_drained();
        d.set_lpi_config(kLpi, 0x80, false);    // disabled: pending, never taken
        d.set_lpi_config(kLpi2, 0x80, false);
        d.advance_to(10 * kUs);
        pl.msi(d, kDev, 0, 1);   // fills every cache, makes it pending
        d.advance_to(20 * kUs);
        d.append_command(build::by_event(ItsOpcode::CLEAR, kDev, 0), sClear);   // set, cleared: nothing to write
        d.append_command(sync(1), sSync0);
        d.wait_drained();
        d.advance_to(30 * kUs);
        d.append_command(build::by_event(ItsOpcode::INT, kDev, 0), sInt);
        d.wait_drained();
        d.advance_to(35 * kUs);
        writes_before_sync = pl.sys->redist(1).lpis().stats().pending_writes;
        d.append_command(sync(1), sSync);
        d.wait_drained();
        snapshot();   // 0: RD 1 holds it
        d.advance_to(40 * kUs);
        d.append_command(movi(kDev, 0, 2), sMovi);
        d.wait_drained();
        d.advance_to(50 * kUs);
        d.append_command(sync(1), sSync1);
        d.append_command(sync(2), sSync2);
        d.wait_drained();
        snapshot();   // 1: moved
        d.advance_to(60 * kUs);
        d.append_command(build::by_event(ItsOpcode::INT, kDev, 1), sInt2);   // 8201 at RD 2: same byte
        d.append_command(build::by_event(ItsOpcode::INT, kDev, 0), sInt3);   // already pending there
        d.append_command(sync(2), sSync2b);
        d.wait_drained();
        snapshot();   // 2: both bits
        d.advance_to(70 * kUs);
    });
    auto done = [&](unsigned seq) {
        const RunRecords::Command* r = pl.command(seq);
        EXPECT_NE(r, nullptr) << seq;
        if (r) {
            EXPECT_EQ(r->rec.status, 0u) << seq;
        }
        return r ? r->rec.done_ps : 0;
    };
    auto took = [&](unsigned seq) {
        const RunRecords::Command* r = pl.command(seq);
        return r ? r->rec.done_ps - r->issued_ps : 0;
    };
    const uint64_t start = c.kick() + c.fetch() + c.DEC + c.EXE;
    // CLEAR of the LPI the MSI made pending: the byte is back to what memory
    // holds, so the SYNC right behind it has nothing to write.
    EXPECT_EQ(done(sSync0) - done(sClear), c.fetch() + c.DEC + c.EXE + c.HOP);
    // INT: hits, the lookup at RD 1 (cached), the update; nothing written.
    EXPECT_EQ(took(sInt), start + 3 * c.LK + c.HOP + c.RLK + c.UPD);
    EXPECT_EQ(writes_before_sync, 0u);
    // SYNC: the message, then RD 1 writes the byte back.
    EXPECT_EQ(took(sSync), start + c.HOP + c.lazy_writeback({1}));
    // MOVI: DTE, ITE, old CTE hits, the new CTE read; RD 1 clears (update),
    // RD 2 sets (lookup, its property line, update); the ITE write. No
    // pending-table write on the way.
    EXPECT_EQ(took(sMovi), start + 3 * c.LK + c.LK + c.rd(8) + c.HOP + c.UPD + c.HOP + c.RLK + c.prop() + c.UPD +
                               c.wr(8));
    // Each SYNC writes its redistributor's byte back.
    EXPECT_EQ(took(sSync1), start + c.HOP + c.lazy_writeback({1}));
    EXPECT_EQ(done(sSync2) - done(sSync1), c.fetch() + c.DEC + c.EXE + c.HOP + c.lazy_writeback({1}));
    // Two LPIs of one byte: one write.
    EXPECT_EQ(done(sSync2b) - done(sInt3), c.fetch() + c.DEC + c.EXE + c.HOP + c.lazy_writeback({1}));
    const uint8_t bit = uint8_t(1u << (kLpi % 8)), bit2 = uint8_t(1u << (kLpi2 % 8));
    ASSERT_EQ(mem.size(), 3u);
    EXPECT_EQ(mem[0], std::make_pair(bit, uint8_t(0)));
    EXPECT_EQ(mem[1], std::make_pair(uint8_t(0), bit));
    EXPECT_EQ(mem[2], std::make_pair(uint8_t(0), uint8_t(bit | bit2)));
    EXPECT_EQ(pl.sys->redist(1).lpis().stats().pending_writes, 2u);
    EXPECT_EQ(pl.sys->redist(2).lpis().stats().pending_writes, 2u);
    EXPECT_EQ(pl.sys->redist(1).stats().lazy_flushes, 2u);
    EXPECT_EQ(pl.sys->redist(2).stats().lazy_flushes, 2u);
}

TEST(TimingLazyPendingTable, WrittenBackBySyncAccurate) { lazy_pending_table(TimingMode::accurate); }
TEST(TimingLazyPendingTable, WrittenBackBySyncFast) { lazy_pending_table(TimingMode::fast); }

// ---------------------------------------------------------------------------
// No acknowledge before the LPI is pending
// ---------------------------------------------------------------------------
// The CPU is about to acknowledge a pending LPI (Q, taken after P's handler)
// while a hot MSI for a higher-priority LPI (H) is being translated: H
// becomes pending 25 ns after that acknowledge, so the CPU must take Q
// then, and H after Q's handler. Each MSI is alone on the system, so both
// modes must agree.
void acknowledge_order(TimingMode mode) {
    Platform pl(mode, kStated);
    const Costs c = pl.costs();
    constexpr uint32_t kDev = 1, kP = 8200, kQ = 8300, kH = 8400;
    pl.sys->expect_msis(4);
    uint64_t te = 0;
    pl.run([&](DriverAgent& d) {
        d.append_command(mapc(1, 1), 1);
        d.append_command(mapd(kDev, ram(pl, 0x100000), 2), 2);
        d.append_command(mapti(kDev, 0, kP, 1), 3);
        d.append_command(mapti(kDev, 1, kQ, 1), 4);
        d.append_command(mapti(kDev, 2, kH, 1), 5);
        d.wait_drained();
        d.set_lpi_config(kP, 0xA0, true);
        d.set_lpi_config(kQ, 0xA0, true);
        d.set_lpi_config(kH, 0x10, true);   // highest priority
        d.advance_to(10 * kUs);
        pl.msi(d, kDev, 2, 1);   // H: fills the DTE, CTE and H's caches; taken
        d.advance_to(20 * kUs);
        // P: ITE and property byte missing.
        const uint64_t p_pending =
            d.now_ps() + c.H + c.ING + c.LK + (c.LK + c.rd(8)) + c.LK + c.HOP + c.RLK + c.prop() + c.UPD;
        te = p_pending + c.SIG + c.ACK + c.HANDLER + c.ACK;   // Q's acknowledge
        pl.msi(d, kDev, 0, 2);
        d.advance_to(20 * kUs + 100 * kNs);
        pl.msi(d, kDev, 1, 3);   // Q: pending long before P's handler ends
        d.advance_to(te - c.H - c.ING - 10 * kNs);
        pl.msi(d, kDev, 2, 4);   // H: starts 10 ns before te, pending 25 ns after
        d.advance_to(30 * kUs);
    });
    const MsiRecord& h = pl.msi_record(4).rec;
    EXPECT_EQ(h.started_ps, te - 10 * kNs);
    EXPECT_EQ(h.pending_ps, h.started_ps + 3 * c.LK + c.HOP + c.RLK + c.UPD);
    ASSERT_GT(h.pending_ps, te);
    const std::vector<AckRecord>& acks = pl.records().acks;
    ASSERT_EQ(acks.size(), 4u);
    EXPECT_EQ(acks[1].intid, kP);
    EXPECT_EQ(acks[2].intid, kQ) << "taken at " << acks[2].t_ps << " ps; H pending at " << h.pending_ps;
    EXPECT_EQ(acks[2].t_ps, te);
    EXPECT_EQ(acks[3].intid, kH);
    EXPECT_EQ(acks[3].t_ps, te + c.HANDLER + c.ACK);
    for (const AckRecord& a : acks) EXPECT_LE(a.signalled_ps, a.t_ps) << a.intid;
}

TEST(TimingAckOrder, NoAcknowledgeBeforePendingAccurate) { acknowledge_order(TimingMode::accurate); }
TEST(TimingAckOrder, NoAcknowledgeBeforePendingFast) { acknowledge_order(TimingMode::fast); }

}  // namespace
