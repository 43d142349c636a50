// VMOVP's state move between two GICv4.1 redistributors without a kernel
// (VpeState::hand_over / take_over, vpe_state.h): the vPE's armed default
// doorbell and its vSGIs (pending and configuration) leave the old
// redistributor and arrive at the new one, where the doorbell then rings
// and the vSGIs keep their state; a second handover of the same move (one
// VMOVP per ITS in ITSList) is empty and changes nothing; GICv4.0 moves
// nothing.
#include "lpi_state_fixture.h"

#include "itsim/redist/vpe_state.h"

namespace {

constexpr uint64_t kValid = uint64_t{1} << 63, kDoorbell = uint64_t{1} << 62, kGrp1 = uint64_t{1} << 58;
constexpr uint64_t kAll = ~uint64_t{0};
constexpr uint64_t kVpt = 0x300000;
constexpr uint64_t kVpeTable = 0x400000;
constexpr uint64_t kVprop41 = kValid | kVpeTable | 1;   // flat, 4K pages, 2 pages
constexpr uint32_t kVpe = 5, kDb = 8300;

VpeStateConfig cfg(GicVersion v) {
    VpeStateConfig c;
    c.version = v;
    c.lpi = cache_cfg(64, 4);
    return c;
}
void le64(FakeMem& m, uint64_t addr, uint64_t v) {
    for (unsigned i = 0; i < 8; ++i) m.bytes[addr + i] = uint8_t(v >> (8 * i));
}
VpeRef ref(uint32_t vpeid) {
    VpeRef r;
    r.vpeid = vpeid;
    r.vpt_addr = kVpt;
    r.vpt_size = 15;
    r.vconf_addr = kProp;
    r.default_doorbell = kDb;
    return r;
}
// vPE kVpe scheduled on `s`, then descheduled with Doorbell = 1,
// PendingLast = 0 (nothing pending): its default doorbell armed there.
void arm(VpeState& s, FakeMem& m) {
    ASSERT_EQ(s.write_vpendbaser(kValid | kGrp1 | kVpe, kAll, 0, kVprop41), VpeState::WriteAction::schedule);
    s.run_schedule(m);
    s.finish(0);
    ASSERT_EQ(s.write_vpendbaser(kDoorbell | kVpe, kAll, 10, kVprop41), VpeState::WriteAction::deschedule);
    s.run_deschedule(m);
    s.finish(10);
    ASSERT_TRUE(s.doorbell_armed(kVpe));
}

TEST(VpeStateVmovp, Gicv41DoorbellAndVsgisMoveWithTheVpe) {
    FakeMem m;
    le64(m, kVpeTable + 32 * kVpe, kValid | (uint64_t{15} << 56) | kVpt);
    le64(m, kVpeTable + 32 * kVpe + 16, kProp);
    le64(m, kVpeTable + 32 * kVpe + 24, kDb);
    m.set_prop(8200, prop(0x40, true));
    VpeState from(cfg(GicVersion::v4_1)), to(cfg(GicVersion::v4_1));
    arm(from, m);
    from.vsgis().configure(kVpe, 3, true, true, 0xA0);
    from.vsgis().set_pending(kVpe, 3);
    from.vsgis().configure(kVpe, 9, true, false, 0x40);   // configured, not pending
    from.vsgis().set_pending(kVpe + 1, 0);                  // another vPE's: stays

    const VpeHandover h = from.hand_over(kVpe);
    EXPECT_TRUE(h.doorbell_armed);
    EXPECT_TRUE(h.vsgis);
    EXPECT_EQ(h.vsgi_pending, 0x0008u);
    EXPECT_EQ(h.vsgi_config[3], 0xA0 | 0x3);   // Priority 0xA0, Group 1, Enable
    EXPECT_EQ(h.vsgi_config[9], 0x40 | 0x1);   // Group 0
    EXPECT_EQ(h.vsgi_config[0], 0u);
    // Nothing of it is left at the old redistributor.
    EXPECT_FALSE(from.doorbell_armed(kVpe));
    EXPECT_EQ(from.vsgis().find(kVpe), nullptr);
    EXPECT_EQ(from.vsgis().pending_mask(kVpe + 1), 0x0001u);
    EXPECT_EQ(from.doorbell_for(ref(kVpe), 8200, kNoDoorbellIntid, false, m), kNoDoorbellIntid);

    to.take_over(kVpe, h);
    EXPECT_TRUE(to.doorbell_armed(kVpe));
    const Vsgi g3 = to.vsgis().get(kVpe, 3), g9 = to.vsgis().get(kVpe, 9);
    EXPECT_TRUE(g3.pending && g3.enable && g3.group);
    EXPECT_EQ(g3.priority, 0xA0);
    EXPECT_TRUE(g9.enable);
    EXPECT_FALSE(g9.pending || g9.group);
    EXPECT_EQ(g9.priority, 0x40);
    EXPECT_EQ(to.vsgis().pending_mask(kVpe), 0x0008u);

    // The second VMOVP of the same move (ITSList): the old one has nothing.
    const VpeHandover again = from.hand_over(kVpe);
    EXPECT_FALSE(again.doorbell_armed || again.vsgis);
    to.take_over(kVpe, again);
    EXPECT_TRUE(to.doorbell_armed(kVpe));
    EXPECT_EQ(to.vsgis().pending_mask(kVpe), 0x0008u);

    // A vLPI for the non-resident vPE now rings its doorbell at the new
    // redistributor (its enable byte read), once.
    EXPECT_EQ(to.doorbell_for(ref(kVpe), 8200, kNoDoorbellIntid, false, m), kDb);
    EXPECT_EQ(to.doorbell_for(ref(kVpe), 8200, kNoDoorbellIntid, false, m), kNoDoorbellIntid);
    EXPECT_EQ(from.check_invariants(), "");
    EXPECT_EQ(to.check_invariants(), "");
}

TEST(VpeStateVmovp, Gicv40MovesNothing) {
    VpeState from(cfg(GicVersion::v4_0)), to(cfg(GicVersion::v4_0));
    const VpeHandover h = from.hand_over(kVpe);
    EXPECT_FALSE(h.doorbell_armed || h.vsgis);
    VpeHandover forged;
    forged.doorbell_armed = true;
    to.take_over(kVpe, forged);   // v4.0 has no default doorbell
    EXPECT_FALSE(to.doorbell_armed(kVpe));
    EXPECT_EQ(to.check_invariants(), "");
}

}  // namespace
