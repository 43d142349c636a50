// ItsCore without a simulation kernel: registers, every command's success
// path (bytes in memory checked against its_tables.h), every error code,
// the KVM review points, two-level tables, memory errors, cache coherence
// and the command queue.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <memory>

#include "its/its_core.h"
#include "its_fake_env.h"

using namespace itsim;
using itsim::test::FakeEnv;
using RdOp = FakeEnv::RdOp;

namespace {

constexpr uint64_t kDt = 0x10000;     // device table (flat, 4K, 1 page = 512 devices)
constexpr uint64_t kCt = 0x20000;     // collection table (flat, 4K, 1 page = 512 ICIDs)
constexpr uint64_t kCq = 0x40000;     // command queue, 1 page = 128 commands
constexpr uint64_t kItt0 = 0x100000;  // ITTs
constexpr uint64_t kItt1 = 0x101000;
constexpr uint64_t kBad = 0xF00000;   // FakeEnv answers bus errors from here

uint64_t baser_value(uint64_t addr, unsigned page_code, unsigned pages, bool indirect = false) {
    uint64_t v = baser::kValid | (uint64_t(page_code) << 8) | (pages - 1);
    if (indirect) v |= baser::kIndirect;
    if (page_code == 2) v |= (addr & 0x0000'FFFF'FFFF'0000ull) | (((addr >> 48) & 0xF) << 12);
    else v |= addr & baser::kAddrMask;
    return v;
}

uint64_t rd_base_of(unsigned i) { return 0x080A'0000ull + i * 0x20000ull; }

std::vector<RdInfo> four_rds() {
    std::vector<RdInfo> v;
    for (unsigned i = 0; i < 4; ++i) v.push_back({i, rd_base_of(i)});
    return v;
}

using build::mapc;
using build::mapd;
using build::mapi;
using build::mapti;
using build::movall;
using build::movi;
using build::invall;

class ItsCoreTest : public ::testing::Test {
protected:
    FakeEnv env;
    std::unique_ptr<ItsCore> core;

    void SetUp() override { make(ItsConfig{}); }

    // Build a core, program BASER0/1 and CBASER, enable it.
    void make(const ItsConfig& cfg, uint64_t dev_baser = baser_value(kDt, 0, 1),
              uint64_t col_baser = baser_value(kCt, 0, 1), bool enable = true) {
        core = std::make_unique<ItsCore>(cfg);
        core->set_redistributors(four_rds());
        ASSERT_TRUE(core->write_register(gits::BASER0, 8, dev_baser));
        ASSERT_TRUE(core->write_register(gits::BASER0 + 8, 8, col_baser));
        ASSERT_TRUE(core->write_register(gits::CBASER, 8, gits::CBASER_Valid | kCq));
        if (enable) {
            ASSERT_TRUE(core->write_register(gits::CTLR, 4, 1));
        }
    }
    CommandRecord run(const ItsCommand& cmd) {
        CommandRecord rec;
        core->execute(cmd, env, rec);
        return rec;
    }
    void ok(const ItsCommand& cmd) {
        const CommandRecord r = run(cmd);
        ASSERT_EQ(r.status, 0u) << to_string(cmd);
        ASSERT_FALSE(r.memory_error) << to_string(cmd);
    }
    MsiRecord msi(uint32_t dev, uint32_t ev) {
        MsiRecord r;
        core->translate(dev, ev, env, r);
        return r;
    }
    // Device 1 (ITT0, 32 events) with event 3 -> LPI 8195 in collection 2 on RD 1.
    void basic_mapping() {
        ok(mapc(2, 1));
        ok(mapd(1, kItt0, 4));
        ok(mapti(1, 3, 8195, 2));
    }
    // Append commands to the queue in memory and publish them (CWRITER).
    void enqueue(const std::vector<ItsCommand>& cmds) {
        uint64_t w = core->cwriter();
        const uint64_t qb = core->queue_bytes();
        for (const auto& c : cmds) {
            uint8_t b[32];
            to_bytes(encode(c), b);
            std::memcpy(&env.mem[kCq + w], b, 32);
            w = (w + 32) % qb;
        }
        core->write_register(gits::CWRITER, 8, w);
    }
    std::vector<ItsCore::CommandResult> drain() {
        std::vector<ItsCore::CommandResult> out;
        for (unsigned guard = 0; core->command_ready() && guard < 10000; ++guard) out.push_back(core->process_next(env));
        return out;
    }
};

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
    // Unlisted offsets are RAZ/WI, bad sizes are refused.
    EXPECT_TRUE(core.read_register(0x200, 4, &v));
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
// Error codes
// ---------------------------------------------------------------------------
TEST_F(ItsCoreTest, MapdErrors) {
    // 1 page of device table = 512 DeviceIDs (min(2^16, capacity)).
    env.clear_logs();
    EXPECT_EQ(run(mapd(512, kItt0, 4)).status, cmd_error::kMapdDeviceOutOfRange);
    EXPECT_EQ(run(mapd(0xFFFFFFFF, kItt0, 4)).status, cmd_error::kMapdDeviceOutOfRange);
    EXPECT_EQ(run(mapd(3, kItt0, 16)).status, cmd_error::kMapdSizeOutOfRange);   // 17 bits > 16
    EXPECT_EQ(run(mapd(3, kItt0, 15)).status, 0u);
    EXPECT_EQ(run(mapd(4, 0, 31, false)).status, 0u);   // Size not checked when V=0
    // Device range is checked before Size, and no error touched memory.
    EXPECT_EQ(run(mapd(600, kItt0, 20)).status, cmd_error::kMapdDeviceOutOfRange);
    EXPECT_EQ(env.log.size(), 4u);   // only the two good MAPDs (old DTE read + write each)
}

TEST(ItsCoreErrors, MapdDeviceBitsBound) {
    ItsConfig cfg;
    cfg.device_id_bits = 4;   // 16 devices, table holds 512
    ItsCore core(cfg);
    FakeEnv env;
    core.set_redistributors(four_rds());
    core.write_register(gits::BASER0, 8, baser_value(kDt, 0, 1));
    core.write_register(gits::CTLR, 4, 1);
    CommandRecord r;
    core.execute(mapd(16, kItt0, 1), env, r);
    EXPECT_EQ(r.status, cmd_error::kMapdDeviceOutOfRange);
    core.execute(mapd(15, kItt0, 1), env, r);
    EXPECT_EQ(r.status, 0u);
}

TEST_F(ItsCoreTest, MapcErrors) {
    EXPECT_EQ(run(mapc(512, 0)).status, cmd_error::kMapcIcidOutOfRange);   // table holds 512
    EXPECT_EQ(run(mapc(1, 4)).status, cmd_error::kMapcRdbaseOutOfRange);   // 4 RDs: 0..3
    EXPECT_EQ(run(mapc(512, 4)).status, cmd_error::kMapcIcidOutOfRange);   // ICID first
    EXPECT_EQ(run(mapc(1, 4, false)).status, 0u);                          // RDbase unchecked when V=0
    EXPECT_EQ(env.writes(), 1u);
}

TEST_F(ItsCoreTest, MaptiAndMapiErrorsInOrder) {
    ok(mapd(1, kItt0, 4));      // 32 events
    ok(mapd(3, kItt1, 13));     // 16384 events: MAPI's EventID can be an LPI
    env.clear_logs();
    // Field checks, in order, before any table access.
    EXPECT_EQ(run(mapti(512, 0, 8192, 0)).status, 0x010A01u);   // table holds 512 DeviceIDs
    EXPECT_EQ(run(mapti(512, 0, 1, 999)).status, 0x010A01u);    // DeviceID before ICID, pINTID
    EXPECT_EQ(run(mapti(1, 0, 8192, 512)).status, 0x010A03u);
    EXPECT_EQ(run(mapti(1, 0, 1, 512)).status, 0x010A03u);      // ICID before pINTID
    EXPECT_EQ(run(mapti(1, 0, 8191, 0)).status, 0x010A06u);
    EXPECT_EQ(run(mapti(1, 0, 65536, 0)).status, 0x010A06u);    // 16 INTID bits
    EXPECT_EQ(run(mapti(9, 0, 65536, 0)).status, 0x010A06u);    // before the DTE
    EXPECT_EQ(run(mapi(512, 8192, 0)).status, 0x010B01u);       // MAPI has codes of its own
    EXPECT_EQ(run(mapi(1, 8192, 512)).status, 0x010B03u);
    EXPECT_EQ(run(mapi(1, 5, 0)).status, 0x010B06u);            // its pINTID is the EventID
    EXPECT_TRUE(env.log.empty());
    // DTE checks: one DTE read each, no ITE written.
    EXPECT_EQ(run(mapti(2, 0, 8192, 0)).status, 0x010A04u);
    EXPECT_EQ(run(mapti(1, 32, 8192, 0)).status, 0x010A05u);
    EXPECT_EQ(run(mapi(2, 8192, 0)).status, 0x010B04u);
    EXPECT_EQ(run(mapi(1, 8192, 0)).status, 0x010B05u);        // 8192 is past a 32-event ITT
    // DTE 2 is read twice (an invalid DTE is not cached), DTE 1 once and
    // then found in the device cache; no ITE is read.
    EXPECT_EQ(env.read_kinds(), std::vector<ItsAccess>(3, ItsAccess::dte));
    EXPECT_EQ(env.writes(), 0u);
    EXPECT_EQ(run(mapti(1, 31, 65535, 0)).status, 0u);
    EXPECT_EQ(run(mapi(3, 8192, 0)).status, 0u);
    EXPECT_EQ(env.get64(kItt1 + 8192 * 8), 0xC000'0000'0000'2000ull);
}

// The commands that name (DeviceID, EventID) report one code per failing
// check, and stop before the next table read. No caches, so every lookup
// reads its table.
class ItsCoreByEventErrors : public ItsCoreTest {
protected:
    void SetUp() override {
        ItsConfig cfg;
        cfg.device_cache = cfg.event_cache = cfg.collection_cache = {0, 1};
        make(cfg);
        basic_mapping();                                       // (1, 3) -> ICID 2 -> RD 1
        ok(mapti(1, 6, 8198, 11));                             // collection 11 never mapped
        env.put64(kItt0 + 7 * 8, kEntryValid | (2ull << 32) | 8199);    // valid, not physical
        env.put64(kCt + 9 * 8, kEntryValid | 7);               // CTE 9 names RDbase 7: no RD
        ok(mapti(1, 8, 8200, 9));
        env.put64(kItt0 + 9 * 8, kEntryValid | kIteIntTypePhysical | (600ull << 32) | 8201);   // ICID 600
        env.clear_logs();
    }
};

TEST_F(ItsCoreByEventErrors, EachCheckHasItsCode) {
    using A = ItsAccess;
    const std::vector<A> none, dte{A::dte}, ite{A::dte, A::ite}, cte{A::dte, A::ite, A::cte};
    struct Check { uint32_t device, event; unsigned code_index; const std::vector<A>* reads; };
    const Check checks[] = {
        {512, 3, 0, &none},          // DeviceID out of range (the table holds 512)
        {0xFFFFFFFF, 3, 0, &none},
        {511, 3, 1, &dte},           // DTE not valid
        {2, 3, 1, &dte},
        {1, 32, 2, &dte},            // EventID past the 32-event ITT
        {1, 0xFFFFFFFF, 2, &dte},
        {1, 4, 3, &ite},             // ITE not valid
        {1, 7, 3, &ite},             // ITE valid but not physical
        {1, 6, 4, &cte},             // CTE not valid
        {1, 8, 4, &cte},             // CTE names no redistributor
        {1, 9, 4, &ite},             // the ITE's ICID is out of range: no CTE read
    };
    // Codes per check: DEVICE_OOR, UNMAPPED_DEVICE, ID_OOR, UNMAPPED_INTERRUPT,
    // then what an unmapped collection reports.
    struct Op { ItsOpcode op; uint32_t codes[5]; };
    const Op ops[] = {
        {ItsOpcode::INT, {0x010301, 0x010304, 0x010305, 0x010307, 0x010307}},
        {ItsOpcode::CLEAR, {0x010501, 0x010504, 0x010505, 0x010507, 0x010507}},
        {ItsOpcode::INV, {0x010C01, 0x010C04, 0x010C05, 0x010C07, 0x010C07}},
        {ItsOpcode::DISCARD, {0x010F01, 0x010F04, 0x010F05, 0x010F07, 0x010F07}},
        {ItsOpcode::MOVI, {0x010101, 0x010104, 0x010105, 0x010107, 0x010109}},
    };
    for (const Op& o : ops) {
        for (const Check& k : checks) {
            ItsCommand cmd = o.op == ItsOpcode::MOVI ? movi(k.device, k.event, 2)
                                                     : build::by_event(o.op, k.device, k.event);
            env.clear_logs();
            const CommandRecord r = run(cmd);
            EXPECT_EQ(r.status, o.codes[k.code_index]) << to_string(cmd);
            EXPECT_FALSE(r.memory_error) << to_string(cmd);
            EXPECT_EQ(env.read_kinds(), *k.reads) << to_string(cmd);
            EXPECT_EQ(r.table_reads, k.reads->size()) << to_string(cmd);
            EXPECT_EQ(env.writes(), 0u) << to_string(cmd);
            EXPECT_TRUE(env.rd_ops.empty()) << to_string(cmd);
        }
    }
    EXPECT_EQ(env.get64(kItt0 + 6 * 8), 0xC000'000B'0000'2006ull);   // DISCARD left the ITEs
    EXPECT_EQ(env.get64(kItt0 + 8 * 8), 0xC000'0009'0000'2008ull);
}

TEST_F(ItsCoreByEventErrors, TheNamedCodesAreTheOnesReported) {
    struct Case { ItsCommand cmd; uint32_t code; };
    const Case cases[] = {
        {build::by_event(ItsOpcode::INT, 512, 3), cmd_error::kIntDeviceOutOfRange},
        {build::by_event(ItsOpcode::INT, 2, 3), cmd_error::kIntUnmappedDevice},
        {build::by_event(ItsOpcode::INT, 1, 32), cmd_error::kIntEventOutOfRange},
        {build::by_event(ItsOpcode::INT, 1, 4), cmd_error::kIntUnmappedInterrupt},
        {build::by_event(ItsOpcode::INT, 1, 6), cmd_error::kIntUnmappedCollection},
        {build::by_event(ItsOpcode::CLEAR, 512, 3), cmd_error::kClearDeviceOutOfRange},
        {build::by_event(ItsOpcode::CLEAR, 2, 3), cmd_error::kClearUnmappedDevice},
        {build::by_event(ItsOpcode::CLEAR, 1, 32), cmd_error::kClearEventOutOfRange},
        {build::by_event(ItsOpcode::CLEAR, 1, 4), cmd_error::kClearUnmappedInterrupt},
        {build::by_event(ItsOpcode::CLEAR, 1, 6), cmd_error::kClearUnmappedCollection},
        {build::by_event(ItsOpcode::INV, 512, 3), cmd_error::kInvDeviceOutOfRange},
        {build::by_event(ItsOpcode::INV, 2, 3), cmd_error::kInvUnmappedDevice},
        {build::by_event(ItsOpcode::INV, 1, 32), cmd_error::kInvEventOutOfRange},
        {build::by_event(ItsOpcode::INV, 1, 4), cmd_error::kInvUnmappedInterrupt},
        {build::by_event(ItsOpcode::INV, 1, 6), cmd_error::kInvUnmappedCollection},
        {build::by_event(ItsOpcode::DISCARD, 512, 3), cmd_error::kDiscardDeviceOutOfRange},
        {build::by_event(ItsOpcode::DISCARD, 2, 3), cmd_error::kDiscardUnmappedDevice},
        {build::by_event(ItsOpcode::DISCARD, 1, 32), cmd_error::kDiscardEventOutOfRange},
        {build::by_event(ItsOpcode::DISCARD, 1, 4), cmd_error::kDiscardUnmappedInterrupt},
        {build::by_event(ItsOpcode::DISCARD, 1, 6), cmd_error::kDiscardUnmappedCollection},
        {movi(512, 3, 2), cmd_error::kMoviDeviceOutOfRange},
        {movi(2, 3, 2), cmd_error::kMoviUnmappedDevice},
        {movi(1, 32, 2), cmd_error::kMoviEventOutOfRange},
        {movi(1, 4, 2), cmd_error::kMoviUnmappedInterrupt},
        {movi(1, 6, 2), cmd_error::kMoviUnmappedCollection},
        {movi(1, 3, 512), cmd_error::kMoviIcidOutOfRange},
    };
    for (const Case& k : cases) EXPECT_EQ(run(k.cmd).status, k.code) << to_string(k.cmd);
}

TEST_F(ItsCoreByEventErrors, MoviFieldAndCollectionChecks) {
    using A = ItsAccess;
    // DeviceID, then ICID, before any table read.
    EXPECT_EQ(run(movi(512, 3, 512)).status, 0x010101u);
    EXPECT_EQ(run(movi(1, 3, 512)).status, 0x010103u);
    EXPECT_EQ(run(movi(2, 3, 512)).status, 0x010103u);   // ICID before the DTE
    EXPECT_TRUE(env.log.empty());
    // The new collection: its CTE is read after the old one.
    EXPECT_EQ(run(movi(1, 3, 5)).status, 0x010109u);
    EXPECT_EQ(env.read_kinds(), (std::vector<A>{A::dte, A::ite, A::cte, A::cte}));
    env.clear_logs();
    EXPECT_EQ(run(movi(1, 3, 9)).status, 0x010109u);     // names no redistributor
    EXPECT_EQ(env.writes(), 0u);
    EXPECT_EQ(env.get64(kItt0 + 3 * 8), 0xC000'0002'0000'2003ull);   // ITE untouched
    EXPECT_EQ(run(movi(1, 3, 2)).status, 0u);
}

TEST_F(ItsCoreByEventErrors, InvalidLevel1DescriptorIsAnUnmappedDevice) {
    ItsConfig cfg;
    cfg.device_cache = cfg.event_cache = cfg.collection_cache = {0, 1};
    make(cfg, baser_value(0x400000, 0, 1, true));   // two-level, all descriptors invalid
    const std::pair<ItsCommand, uint32_t> cases[] = {
        {build::by_event(ItsOpcode::INT, 600, 0), 0x010304},
        {build::by_event(ItsOpcode::CLEAR, 600, 0), 0x010504},
        {build::by_event(ItsOpcode::INV, 600, 0), 0x010C04},
        {build::by_event(ItsOpcode::DISCARD, 600, 0), 0x010F04},
        {movi(600, 0, 0), 0x010104},
        {mapti(600, 0, 8192, 0), 0x010A04},
        {mapi(600, 8192, 0), 0x010B04},
    };
    for (const auto& k : cases) {
        env.clear_logs();
        EXPECT_EQ(run(k.first).status, k.second) << to_string(k.first);
        EXPECT_EQ(env.read_kinds(), std::vector<ItsAccess>{ItsAccess::device_l1}) << to_string(k.first);
        EXPECT_EQ(env.log[0].addr, 0x400000u + 8);   // descriptor 1 (512 DeviceIDs per 4K page)
    }
}

TEST_F(ItsCoreTest, InvallMovallErrors) {
    EXPECT_EQ(run(invall(512)).status, cmd_error::kInvallIcidOutOfRange);
    EXPECT_EQ(run(invall(3)).status, cmd_error::kInvallUnmappedCollection);
    EXPECT_EQ(run(movall(4, 0)).status, cmd_error::kMovallRdbaseOutOfRange);
    EXPECT_EQ(run(movall(0, 4)).status, cmd_error::kMovallRdbaseOutOfRange);
}

TEST_F(ItsCoreTest, UnknownOpcodesAreErrorsNotCrashes) {
    for (unsigned op : {0x00u, 0x02u, 0x06u, 0x21u, 0x2Au, 0xFFu}) {
        ItsCommand c;
        c.opcode = static_cast<uint8_t>(op);
        c.raw = {op | 0xDEADBEEF00000000ull, ~0ull, ~0ull, ~0ull};
        const CommandRecord r = run(c);
        EXPECT_EQ(r.status, cmd_error::unknown_opcode(uint8_t(op))) << op;
    }
    EXPECT_EQ(cmd_error::unknown_opcode(0x21), 0x0121FFu);
    EXPECT_TRUE(env.log.empty());
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

// ---------------------------------------------------------------------------
// Memory errors
// ---------------------------------------------------------------------------
TEST_F(ItsCoreTest, TablesInUnreachableMemory) {
    env.bad.push_back({kBad, FakeEnv::kMemBytes});
    make(ItsConfig{}, baser_value(kBad, 0, 1), baser_value(kBad + 0x10000, 0, 1));
    CommandRecord r = run(mapd(1, kItt0, 4));
    EXPECT_TRUE(r.memory_error);
    EXPECT_EQ(r.status, 0u);
    EXPECT_TRUE(run(mapc(1, 1)).memory_error);
    EXPECT_TRUE(run(invall(1)).memory_error);
    EXPECT_TRUE(run(build::by_event(ItsOpcode::INT, 1, 1)).memory_error);
    const MsiRecord m = msi(1, 1);
    EXPECT_FALSE(m.delivered);
    EXPECT_EQ(m.reason, "memory_error");
}

TEST_F(ItsCoreTest, IttInUnreachableMemory) {
    env.bad.push_back({kBad, FakeEnv::kMemBytes});
    ok(mapc(0, 0));
    ok(mapd(1, kBad, 4));
    EXPECT_TRUE(run(mapti(1, 0, 8192, 0)).memory_error);
    EXPECT_TRUE(run(movi(1, 0, 0)).memory_error);
    EXPECT_TRUE(run(build::by_event(ItsOpcode::DISCARD, 1, 0)).memory_error);
    EXPECT_EQ(msi(1, 0).reason, "memory_error");
    // Re-mapping sweeps the old ITT: a memory error there too.
    EXPECT_TRUE(run(mapd(1, kItt0, 4)).memory_error);
    // An ITT address near the top of the PA space does not wrap around.
    ok(mapd(2, kDteIttMask, 15));
    EXPECT_TRUE(run(mapti(2, 0xFFFF, 8192, 0)).memory_error);
}

TEST_F(ItsCoreTest, MemoryErrorsStallUnderIgnorePolicy) {
    env.bad.push_back({kBad, FakeEnv::kMemBytes});
    ok(mapd(1, kBad, 4));
    enqueue({mapti(1, 0, 8192, 0), build::sync(0)});
    auto res = drain();
    ASSERT_EQ(res.size(), 1u);
    EXPECT_TRUE(res[0].stalled);
    EXPECT_TRUE(res[0].record.memory_error);
    EXPECT_TRUE(core->stalled());
    EXPECT_EQ(core->creadr(), gits::CREADR_Stalled);   // offset 0, Stalled
    // The command queue itself unreachable: stall on the fetch.
    env.bad.clear();
    env.bad.push_back({kCq, kCq + 0x1000});
    core->write_register(gits::CWRITER, 8, core->cwriter() | gits::CWRITER_Retry);
    res = drain();
    ASSERT_EQ(res.size(), 1u);
    EXPECT_TRUE(res[0].record.memory_error);
    EXPECT_EQ(res[0].record.cmd.opcode, 0u);
    env.bad.clear();
    core->write_register(gits::CWRITER, 8, core->cwriter() | gits::CWRITER_Retry);
    res = drain();
    ASSERT_EQ(res.size(), 2u);   // MAPTI now works (ITT memory reachable), then SYNC
    EXPECT_FALSE(res[0].record.memory_error);
    EXPECT_EQ(core->creadr(), 64u);
}

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

// The device table is guest memory. A DTE that software overwrote with a
// Size past ID_bits (found by tb/libfuzzer's fuzz_its_core: a MAPD swept
// 2^32 ITEs) counts as invalid: translation sees an unmapped device, and a
// MAPD over it sweeps nothing.
TEST_F(ItsCoreTest, DteWithSizePastIdBitsIsInvalid) {
    ItsConfig cfg;
    cfg.event_id_bits = 5;
    make(cfg);
    basic_mapping();
    ItsDte forged;
    forged.valid = true;
    forged.itt_addr = kItt0;
    forged.size = 31;   // 2^32 EventIDs
    env.put64(kDt + 1 * 8, encode_dte(forged));
    core->write_register(gits::CTLR, 4, 0);   // the caches go with a disable/enable
    core->write_register(gits::CTLR, 4, 1);
    env.clear_logs();
    EXPECT_EQ(msi(1, 3).reason, "device_unmapped");
    env.clear_logs();
    ok(mapd(1, kItt1, 4));
    EXPECT_EQ(env.count(ItsAccess::itt_sweep, false), 0u);
    EXPECT_TRUE(msi(1, 3).reason == "interrupt_unmapped");   // the new ITT is empty
}
