// VpeState (models/redist/vpe_state.h) without a kernel: the residency
// state machine of GICR_VPENDBASER (v4.0 and v4.1), Dirty, PendingLast,
// the VPT parse and its cost from the parameters, the write-back, the
// non-resident VPT read-modify-write and the doorbell rules. The backend
// is the LpiState tests' byte map (lpi_state_fixture.h) with a cost per
// access, so that a parse's time can be computed from its plan.
#include "lpi_state_fixture.h"

#include "itsim/redist/vpe_state.h"

namespace {

constexpr uint64_t kValid = uint64_t{1} << 63;
constexpr uint64_t kIdai = uint64_t{1} << 62, kDoorbell = uint64_t{1} << 62;
constexpr uint64_t kPendingLast = uint64_t{1} << 61, kDirty = uint64_t{1} << 60;
constexpr uint64_t kGrp0 = uint64_t{1} << 59, kGrp1 = uint64_t{1} << 58;
constexpr uint64_t kAll = ~uint64_t{0};
constexpr uint64_t kVpt = 0x300000;        // a VPT, 64 KiB aligned
constexpr uint64_t kVpt2 = 0x310000;
constexpr uint64_t kVconf = 0x100000;      // = kProp: the vLPI configuration table
constexpr uint64_t kVpeTable = 0x400000;   // GICv4.1 vPE configuration table

// The fake memory with time: a read costs kReadBase + kPerByte * len, a
// lookup kL, an update kU, a write kW (ps).
constexpr uint64_t kReadBase = 50000, kPerByte = 100, kL = 3000, kU = 2000, kW = 40000;
struct TimedMem : FakeMem {
    uint64_t t = 0;
    bool read(uint64_t addr, void* dst, unsigned len) override {
        t += kReadBase + kPerByte * len;
        return FakeMem::read(addr, dst, len);
    }
    bool write(uint64_t addr, const void* src, unsigned len) override {
        t += kW;
        return FakeMem::write(addr, src, len);
    }
    void on_config_lookup() override {
        t += kL;
        FakeMem::on_config_lookup();
    }
    void on_pending_update() override {
        t += kU;
        FakeMem::on_pending_update();
    }
    uint64_t stamp() override { return t; }
    void set_vpt(uint64_t vpt, uint32_t vintid) { bytes[vpt + vintid / 8] |= uint8_t(1u << (vintid % 8)); }
    bool vpt_bit(uint64_t vpt, uint32_t vintid) const { return (at(vpt + vintid / 8) >> (vintid % 8)) & 1; }
    void le64(uint64_t addr, uint64_t v) {
        for (unsigned i = 0; i < 8; ++i) bytes[addr + i] = uint8_t(v >> (8 * i));
    }
};

VpeStateConfig cfg(GicVersion v, unsigned burst = 64) {
    VpeStateConfig c;
    c.version = v;
    c.lpi = cache_cfg(64, 4);
    c.max_id_bits = 16;
    c.pending_read_burst = burst;
    return c;
}

// v4.0: VPROPBASER = config table | IDbits; VPENDBASER = VPT | PendingLast | IDAI | Valid (Linux's schedule).
constexpr uint64_t kVprop40 = kVconf | 15;   // IDbits 15: vINTIDs < 2^16
constexpr uint64_t kSched40 = kValid | kIdai | kPendingLast | kVpt;

VpeRef ref40(uint64_t vpt = kVpt, uint8_t size = 15) {
    VpeRef r;
    r.vpeid = 7;
    r.vpt_addr = vpt;
    r.vpt_size = size;
    return r;
}
VpeRef ref41(uint32_t vpeid, uint64_t vpt = kVpt, uint8_t size = 15, uint32_t db = 8200) {
    VpeRef r;
    r.vpeid = vpeid;
    r.vpt_addr = vpt;
    r.vpt_size = size;
    r.vconf_addr = kVconf;
    r.default_doorbell = db;
    return r;
}

// GICv4.1 VPROPBASER: Valid, 4K pages, flat, 2 pages, at kVpeTable.
constexpr uint64_t kVprop41 = kValid | kVpeTable | 1;
// A VTE (its_tables.h layout) for vPEID at a flat table.
void put_vte(TimedMem& m, uint64_t entry, uint64_t vpt, uint8_t size, uint64_t vconf, uint32_t db) {
    m.le64(entry, kValid | (uint64_t(size) << 56) | vpt);
    m.le64(entry + 8, 3);   // RDbase: processor 3
    m.le64(entry + 16, vconf);
    m.le64(entry + 24, db);
}

// ---------------------------------------------------------------------------
// The parse plan and its cost
// ---------------------------------------------------------------------------

TEST(VptParsePlan, BytesFromByte1024ToTheEndInBursts) {
    // 2^16 vINTIDs: 8 KiB of VPT, the first 1 KiB skipped: 7168 bytes, 112 x 64.
    EXPECT_EQ(vpt_parse_plan(1u << 16, 64).bytes, 7168u);
    EXPECT_EQ(vpt_parse_plan(1u << 16, 64).bursts, 112u);
    // 2^14: bytes [1024, 2048) in 48-byte bursts: 21 full + 1 of 16.
    EXPECT_EQ(vpt_parse_plan(1u << 14, 48).bytes, 1024u);
    EXPECT_EQ(vpt_parse_plan(1u << 14, 48).bursts, 22u);
    // No vLPI range: nothing read.
    EXPECT_EQ(vpt_parse_plan(8192, 64).bursts, 0u);
    EXPECT_EQ(vpt_parse_plan(0, 64).bytes, 0u);
}

TEST(VptParsePlan, LimitFromVptSizeCappedByTheRedistributor) {
    EXPECT_EQ(vpt_limit(15, 16), 1u << 16);
    EXPECT_EQ(vpt_limit(13, 16), 1u << 14);
    EXPECT_EQ(vpt_limit(23, 16), 1u << 16);   // capped at max_id_bits
    EXPECT_EQ(vpt_limit(12, 16), 0u);         // 2^13 = 8192: no vLPI
}

TEST(VpeStateParse, CostIsTheBurstsPlusALookupPerPendingVlpi) {
    TimedMem m;
    VpeState s(cfg(GicVersion::v4_0));
    m.set_vpt(kVpt, 8192);
    m.set_vpt(kVpt, 9000);
    m.set_vpt(kVpt, 65535);
    m.set_prop(8192, prop(0x40, true));
    m.set_prop(9000, prop(0x20, true));
    m.set_prop(65535, prop(0x80, false));
    ASSERT_EQ(s.write_vpendbaser(kSched40, kAll, 0, kVprop40), VpeState::WriteAction::schedule);
    EXPECT_EQ(s.run_schedule(m), 3u);
    // 112 bursts of 64 bytes; per pending vLPI a lookup, a 1-byte miss, an update.
    const VptParsePlan plan = vpt_parse_plan(1u << 16, 64);
    const uint64_t expect = plan.bursts * (kReadBase + kPerByte * 64) + 3 * (kL + kReadBase + kPerByte * 1 + kU);
    EXPECT_EQ(m.t, expect);
    EXPECT_EQ(m.reads(), plan.bursts + 3);
    EXPECT_EQ(m.log.front().addr, kVpt + 1024);
    EXPECT_EQ(m.log.front().len, 64u);
    EXPECT_EQ(s.stats().vlpis_loaded, 3u);
    // The highest enabled one is offered: 9000 (priority 0x20).
    EXPECT_EQ(s.highest().intid, 9000u);
    EXPECT_EQ(s.highest().priority, 0x20);
}

TEST(VpeStateParse, BurstSizeChangesTheCost) {
    TimedMem m;
    VpeState s(cfg(GicVersion::v4_0, 256));
    ASSERT_EQ(s.write_vpendbaser(kSched40, kAll, 0, kVconf | 13), VpeState::WriteAction::schedule);
    EXPECT_EQ(s.run_schedule(m), 0u);
    // IDbits 13: 2^14 vINTIDs, 1024 bytes after the first KiB: 4 x 256.
    EXPECT_EQ(m.reads(), 4u);
    EXPECT_EQ(m.t, 4 * (kReadBase + kPerByte * 256));
}

// ---------------------------------------------------------------------------
// GICv4.0 residency
// ---------------------------------------------------------------------------

TEST(VpeState40, ScheduleDirtyUntilFinishedThenResident) {
    TimedMem m;
    VpeState s(cfg(GicVersion::v4_0));
    EXPECT_EQ(s.vpendbaser(0), 0u);
    EXPECT_EQ(s.write_vpendbaser(kSched40, kAll, 100, kVprop40), VpeState::WriteAction::schedule);
    EXPECT_EQ(s.residency(), Residency::scheduling);
    EXPECT_EQ(s.vpendbaser(100), kSched40 | kDirty);
    s.run_schedule(m);
    EXPECT_TRUE(s.dirty(m.t));   // still scheduling until finish()
    s.finish(5000000);
    EXPECT_EQ(s.residency(), Residency::resident);
    EXPECT_TRUE(s.dirty(4999999));
    EXPECT_FALSE(s.dirty(5000000));
    EXPECT_EQ(s.vpendbaser(5000000), kSched40);   // PendingLast and IDAI read as written
    EXPECT_TRUE(s.is_resident(ref40()));
    EXPECT_FALSE(s.is_resident(ref40(kVpt2)));
    EXPECT_EQ(s.last_change().vpt_addr, kVpt);
    EXPECT_TRUE(s.last_change().resident);
    EXPECT_EQ(s.check_invariants(), "");
}

TEST(VpeState40, WritesWhileValidAreIgnored) {
    TimedMem m;
    VpeState s(cfg(GicVersion::v4_0));
    s.write_vpendbaser(kSched40, kAll, 0, kVprop40);
    s.run_schedule(m);
    s.finish(0);
    // Another PA with Valid still 1: ignored, counted.
    EXPECT_EQ(s.write_vpendbaser(kValid | kVpt2, kAll, 10, kVprop40), VpeState::WriteAction::ignored);
    EXPECT_EQ(s.vpendbaser(10), kSched40);
    EXPECT_EQ(s.stats().ignored_writes, 1u);
    // The same value again changes nothing and is not counted.
    EXPECT_EQ(s.write_vpendbaser(kSched40, kAll, 10, kVprop40), VpeState::WriteAction::ignored);
    EXPECT_EQ(s.stats().ignored_writes, 1u);
    // The low half alone (Valid not reached) is ignored too.
    EXPECT_EQ(s.write_vpendbaser(kVpt2, 0xFFFFFFFFu, 10, kVprop40), VpeState::WriteAction::ignored);
    EXPECT_EQ(s.vpendbaser(10), kSched40);
}

TEST(VpeState40, ValidChangeWhileDirtyIsIgnored) {
    TimedMem m;
    VpeState s(cfg(GicVersion::v4_0));
    s.write_vpendbaser(kSched40, kAll, 0, kVprop40);
    // Scheduling (parse running): Valid 1 -> 0 ignored.
    EXPECT_EQ(s.write_vpendbaser(0, kAll, 1, kVprop40), VpeState::WriteAction::ignored);
    s.run_schedule(m);
    s.finish(1000);
    EXPECT_EQ(s.write_vpendbaser(0, kAll, 999, kVprop40), VpeState::WriteAction::ignored);
    EXPECT_EQ(s.stats().ignored_writes, 2u);
    EXPECT_EQ(s.write_vpendbaser(0, kAll, 1000, kVprop40), VpeState::WriteAction::deschedule);
}

TEST(VpeState40, DescheduleWritesBackChangedBytesAndSetsPendingLast) {
    TimedMem m;
    VpeState s(cfg(GicVersion::v4_0));
    m.set_vpt(kVpt, 8200);   // pending in memory: loaded, not written back
    m.set_prop(8200, prop(0x40, false));
    m.set_prop(8300, prop(0x40, true));
    s.write_vpendbaser(kSched40, kAll, 0, kVprop40);
    s.run_schedule(m);
    s.finish(0);
    // A vLPI delivered while resident: pending here, not in memory yet.
    EXPECT_TRUE(s.vlpis().set_pending(8300, m).newly_pending);
    EXPECT_FALSE(m.vpt_bit(kVpt, 8300));
    m.log.clear();
    EXPECT_EQ(s.write_vpendbaser(kPendingLast, kAll, 10, kVprop40), VpeState::WriteAction::deschedule);
    EXPECT_EQ(s.residency(), Residency::descheduling);
    EXPECT_TRUE(s.dirty(10));
    EXPECT_FALSE(s.is_resident(ref40()));
    EXPECT_TRUE(s.is_descheduling(ref40()));
    EXPECT_EQ(s.run_deschedule(m), 1u);   // byte 8300/8 only
    ASSERT_EQ(m.writes(), 1u);
    EXPECT_EQ(m.log.back().addr, kVpt + 8300 / 8);
    EXPECT_TRUE(m.vpt_bit(kVpt, 8300));
    EXPECT_TRUE(m.vpt_bit(kVpt, 8200));
    EXPECT_EQ(s.residency(), Residency::idle);
    EXPECT_EQ(s.vlpis().pending_count(), 0u);
    // 8300 is enabled and pending: PendingLast = 1.
    EXPECT_TRUE(s.last_change().pending_last);
    s.finish(2000);
    EXPECT_EQ(s.vpendbaser(1999) & (kValid | kPendingLast | kDirty), kPendingLast | kDirty);
    EXPECT_EQ(s.vpendbaser(2000) & (kValid | kPendingLast | kDirty), kPendingLast);
    EXPECT_EQ(s.check_invariants(), "");
}

TEST(VpeState40, PendingLastZeroWhenNothingEnabledIsPending) {
    TimedMem m;
    VpeState s(cfg(GicVersion::v4_0));
    m.set_vpt(kVpt, 8200);
    m.set_prop(8200, prop(0x40, false));   // pending but disabled
    s.write_vpendbaser(kSched40, kAll, 0, kVprop40);
    s.run_schedule(m);
    s.finish(0);
    s.write_vpendbaser(kPendingLast, kAll, 0, kVprop40);   // software writes 1: hardware's value replaces it
    EXPECT_EQ(s.run_deschedule(m), 0u);                    // nothing changed while resident
    EXPECT_FALSE(s.last_change().pending_last);
    EXPECT_EQ(s.vpendbaser(0) & kPendingLast, 0u);
    // v4.0 never arms a default doorbell.
    EXPECT_FALSE(s.last_change().doorbell_armed);
    EXPECT_EQ(s.doorbells_armed(), 0u);
}

TEST(VpeState40, AcknowledgeTakesTheHighestVisibleVlpi) {
    TimedMem m;
    VpeState s(cfg(GicVersion::v4_0));
    m.set_prop(8192, prop(0x80, true));
    m.set_prop(8193, prop(0x10, true));
    s.write_vpendbaser(kSched40, kAll, 0, kVprop40);
    s.run_schedule(m);
    s.finish(0);
    s.vlpis().set_pending(8192, m);
    s.vlpis().set_pending(8193, m);
    const uint64_t stamp_8193 = m.t;
    EXPECT_EQ(s.acknowledge(stamp_8193 - 1).intid, 8192u);   // 8193 not visible yet
    const VpeState::Pick p = s.acknowledge(stamp_8193);
    EXPECT_EQ(p.intid, 8193u);
    EXPECT_EQ(p.priority, 0x10);
    EXPECT_FALSE(p.vsgi);
    EXPECT_EQ(s.acknowledge(UINT64_MAX).intid, 1023u);
}

TEST(VpeState40, NonResidentVptReadModifyWrite) {
    TimedMem m;
    VpeState s(cfg(GicVersion::v4_0));
    bool in_range = false;
    m.bytes[kVpt + 9000 / 8] = 0x01;   // another vINTID of that byte is set
    EXPECT_FALSE(s.vpt_update(ref40(), 9001, true, m, &in_range));
    EXPECT_TRUE(in_range);
    EXPECT_EQ(m.at(kVpt + 9000 / 8), 0x03);
    ASSERT_EQ(m.log.size(), 2u);
    EXPECT_EQ(m.log[0].kind, 'r');
    EXPECT_EQ(m.log[1].kind, 'w');
    EXPECT_EQ(m.log[1].len, 1u);
    // Already set: read only.
    EXPECT_TRUE(s.vpt_update(ref40(), 9001, true, m, &in_range));
    EXPECT_EQ(m.writes(), 1u);
    // Clear.
    EXPECT_TRUE(s.vpt_update(ref40(), 9001, false, m, &in_range));
    EXPECT_EQ(m.at(kVpt + 9000 / 8), 0x01);
    // Out of the VPT's range (VPT_size 13: < 2^14), or below 8192: nothing accessed.
    m.log.clear();
    EXPECT_FALSE(s.vpt_update(ref40(kVpt, 13), 16384, true, m, &in_range));
    EXPECT_FALSE(in_range);
    EXPECT_FALSE(s.vpt_update(ref40(), 8191, true, m, &in_range));
    EXPECT_FALSE(in_range);
    EXPECT_TRUE(m.log.empty());
}

TEST(VpeState40, DoorbellIsTheItesWhateverTheEnable) {
    TimedMem m;
    VpeState s(cfg(GicVersion::v4_0));
    m.set_prop(9000, prop(0x40, false));
    EXPECT_EQ(s.doorbell_for(ref40(), 9000, 8500, false, m), 8500u);
    EXPECT_EQ(s.doorbell_for(ref40(), 9000, 8500, false, m), 8500u);   // every time: per ITE
    EXPECT_EQ(s.doorbell_for(ref40(), 9000, 1023, false, m), 1023u);
    EXPECT_TRUE(m.log.empty());   // no configuration read
}

// ---------------------------------------------------------------------------
// GICv4.1 residency
// ---------------------------------------------------------------------------

struct VpeState41 : ::testing::Test {
    TimedMem m;
    VpeState s{cfg(GicVersion::v4_1)};
    static constexpr uint32_t kVpe = 5;
    void SetUp() override { put_vte(m, kVpeTable + 32 * kVpe, kVpt, 15, kVconf, 8200); }
    uint64_t sched(uint32_t vpeid = kVpe) { return kValid | kGrp1 | vpeid; }
    void schedule() {
        ASSERT_EQ(s.write_vpendbaser(sched(), kAll, 0, kVprop41), VpeState::WriteAction::schedule);
        s.run_schedule(m);
        s.finish(0);
    }
};

TEST_F(VpeState41, ScheduleReadsTheVteThenTheVpt) {
    m.set_vpt(kVpt, 8192);
    m.set_prop(8192, prop(0x30, true));
    ASSERT_EQ(s.write_vpendbaser(sched(), kAll, 0, kVprop41), VpeState::WriteAction::schedule);
    EXPECT_FALSE(s.tables_known());
    EXPECT_EQ(s.run_schedule(m), 1u);
    // The VTE (32 bytes at table + 32 * vPEID), 112 bursts, the configuration read.
    ASSERT_GE(m.log.size(), 2u);
    EXPECT_EQ(m.log[0].addr, kVpeTable + 32 * kVpe);
    EXPECT_EQ(m.log[0].len, 32u);
    EXPECT_EQ(m.log[1].addr, kVpt + 1024);
    EXPECT_EQ(m.reads(), 1 + 112 + 1u);
    EXPECT_EQ(m.t, (kReadBase + kPerByte * 32) + 112 * (kReadBase + kPerByte * 64) +
                       (kL + kReadBase + kPerByte + kU));
    s.finish(0);
    EXPECT_TRUE(s.is_resident(ref41(kVpe)));
    EXPECT_FALSE(s.is_resident(ref41(kVpe + 1)));
    EXPECT_TRUE(s.is_resident_vpeid(kVpe));
    EXPECT_EQ(s.resident_vpt(), kVpt);
    EXPECT_EQ(s.highest().intid, 8192u);
}

TEST_F(VpeState41, TwoLevelTable) {
    // Indirect, 4K pages: 128 entries per level-2 page; vPEID 130 is entry 2 of L1 slot 1.
    const uint64_t l2 = 0x500000;
    m.le64(kVpeTable + 8, kValid | l2);
    put_vte(m, l2 + 32 * 2, kVpt2, 13, kVconf, 1023);
    const uint64_t vprop = kValid | (uint64_t{1} << 55) | kVpeTable;
    ASSERT_EQ(s.write_vpendbaser(sched(130), kAll, 0, vprop), VpeState::WriteAction::schedule);
    s.run_schedule(m);
    EXPECT_EQ(m.log[0].addr, kVpeTable + 8);
    EXPECT_EQ(m.log[0].len, 8u);
    EXPECT_EQ(m.log[1].addr, l2 + 64);
    EXPECT_EQ(s.resident_vpt(), kVpt2);
    EXPECT_EQ(s.vlpis().intid_limit(), 1u << 14);
}

TEST_F(VpeState41, InvalidVteLeavesNoRange) {
    ASSERT_EQ(s.write_vpendbaser(sched(9), kAll, 0, kVprop41), VpeState::WriteAction::schedule);
    s.run_schedule(m);   // vPEID 9's entry is all zero
    EXPECT_EQ(s.stats().vte_invalid, 1u);
    EXPECT_EQ(s.vlpis().intid_limit(), 0u);
    EXPECT_EQ(m.reads(), 1u);   // the VTE only: no VPT to parse
    // A vPEID past the table (2 pages of 4K = 256 entries): not even read.
    TimedMem m2;
    VpeState s2(cfg(GicVersion::v4_1));
    s2.write_vpendbaser(sched(256), kAll, 0, kVprop41);
    s2.run_schedule(m2);
    EXPECT_EQ(m2.reads(), 0u);
}

TEST_F(VpeState41, ScheduleNeedsAValidVpropbaser) {
    EXPECT_EQ(s.write_vpendbaser(sched(), kAll, 0, kVpeTable), VpeState::WriteAction::ignored);
    EXPECT_FALSE(s.valid());
    EXPECT_EQ(s.stats().ignored_writes, 1u);
}

TEST_F(VpeState41, AnOperationDuringTheVteReadBringsTheTables) {
    ASSERT_EQ(s.write_vpendbaser(sched(), kAll, 0, kVprop41), VpeState::WriteAction::schedule);
    EXPECT_FALSE(s.adopt(ref41(kVpe + 1)));   // another vPE
    EXPECT_TRUE(s.adopt(ref41(kVpe, kVpt, 14)));
    EXPECT_EQ(s.vlpis().intid_limit(), 1u << 15);
    s.run_schedule(m);   // no VTE read now
    EXPECT_EQ(m.log[0].addr, kVpt + 1024);
    EXPECT_EQ(m.reads(), vpt_parse_plan(1u << 15, 64).bursts);
}

TEST_F(VpeState41, DoorbellRequestArmsWhenNothingEnabledIsPending) {
    schedule();
    EXPECT_EQ(s.write_vpendbaser(kDoorbell, kAll, 0, kVprop41), VpeState::WriteAction::deschedule);
    EXPECT_TRUE(s.last_change().doorbell_armed);
    EXPECT_TRUE(s.doorbell_armed(kVpe));
    s.run_deschedule(m);
    s.finish(0);
    EXPECT_FALSE(s.last_change().pending_last);
    EXPECT_EQ(s.vpendbaser(0) & (kDoorbell | kPendingLast), 0u);
    // A disabled vLPI: its byte is read, no doorbell, still armed.
    m.set_prop(9000, prop(0x40, false));
    m.set_prop(9001, prop(0x40, true));
    m.log.clear();
    EXPECT_EQ(s.doorbell_for(ref41(kVpe), 9000, 1023, false, m), 1023u);
    ASSERT_EQ(m.log.size(), 1u);
    EXPECT_EQ(m.log[0].addr, kVconf + 9000 - 8192);
    EXPECT_TRUE(s.doorbell_armed(kVpe));
    // An enabled one rings the default doorbell once.
    EXPECT_EQ(s.doorbell_for(ref41(kVpe), 9001, 1023, false, m), 8200u);
    EXPECT_FALSE(s.doorbell_armed(kVpe));
    EXPECT_EQ(s.doorbell_for(ref41(kVpe), 9001, 1023, false, m), 1023u);
    EXPECT_EQ(s.stats().doorbells_rung, 1u);
}

TEST_F(VpeState41, DoorbellTreatedAsZeroWithEnabledPendingOrPendingLastWritten) {
    m.set_vpt(kVpt, 8192);
    m.set_prop(8192, prop(0x30, true));
    schedule();
    s.write_vpendbaser(kDoorbell, kAll, 0, kVprop41);
    EXPECT_FALSE(s.last_change().doorbell_armed);
    s.run_deschedule(m);
    EXPECT_TRUE(s.last_change().pending_last);
    s.finish(0);
    // Again with nothing pending but PendingLast written 1 (Linux without need_db).
    TimedMem m2;
    VpeState s2(cfg(GicVersion::v4_1));
    put_vte(m2, kVpeTable + 32 * kVpe, kVpt, 15, kVconf, 8200);
    s2.write_vpendbaser(sched(), kAll, 0, kVprop41);
    s2.run_schedule(m2);
    s2.finish(0);
    s2.write_vpendbaser(kDoorbell | kPendingLast, kAll, 0, kVprop41);
    EXPECT_FALSE(s2.last_change().doorbell_armed);
    EXPECT_FALSE(s2.doorbell_armed(kVpe));
}

TEST_F(VpeState41, NoDefaultDoorbellNoRing) {
    schedule();
    s.write_vpendbaser(kDoorbell, kAll, 0, kVprop41);
    s.run_deschedule(m);
    m.set_prop(9001, prop(0x40, true));
    EXPECT_EQ(s.doorbell_for(ref41(kVpe, kVpt, 15, 1023), 9001, 1023, false, m), 1023u);
    EXPECT_TRUE(s.doorbell_armed(kVpe));
}

TEST_F(VpeState41, VlpiJoiningTheWriteBackIsWrittenAndMayRing) {
    m.set_prop(9001, prop(0x40, true));
    schedule();
    s.write_vpendbaser(kDoorbell, kAll, 0, kVprop41);
    ASSERT_TRUE(s.is_descheduling(ref41(kVpe)));
    // Arrives in the 1 -> 0 window: joins the state being written back.
    EXPECT_TRUE(s.vlpis().set_pending(9001, m).newly_pending);
    const uint8_t c = *s.vlpis().pending_config(9001);
    EXPECT_EQ(s.doorbell_for(ref41(kVpe), 9001, 1023, false, m, &c), 8200u);
    s.run_deschedule(m);
    EXPECT_TRUE(m.vpt_bit(kVpt, 9001));
    EXPECT_TRUE(s.last_change().pending_last);
}

TEST_F(VpeState41, GroupEnablesGateTheOffer) {
    m.set_vpt(kVpt, 8192);
    m.set_prop(8192, prop(0x30, true));
    ASSERT_EQ(s.write_vpendbaser(kValid | kGrp0 | kVpe, kAll, 0, kVprop41), VpeState::WriteAction::schedule);
    s.run_schedule(m);
    s.finish(0);
    EXPECT_EQ(s.highest().intid, 1023u);   // vLPIs are Group 1: VGrp1En = 0
    EXPECT_TRUE(s.vlpis().has_selectable());
    // A Group 0 vSGI is offered.
    s.vsgis().configure(kVpe, 3, true, false, 0x70);
    s.vsgis().set_pending(kVpe, 3);
    EXPECT_EQ(s.highest().intid, 3u);
    EXPECT_TRUE(s.highest().vsgi);
}

TEST_F(VpeState41, VsgiAndVlpiShareOnePriorityOrder) {
    m.set_vpt(kVpt, 8192);
    m.set_prop(8192, prop(0x40, true));
    ASSERT_EQ(s.write_vpendbaser(kValid | kGrp0 | kGrp1 | kVpe, kAll, 0, kVprop41), VpeState::WriteAction::schedule);
    s.run_schedule(m);
    s.finish(0);
    s.vsgis().configure(kVpe, 9, true, true, 0x50);
    s.vsgis().set_pending(kVpe, 9);
    EXPECT_EQ(s.highest().intid, 8192u);   // 0x40 beats 0x50
    s.vsgis().configure(kVpe, 9, true, true, 0x40);
    EXPECT_EQ(s.highest().intid, 9u);      // equal: the lower INTID (the vSGI)
    EXPECT_EQ(s.acknowledge(UINT64_MAX).intid, 9u);
    EXPECT_FALSE(s.vsgis().get(kVpe, 9).pending);
    EXPECT_EQ(s.acknowledge(UINT64_MAX).intid, 8192u);
    // A pending vSGI counts for PendingLast and blocks the doorbell request.
    s.vsgis().set_pending(kVpe, 9);
    s.write_vpendbaser(kDoorbell, kAll, 0, kVprop41);
    EXPECT_FALSE(s.last_change().doorbell_armed);
    s.run_deschedule(m);
    EXPECT_TRUE(s.last_change().pending_last);
    // Not resident: nothing offered, the vSGI stays pending here.
    EXPECT_EQ(s.highest().intid, 1023u);
    EXPECT_TRUE(s.vsgis().get(kVpe, 9).pending);
}

TEST_F(VpeState41, VsgiRingsAnArmedDoorbellWhenEnabled) {
    schedule();
    s.write_vpendbaser(kDoorbell, kAll, 0, kVprop41);
    s.run_deschedule(m);
    s.vsgis().set_pending(kVpe, 2);   // disabled
    EXPECT_EQ(s.doorbell_for(ref41(kVpe), 2, 1023, true, m), 1023u);
    s.vsgis().configure(kVpe, 4, true, true, 0);
    s.vsgis().set_pending(kVpe, 4);
    const size_t accesses = m.log.size();
    EXPECT_EQ(s.doorbell_for(ref41(kVpe), 4, 1023, true, m), 8200u);
    EXPECT_EQ(m.log.size(), accesses);   // no configuration byte for a vSGI
    EXPECT_FALSE(s.doorbell_armed(kVpe));
}

TEST(VpeStateConfig, RefusesGicv3) {
    EXPECT_THROW(VpeState(cfg(GicVersion::v3)), std::invalid_argument);
}

}  // namespace
