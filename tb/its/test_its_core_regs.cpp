// ItsCore without a simulation kernel (the fixture: its_core_fixture.h):
// the GITS registers, and the command queue (order, wrap, error policies,
// stall and retry, Quiescent).
#include "its_core_fixture.h"

namespace {

// ---------------------------------------------------------------------------
// Registers
// ---------------------------------------------------------------------------
TEST_F(ItsCoreTest, TyperDefaults) {
    // Physical=1, ITT_entry_size=7, ID_bits=15, Devbits=15, PTA=0, HCC=0, CIL=0.
    EXPECT_EQ(core->typer(), 0x1u | (7u << 4) | (15u << 8) | (15u << 13));
    uint64_t lo = 0, hi = 0;
    EXPECT_TRUE(core->read_register(gits::TYPER, 4, &lo));
    EXPECT_TRUE(core->read_register(gits::TYPER + 4, 4, &hi));
    EXPECT_EQ(lo, 0x1EF71u);
    EXPECT_EQ(hi, 0u);
    EXPECT_FALSE(core->write_register(gits::TYPER + 2, 4, 0));   // misaligned
    core->write_register(gits::TYPER, 8, 0);                      // RO
    EXPECT_EQ(core->typer(), 0x1EF71u);
}

TEST(ItsCoreRegs, TyperPtaAndSmallIcid) {
    ItsConfig cfg;
    cfg.pta = true;
    cfg.icid_bits = 8;
    cfg.device_id_bits = 20;
    cfg.event_id_bits = 10;
    ItsCore core(cfg);
    const uint64_t t = core.typer();
    EXPECT_EQ(t & 1, 1u);
    EXPECT_EQ((t >> 4) & 0xF, 7u);
    EXPECT_EQ((t >> 8) & 0x1F, 9u);
    EXPECT_EQ((t >> 13) & 0x1F, 19u);
    EXPECT_EQ((t >> 19) & 1, 1u);         // PTA
    EXPECT_EQ((t >> 24) & 0xFF, 0u);      // HCC
    EXPECT_EQ((t >> 32) & 0xF, 7u);       // CIDbits
    EXPECT_EQ((t >> 36) & 1, 1u);         // CIL
}

TEST(ItsCoreRegs, BadConfigIsRejected) {
    ItsConfig cfg;
    cfg.lpi_intid_bits = 13;
    EXPECT_THROW(ItsCore{cfg}, std::invalid_argument);
    cfg = ItsConfig{};
    cfg.event_cache = {10, 4};
    EXPECT_THROW(ItsCore{cfg}, std::invalid_argument);
    cfg = ItsConfig{};
    cfg.sweep_burst_bytes = 12;
    EXPECT_THROW(ItsCore{cfg}, std::invalid_argument);
}

TEST(ItsCoreRegs, IdIidrCtlr) {
    ItsConfig cfg;
    cfg.iidr = 0x12345678;
    ItsCore core(cfg);
    uint64_t v = 0;
    ASSERT_TRUE(core.read_register(gits::PIDR2, 4, &v));
    EXPECT_EQ((v >> 4) & 0xF, 3u);   // ArchRev GICv3
    ASSERT_TRUE(core.read_register(gits::IIDR, 4, &v));
    EXPECT_EQ(v, 0x12345678u);
    ASSERT_TRUE(core.read_register(gits::CTLR, 8, &v));   // CTLR | IIDR << 32
    EXPECT_EQ(v, (uint64_t{0x12345678} << 32) | gits::CTLR_Quiescent);
    core.write_register(gits::IIDR, 4, 0);
    ASSERT_TRUE(core.read_register(gits::IIDR, 4, &v));
    EXPECT_EQ(v, 0x12345678u);
    core.write_register(gits::CTLR, 4, 0xFFFFFFFF);
    ASSERT_TRUE(core.read_register(gits::CTLR, 4, &v));
    EXPECT_EQ(v, 1u);   // Enabled, not quiescent, other bits RAZ/WI
    // The bad-access rule (common/reg_frame.h): an offset that is no
    // register, a bad size or alignment reads 0 and says false.
    v = 1;
    EXPECT_FALSE(core.read_register(0x200, 4, &v));
    EXPECT_EQ(v, 0u);
    EXPECT_FALSE(core.read_register(0x0, 2, &v));
    EXPECT_FALSE(core.read_register(0x4, 8, &v));
}

TEST(ItsCoreRegs, BaserFields) {
    ItsCore core;
    uint64_t v = 0;
    core.read_register(gits::BASER0, 8, &v);
    EXPECT_EQ(v, (uint64_t{1} << 56) | (uint64_t{7} << 48));   // Device, 8-byte entries
    core.read_register(gits::BASER0 + 8, 8, &v);
    EXPECT_EQ(v, (uint64_t{4} << 56) | (uint64_t{7} << 48));   // Collection
    // Type and Entry_Size are RO; the rest as written; Page_Size 0b11 -> 0b10.
    core.write_register(gits::BASER0, 8, ~uint64_t{0});
    core.read_register(gits::BASER0, 8, &v);
    EXPECT_EQ(v, ~(baser::kTypeMask | baser::kEntrySizeMask | (uint64_t{1} << 8) | 0x000F'0000'0000'0000ull) |
                     (uint64_t{1} << 56) | (uint64_t{7} << 48));
    // 32-bit halves separately.
    core.write_register(gits::BASER0 + 8, 4, 0x4567'8000u);
    core.write_register(gits::BASER0 + 12, 4, 0x8000'0000u);
    core.read_register(gits::BASER0 + 8, 8, &v);
    EXPECT_EQ(v, baser::kValid | (uint64_t{4} << 56) | (uint64_t{7} << 48) | 0x4567'8000u);
    // BASER2..7 RAZ/WI.
    for (unsigned n = 2; n < 8; ++n) {
        core.write_register(gits::BASER0 + 8 * n, 8, ~uint64_t{0});
        core.read_register(gits::BASER0 + 8 * n, 8, &v);
        EXPECT_EQ(v, 0u) << n;
    }
    // Writes while enabled are ignored.
    core.write_register(gits::CTLR, 4, 1);
    core.write_register(gits::BASER0 + 8, 8, 0);
    core.read_register(gits::BASER0 + 8, 8, &v);
    EXPECT_EQ(v & baser::kValid, baser::kValid);
}

TEST(ItsCoreRegs, IndirectRazWiWhenUnsupported) {
    ItsConfig cfg;
    cfg.indirect_tables = false;
    ItsCore core(cfg);
    core.write_register(gits::BASER0, 8, baser::kIndirect | baser::kValid);
    uint64_t v = 0;
    core.read_register(gits::BASER0, 8, &v);
    EXPECT_EQ(v & baser::kIndirect, 0u);
    EXPECT_EQ(v & baser::kValid, baser::kValid);
}

TEST(ItsCoreRegs, CbaserCwriterCreadr) {
    ItsCore core;
    core.write_register(gits::CBASER, 8, ~uint64_t{0});
    uint64_t v = 0;
    core.read_register(gits::CBASER, 8, &v);
    EXPECT_EQ(v, gits::CBASER_Writable);
    core.write_register(gits::CBASER, 8, gits::CBASER_Valid | 0x40000 | 1);   // 2 pages
    EXPECT_EQ(core.queue_bytes(), 8192u);
    core.write_register(gits::CWRITER, 8, 0x1FE1 | 0xFFF00000ull);   // Retry + stray bits
    core.read_register(gits::CWRITER, 8, &v);
    EXPECT_EQ(v, 0x1FE0u);   // Offset only; Retry reads 0
    EXPECT_EQ(core.queue_occupancy(), 0x1FE0u / 32);
    core.write_register(gits::CREADR, 8, 0x40);   // RO
    EXPECT_EQ(core.creadr(), 0u);
    // CWRITER outside the queue: stored, queue invalid.
    core.write_register(gits::CWRITER, 8, 0x2000);
    EXPECT_EQ(core.cwriter(), 0x2000u);
    EXPECT_FALSE(core.queue_valid());
    core.write_register(gits::CTLR, 4, 1);
    EXPECT_FALSE(core.command_ready());
    core.write_register(gits::CWRITER, 8, 0x20);
    EXPECT_TRUE(core.command_ready());
    // CBASER writes while enabled are ignored.
    core.write_register(gits::CBASER, 8, 0);
    EXPECT_EQ(core.queue_bytes(), 8192u);
}

// ---------------------------------------------------------------------------
// Command queue
// ---------------------------------------------------------------------------
TEST_F(ItsCoreTest, QueueProcessesInOrderAndWraps) {
    // Fill the queue to 3 commands before its end, then wrap around.
    core->write_register(gits::CTLR, 4, 0);
    core->write_register(gits::CBASER, 8, gits::CBASER_Valid | kCq);   // 4K: 128 slots
    core->write_register(gits::CTLR, 4, 1);
    std::vector<ItsCommand> filler(125, build::sync(0));
    enqueue(filler);
    EXPECT_EQ(core->queue_occupancy(), 125u);
    EXPECT_EQ(drain().size(), 125u);
    EXPECT_EQ(core->creadr(), 125u * 32);
    enqueue({mapc(1, 2), mapd(1, kItt0, 4), mapti(1, 0, 8192, 1), build::by_event(ItsOpcode::INT, 1, 0), build::sync(2)});
    EXPECT_EQ(core->cwriter(), 2u * 32);   // wrapped
    EXPECT_EQ(core->queue_occupancy(), 5u);
    const auto res = drain();
    ASSERT_EQ(res.size(), 5u);
    EXPECT_EQ(res[0].record.offset, 125u * 32);
    EXPECT_EQ(res[2].record.offset, 127u * 32);
    EXPECT_EQ(res[3].record.offset, 0u);
    EXPECT_EQ(res[2].record.cmd.opcode, uint8_t(ItsOpcode::MAPTI));
    for (auto& r : res) EXPECT_TRUE(r.retired && r.record.status == 0);
    EXPECT_EQ(core->creadr(), 64u);
    EXPECT_EQ(env.pending[2], std::set<uint32_t>{8192});
    EXPECT_EQ(core->commands_executed(), 130u);
}

TEST_F(ItsCoreTest, IgnorePolicySkipsFailingCommands) {
    enqueue({invall(3), mapc(3, 0), invall(3)});
    const auto res = drain();
    ASSERT_EQ(res.size(), 3u);
    EXPECT_EQ(res[0].record.status, cmd_error::kInvallUnmappedCollection);
    EXPECT_TRUE(res[0].retired);
    EXPECT_FALSE(res[0].stalled);
    EXPECT_EQ(res[2].record.status, 0u);
    EXPECT_EQ(core->creadr(), 96u);
    EXPECT_EQ(core->command_errors(), 1u);
}

TEST_F(ItsCoreTest, StallPolicyAndRetry) {
    ItsConfig cfg;
    cfg.error_policy = ItsErrorPolicy::stall;
    make(cfg);
    enqueue({mapc(3, 0), invall(4), build::sync(0)});
    auto res = drain();
    ASSERT_EQ(res.size(), 2u);
    EXPECT_TRUE(res[1].stalled);
    EXPECT_EQ(res[1].record.status, cmd_error::kInvallUnmappedCollection);
    EXPECT_EQ(core->creadr(), 32u | gits::CREADR_Stalled);
    EXPECT_FALSE(core->command_ready());
    // CWRITER without Retry does not restart it.
    core->write_register(gits::CWRITER, 8, core->cwriter());
    EXPECT_FALSE(core->command_ready());
    // Fix the cause, then Retry re-runs the command at CREADR.
    CommandRecord r;
    core->execute(mapc(4, 1), env, r);
    core->write_register(gits::CWRITER, 4, core->cwriter() | gits::CWRITER_Retry);
    EXPECT_EQ(core->creadr(), 32u);
    res = drain();
    ASSERT_EQ(res.size(), 2u);
    EXPECT_EQ(res[0].record.offset, 32u);
    EXPECT_EQ(res[0].record.status, 0u);
    EXPECT_EQ(core->creadr(), 96u);
    // Unknown opcodes stall too under this policy.
    ItsCommand junk;
    junk.opcode = 0x42;
    enqueue({junk});
    res = drain();
    ASSERT_EQ(res.size(), 1u);
    EXPECT_EQ(res[0].record.status, 0x0142FFu);
    EXPECT_TRUE(core->stalled());
    // A CBASER write (ITS disabled) clears CREADR including Stalled.
    core->write_register(gits::CTLR, 4, 0);
    core->write_register(gits::CBASER, 8, gits::CBASER_Valid | kCq);
    EXPECT_EQ(core->creadr(), 0u);
    EXPECT_FALSE(core->stalled());
}

TEST_F(ItsCoreTest, NothingRunsWhileDisabled) {
    core->write_register(gits::CTLR, 4, 0);
    enqueue({build::sync(0)});
    EXPECT_FALSE(core->command_ready());
    uint64_t v = 0;
    core->read_register(gits::CTLR, 4, &v);
    EXPECT_EQ(v, gits::CTLR_Quiescent);
    core->write_register(gits::CTLR, 4, 1);
    EXPECT_TRUE(core->command_ready());
}

// Quiescent also waits for MSIs the module has buffered but not translated.
TEST_F(ItsCoreTest, QuiescentWaitsForBufferedMsis) {
    core->write_register(gits::CTLR, 4, 0);
    uint64_t v = 0;
    core->set_waiting_msis(3);
    core->read_register(gits::CTLR, 4, &v);
    EXPECT_EQ(v, 0u);
    core->set_waiting_msis(0);
    core->read_register(gits::CTLR, 4, &v);
    EXPECT_EQ(v, gits::CTLR_Quiescent);
}

}  // namespace
