// The Its module through the bus (its_module_bench.h): errors, stall and
// Retry, the queue wrapping around; the MMIO frames, GITS_TRANSLATER
// widths, a missing DeviceID, back-pressure, MSIs while disabled.
#include "its_module_bench.h"

namespace {

// ---------------------------------------------------------------------------
// Errors, stall and Retry through the bus
// ---------------------------------------------------------------------------
TEST(ItsModule, UnmappedTableStallsAndRetryResumes) {
    Bench b(TimingMode::accurate, [](ItsModuleConfig& cfg) { cfg.core.error_policy = ItsErrorPolicy::ignore; });
    bool drained_first = true, drained_after = false;
    b.run([&](Host& h) {
        // Device table outside RAM: the bus answers with an address error.
        h.wr(kItsBase + gits::BASER0, baser::kValid | 0x1000'0000ull, 8);
        h.wr(kItsBase + gits::BASER0 + 8, baser::kValid | (kCt & baser::kAddrMask), 8);
        h.wr(kItsBase + gits::CBASER, gits::CBASER_Valid | kCq, 8);
        h.wr(kItsBase + gits::CTLR, 1, 4);
        h.append(mapc(0, 0));
        h.append(mapd(5, 2));
        h.append(mapc(1, 3));
        h.kick();
        drained_first = h.drain();
        // BASER cannot change while enabled: disable, repoint, enable, Retry.
        h.wr(kItsBase + gits::CTLR, 0, 4);
        h.wr(kItsBase + gits::BASER0, baser::kValid | (kDt & baser::kAddrMask), 8);
        h.wr(kItsBase + gits::CTLR, 1, 4);
        h.wr(kItsBase + gits::CWRITER, h.widx | gits::CWRITER_Retry, 8);
        drained_after = h.drain();
    });
    EXPECT_FALSE(drained_first);
    EXPECT_TRUE(drained_after);
    ASSERT_EQ(b.stalls.size(), 1u);
    EXPECT_EQ(b.stalls[0].creadr, 32u);
    EXPECT_EQ(b.stalls[0].error, 0u);
    ASSERT_EQ(b.cmds.size(), 4u);   // MAPC, MAPD (memory error), MAPD again, MAPC
    EXPECT_TRUE(b.cmds[1].memory_error);
    EXPECT_EQ(b.cmds[1].done_ps, 0u);
    EXPECT_FALSE(b.cmds[2].memory_error);
    EXPECT_EQ(b.cmds[2].offset, 32u);
    EXPECT_EQ(b.cmds[3].status, 0u);
    uint64_t dte = 0;
    b.ram->store().read(kDt - kRam + 5 * 8, &dte, 8);
    EXPECT_EQ(dte, kEntryValid | (kItt + 5 * 0x1000) | 2);
}

TEST(ItsModule, ErrorCodesAreReportedUnderTheIgnorePolicy) {
    Bench b(TimingMode::accurate);
    b.run([&](Host& h) {
        h.bring_up();
        ItsCommand junk;
        junk.opcode = 0x77;
        ItsCommand mv = cmd(ItsOpcode::MOVI);
        mv.device = 3;
        h.run({mapd(1, 20), junk, mv, mapc(2, 9)});
    });
    ASSERT_EQ(b.cmds.size(), 4u);
    EXPECT_EQ(b.cmds[0].status, cmd_error::kMapdSizeOutOfRange);
    EXPECT_EQ(b.cmds[1].status, cmd_error::unknown_opcode(0x77));
    EXPECT_EQ(b.cmds[2].status, cmd_error::kMoviUnmappedDevice);
    EXPECT_EQ(b.cmds[3].status, cmd_error::kMapcRdbaseOutOfRange);
    for (auto& r : b.cmds) EXPECT_NE(r.done_ps, 0u);
    EXPECT_TRUE(b.stalls.empty());
}

TEST(ItsModule, QueueWrapsAroundThroughTheBus) {
    Bench b(TimingMode::fast);
    b.run([&](Host& h) {
        h.bring_up();
        h.run({mapc(1, 1), mapd(1, 4), mapti(1, 2, 9000, 1)});
        for (unsigned round = 0; round < 3; ++round) {
            std::vector<ItsCommand> v(60, cmd(ItsOpcode::SYNC));
            h.run(v);   // 3 + 180 commands through a 128-slot queue
        }
        ItsCommand i = cmd(ItsOpcode::INT);
        i.device = 1;
        i.event = 2;
        h.run({i});
    });
    ASSERT_EQ(b.cmds.size(), 184u);
    EXPECT_EQ(b.cmds[130].offset, (130u % 128) * 32);
    for (auto& r : b.cmds) EXPECT_EQ(r.status, 0u);
    EXPECT_EQ(b.rds[1]->pending, std::set<uint32_t>{9000});
    EXPECT_EQ(b.its->commands_executed(), 184u);
}

// ---------------------------------------------------------------------------
// MMIO frames, ingress
// ---------------------------------------------------------------------------
TEST(ItsModule, RegistersThroughTheBus) {
    Bench b(TimingMode::accurate);
    uint64_t typer = 0, pidr2 = 0, translater = 0, ctlr = 0, creadr_hi = 0;
    bool outside = true;
    b.run([&](Host& h) {
        typer = h.rd(kItsBase + gits::TYPER, 8);
        pidr2 = h.rd(kItsBase + gits::PIDR2, 4);
        translater = h.rd(kItsBase + gits::TRANSLATER, 4);
        h.bring_up();
        ctlr = h.rd(kItsBase + gits::CTLR, 4);
        creadr_hi = h.rd(kItsBase + gits::CREADR + 4, 4);
        uint8_t x[4];
        outside = h.bm.access(tlm::TLM_READ_COMMAND, kItsBase + Its::kFrameBytes - 2, x, 4, h.tl);
    });
    EXPECT_EQ(typer, 0x1EF71u);
    EXPECT_EQ((pidr2 >> 4) & 0xF, 3u);
    EXPECT_EQ(translater, 0u);
    EXPECT_EQ(ctlr, 1u);
    EXPECT_EQ(creadr_hi, 0u);
    EXPECT_FALSE(outside);
}

TEST(ItsModule, TranslaterWidthsMissingDeviceIdAndBackPressure) {
    Bench b(TimingMode::accurate, [](ItsModuleConfig& cfg) {
        cfg.ingress_depth = 1;
        cfg.translation_slots = 1;
    });
    b.run([&](Host& h) {
        h.bring_up();
        h.run({mapc(0, 0), mapd(0, 4), mapti(0, 3, 8200, 0), mapd(7, 4), mapti(7, 3, 8207, 0)});
        h.at(10'000 * kNs);
        h.msi(7, 0x00010003, 1, 2);   // 16-bit write: EventID 3
        h.msi(7, 3, 2, 4, false);      // no extension: DeviceID 0
        for (uint64_t t = 3; t <= 10; ++t) h.msi(7, 3, t);   // more than the FIFO holds
    });
    ASSERT_EQ(b.msis.size(), 10u);
    const MsiRecord* m1 = b.msi(1);
    ASSERT_NE(m1, nullptr);
    EXPECT_EQ(m1->device, 7u);
    EXPECT_EQ(m1->event, 3u);
    EXPECT_EQ(m1->intid, 8207u);
    const MsiRecord* m0 = b.msi(0);   // the write without an extension has tag 0
    ASSERT_NE(m0, nullptr);
    EXPECT_EQ(m0->device, 0u);
    EXPECT_EQ(m0->intid, 8200u);
    for (auto& m : b.msis) EXPECT_TRUE(m.delivered);
    EXPECT_EQ(b.its->stats().msis_without_device_id, 1u);
    EXPECT_GT(b.its->stats().ingress_waits, 0u);
    EXPECT_EQ(b.its->stats().msis_accepted, 10u);
    // MSIs complete in arrival order with one slot.
    for (size_t i = 1; i < b.msis.size(); ++i) EXPECT_GE(b.msis[i].started_ps, b.msis[i - 1].pending_ps);
}

TEST(ItsModule, MsiWhileDisabledIsDropped) {
    Bench b(TimingMode::accurate);
    b.run([&](Host& h) { h.msi(1, 1, 1); });
    ASSERT_EQ(b.msis.size(), 1u);
    EXPECT_FALSE(b.msis[0].delivered);
    EXPECT_EQ(b.msis[0].reason, "its_disabled");
}

}  // namespace
