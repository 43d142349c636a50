// ItsCore without a simulation kernel (the fixture: its_core_fixture.h):
// every error code, in the order of the checks, and memory errors;
// a DTE in memory whose Size is past ID_bits.
#include "its_core_fixture.h"

namespace {

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
