// VsgiState and VsgiQuery (models/redist/vsgi_state.h) without a kernel:
// the 16 vSGIs of each vPE (pending, enable, group, priority[7:4]), the
// VSGI command's two forms (configure / clear), selection with the group
// enables, and the GICR_VSGIR / GICR_VSGIPENDR query with Busy.
#include <gtest/gtest.h>

#include "itsim/redist/vsgi_state.h"

using namespace itsim;

namespace {

TEST(VsgiState, ConfigureLeavesPendingAndClearLeavesTheConfiguration) {
    VsgiState s;
    EXPECT_TRUE(s.set_pending(4, 7));
    EXPECT_FALSE(s.set_pending(4, 7));   // already pending
    s.configure(4, 7, true, true, 0xA5);   // Priority[7:4] only: 0xA0
    Vsgi g = s.get(4, 7);
    EXPECT_TRUE(g.pending);
    EXPECT_TRUE(g.enable);
    EXPECT_TRUE(g.group);
    EXPECT_EQ(g.priority, 0xA0);
    EXPECT_TRUE(s.clear(4, 7));
    g = s.get(4, 7);
    EXPECT_FALSE(g.pending);
    EXPECT_TRUE(g.enable);
    EXPECT_EQ(g.priority, 0xA0);
    EXPECT_FALSE(s.clear(4, 7));
    EXPECT_EQ(s.pending_mask(4), 0u);
    EXPECT_EQ(s.check_invariants(), "");
}

TEST(VsgiState, OnlyNonResetVpesAreHeld) {
    VsgiState s;
    s.set_pending(1, 0);
    s.configure(2, 15, true, false, 0x10);
    EXPECT_EQ(s.vpes_held(), 2u);
    s.clear(1, 0);   // back to reset: forgotten
    EXPECT_EQ(s.vpes_held(), 1u);
    s.configure(2, 15, false, false, 0);
    EXPECT_EQ(s.vpes_held(), 0u);
    // Out of range vINTIDs do nothing.
    EXPECT_FALSE(s.set_pending(3, 16));
    s.configure(3, 99, true, true, 0);
    EXPECT_EQ(s.vpes_held(), 0u);
}

TEST(VsgiState, PendingMaskPerVpe) {
    VsgiState s;
    s.set_pending(9, 0);
    s.set_pending(9, 15);
    s.set_pending(10, 3);
    EXPECT_EQ(s.pending_mask(9), 0x8001u);
    EXPECT_EQ(s.pending_mask(10), 0x0008u);
    EXPECT_EQ(s.pending_mask(11), 0u);
}

TEST(VsgiState, HighestByPriorityThenVintidWithGroupEnables) {
    VsgiState s;
    s.configure(1, 5, true, true, 0x60);
    s.configure(1, 2, true, true, 0x60);
    s.configure(1, 8, true, false, 0x20);   // Group 0, best priority
    s.configure(1, 0, false, true, 0x00);   // disabled
    for (uint32_t n : {0u, 2u, 5u, 8u}) s.set_pending(1, n);
    uint8_t p = 0;
    EXPECT_EQ(s.highest(1, true, true, &p), 8u);
    EXPECT_EQ(p, 0x20);
    EXPECT_EQ(s.highest(1, false, true, &p), 2u);   // Group 0 off; tie 0x60 -> lower vINTID
    EXPECT_EQ(s.highest(1, false, false), vsgi::kNone);
    EXPECT_EQ(s.acknowledge(1, false, true, &p), 2u);
    EXPECT_FALSE(s.get(1, 2).pending);
    EXPECT_EQ(s.acknowledge(1, false, true), 5u);
    EXPECT_EQ(s.acknowledge(1, false, true), vsgi::kNone);
    EXPECT_TRUE(s.any_enabled_pending(1));   // 8, Group 0, whatever the group enables
    s.clear(1, 8);
    EXPECT_FALSE(s.any_enabled_pending(1));   // 0 is pending but disabled
    EXPECT_EQ(s.pending_mask(1), 0x0001u);
}

TEST(VsgiQuery, BusyForTheQueryTimeThenPending) {
    VsgiState s;
    VsgiQuery q;
    s.set_pending(3, 1);
    s.set_pending(3, 4);
    EXPECT_EQ(q.read(s, 0), 0u);   // no query yet
    const uint64_t busy = 100000;  // e.g. 100 cycles of 1 ns
    EXPECT_TRUE(q.start(3, 5000, busy));
    EXPECT_EQ(q.read(s, 5000), vsgi::kPendrBusy);
    EXPECT_EQ(q.read(s, 5000 + busy - 1), vsgi::kPendrBusy);
    EXPECT_EQ(q.read(s, 5000 + busy), 0x12u);
    // A write while Busy is ignored: the first query's vPE stays.
    EXPECT_TRUE(q.start(4, 200000, busy));
    EXPECT_FALSE(q.start(3, 250000, busy));
    EXPECT_EQ(q.vpeid(), 4u);
    EXPECT_EQ(q.read(s, 300000), 0u);
    // vPEID[15:0] only.
    EXPECT_TRUE(q.start(0x10003, 400000, 0));
    EXPECT_EQ(q.vpeid(), 3u);
    EXPECT_EQ(q.read(s, 400000), 0x12u);
}

}  // namespace
