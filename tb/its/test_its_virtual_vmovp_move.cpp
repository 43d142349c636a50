// VMOVP on a GICv4.1 ItsCore moves the vPE's state that is not in memory:
// vmovp_from to the old redistributor, whose handover (armed default
// doorbell, vSGIs) goes to the new one with vmovp; nothing when the
// redistributor does not change; GICv4.0 sends vmovp alone.
#include "its_virtual_fixture.h"

namespace {

// VirtEnv whose redistributors answer vmovp_from with a handover.
struct HandoverEnv : VirtEnv {
    VpeHandover give;
    LpiResult send(unsigned rd, const LpiOp& op) override {
        LpiResult r = VirtEnv::send(rd, op);
        if (op.kind == LpiOp::Kind::vmovp_from) r.handover = give;
        return r;
    }
};

class VmovpMove : public VirtTest {
protected:
    HandoverEnv he;
    CommandRecord run_he(const ItsCommand& cmd) {
        CommandRecord rec;
        core->execute(cmd, he, rec);
        return rec;
    }
    void setup(GicVersion v) {
        make(v);
        // The tables live in the env's memory: map vPE 2 on RD 1 there.
        he.mem = env.mem;
        ASSERT_EQ(run_he(vmapp(2, 1, vpt_of(2), 15, true, v)).status, 0u);
        he.give.doorbell_armed = true;
        he.give.vsgis = true;
        he.give.vsgi_pending = 0x8004;
        he.give.vsgi_config[2] = 0x51;
    }
};

TEST_F(VmovpMove, Gicv41AsksTheOldRedistributorThenTellsTheNewOne) {
    setup(GicVersion::v4_1);
    he.vops.clear();
    const CommandRecord r = run_he(vmovp(0, 0, 2, 3));
    ASSERT_EQ(r.status, 0u);
    EXPECT_EQ(he.kinds(), (std::vector<std::tuple<K, unsigned, uint32_t>>{{K::vmovp_from, 1, 0}, {K::vmovp, 3, 0}}));
    ASSERT_EQ(he.vops.size(), 2u);
    EXPECT_EQ(he.vops[0].op.vpe.vpeid, 2u);
    const VpeHandover& h = he.vops[1].op.handover;
    EXPECT_TRUE(h.doorbell_armed);
    EXPECT_TRUE(h.vsgis);
    EXPECT_EQ(h.vsgi_pending, 0x8004u);
    EXPECT_EQ(h.vsgi_config[2], 0x51);
    EXPECT_EQ(r.vcpu, 3u);
    // To the redistributor it already has: nothing moves, nothing is sent.
    he.vops.clear();
    ASSERT_EQ(run_he(vmovp(1, 0, 2, 3)).status, 0u);
    EXPECT_TRUE(he.vops.empty());
}

TEST_F(VmovpMove, Gicv40SendsVmovpAlone) {
    setup(GicVersion::v4_0);
    he.vops.clear();
    ASSERT_EQ(run_he(vmovp(0, 0, 2, 3)).status, 0u);
    EXPECT_EQ(he.kinds(), (std::vector<std::tuple<K, unsigned, uint32_t>>{{K::vmovp, 3, 0}}));
    EXPECT_FALSE(he.vops[0].op.handover.doorbell_armed || he.vops[0].op.handover.vsgis);
}

}  // namespace
