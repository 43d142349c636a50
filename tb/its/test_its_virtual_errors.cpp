// GICv4 ItsCore, plain C++ (its_virtual_fixture.h): the error code of each
// failing check of the virtual commands and of physical commands on
// virtual ITEs, in the check order of gicv4-facts.md 1.4 (QEMU's), and the
// rows the one error table (its_cmd.h) has for them.
#include "its_virtual_fixture.h"

namespace {

TEST(ItsVirtualErrorTable, RowsAndSources) {
    using namespace cmd_error;
    EXPECT_STREQ(code_name(0x012514), "VSYNC_VCPU_INVALID");
    EXPECT_EQ(find_code(0x012514)->basis, Basis::documented);   // QNX
    EXPECT_EQ(find_code(0x012911)->basis, Basis::documented);
    EXPECT_EQ(find_code(0x012912)->basis, Basis::pattern);
    EXPECT_EQ(find_code(0x012115)->command, ItsOpcode::VMOVI);
    EXPECT_STREQ(code_name(0x010110), "MOVI_ITE_INVALID");
    EXPECT_STREQ(code_name(0x0122E9), "VMOVP_SEQUENCE_INVALID");
    // Every V code is {0x01, opcode, reason} (the table checks it at compile
    // time too) and an unknown opcode's code is still UNSUPPORTED_CMD.
    for (const ErrorCode& e : kErrorCodes)
        if (is_virtual(uint8_t(e.command))) {
            EXPECT_EQ((e.code >> 8) & 0xFF, uint32_t(e.command)) << e.name;
        }
    EXPECT_STREQ(code_name(unknown_opcode(0x29)), "UNSUPPORTED_CMD");
}

TEST_F(VirtTest, VmappChecksInOrder) {
    // VPT_size + 1 past the 16 LPI INTID bits, RDbase 9 names no
    // redistributor, vPEID 128 past the one-page table.
    EXPECT_EQ(run(vmapp(200, 9, vpt_of(1), 16)).status, 0x012912u);
    EXPECT_EQ(run(vmapp(200, 9, vpt_of(1), 15)).status, 0x012902u);
    EXPECT_EQ(run(vmapp(128, 1, vpt_of(1), 15)).status, 0x012911u);
    ok(vmapp(127, 1, vpt_of(1), 15));
    // V=0 checks neither VPT_size nor RDbase.
    ok(vmapp(127, 9, 0, 31, false));
    // GICv4.0's VPT_size is [4:0]: 0x2F is 15.
    ok(vmapp(1, 1, vpt_of(1), 0x2F));
    EXPECT_EQ((vte_words(1)[0] >> 56) & 0x1F, 15u);
    EXPECT_EQ(env.writes(), 3u);   // nothing written by a failing one
    // GICv4.1: the default doorbell is 1023 or an LPI.
    make(GicVersion::v4_1);
    ItsCommand m = vmapp(1, 1, vpt_of(1), 15);
    m.default_doorbell = 5;
    EXPECT_EQ(run(m).status, 0x012906u);
    m.default_doorbell = 1023;
    ok(m);
}

TEST_F(VirtTest, VmaptiChecksInOrder) {
    ok(mapd(1, kItt0, 4));
    EXPECT_EQ(run(vmapti(600, 3, 2, 8200)).status, 0x012A01u);   // device table: 512 DeviceIDs
    EXPECT_EQ(run(vmapti(7, 3, 2, 8200)).status, 0x012A04u);     // device 7 unmapped
    EXPECT_EQ(run(vmapti(1, 40, 2, 100, 5)).status, 0x012A05u);  // 32 events
    EXPECT_EQ(run(vmapti(1, 3, 200, 100, 5)).status, 0x012A13u); // vINTID 100: no LPI
    EXPECT_EQ(run(vmapti(1, 3, 200, 65536)).status, 0x012A13u);  // past 16 INTID bits
    EXPECT_EQ(run(vmapti(1, 3, 200, 8200, 5)).status, 0x012A06u);
    EXPECT_EQ(run(vmapti(1, 3, 200, 8200)).status, 0x012A11u);
    EXPECT_EQ(run(vmapi(7, 3, 2)).status, 0x012B04u);
    EXPECT_EQ(run(vmapi(1, 40, 2)).status, 0x012B05u);
    EXPECT_EQ(env.count(ItsAccess::ite, true), 0u);
}

TEST_F(VirtTest, VmoviChecksInOrder) {
    basic_virtual();
    ok(mapti(1, 4, 8195, 2));   // a physical ITE (collection not needed to map)
    ok(vmapp(5, 2, vpt_of(5), 12));   // vINTIDs below 8192: 8200 does not fit
    EXPECT_EQ(run(vmovi(600, 3, 4, 5, true)).status, 0x012106u);   // the doorbell first
    EXPECT_EQ(run(vmovi(600, 3, 4, 5, false)).status, 0x012101u);
    EXPECT_EQ(run(vmovi(7, 3, 4, 0, false)).status, 0x012104u);
    EXPECT_EQ(run(vmovi(1, 40, 4, 0, false)).status, 0x012105u);
    EXPECT_EQ(run(vmovi(1, 5, 4, 0, false)).status, 0x012107u);
    EXPECT_EQ(run(vmovi(1, 4, 200, 0, false)).status, 0x012115u);   // physical before the vPEID
    EXPECT_EQ(run(vmovi(1, 3, 200, 0, false)).status, 0x012111u);
    EXPECT_EQ(run(vmovi(1, 3, 4, 0, false)).status, 0x012117u);     // vPE 4 unmapped
    EXPECT_EQ(run(vmovi(1, 3, 5, 0, false)).status, 0x012113u);     // 8200 >= 2^13
    ok(vmapti(1, 6, 9, 8200));   // vPE 9 is not mapped
    EXPECT_EQ(run(vmovi(1, 6, 2, 0, false)).status, 0x012116u);
    EXPECT_TRUE(env.vops.empty());
    EXPECT_EQ(ite_words(kItt0, 3), (IteWords{0x8000'0002'0000'2008ull, 8300}));
}

TEST_F(VirtTest, VpeCommandsChecks) {
    make(GicVersion::v4_1);   // VMAPP's Default_Doorbell: vmapp41() gives 1023
    const struct {
        ItsCommand cmd;
        uint32_t oor, invalid;
    } cases[] = {
        {by_vpe(ItsOpcode::VSYNC, 0), 0x012511, 0x012514},
        {by_vpe(ItsOpcode::VINVALL, 0), 0x012D11, 0x012D14},
        {by_vpe(ItsOpcode::INVDB, 0), 0x012E11, 0x012E14},
        {vsgi(0, 1, 0, false, false, true), 0x012311, 0x012314},
        {vmovp(0, 0, 0, 1), 0x012211, 0x012214},
    };
    for (const auto& k : cases) {
        ItsCommand c = k.cmd;
        c.vpeid = 128;
        EXPECT_EQ(run(c).status, k.oor) << int(c.opcode);
        c.vpeid = 4;
        EXPECT_EQ(run(c).status, k.invalid) << int(c.opcode);
    }
    ok(vmapp41(4, 1, vpt_of(4), 15));
    EXPECT_EQ(run(vmovp(0, 0, 4, 9)).status, 0x012202u);
    EXPECT_TRUE(env.vops.empty());
    // A VTE whose RDbase software changed to name no redistributor counts
    // as not valid.
    env.put64(kVt + 4 * 32 + 8, 9);
    make(GicVersion::v4_1);   // empty caches
    EXPECT_EQ(run(by_vpe(ItsOpcode::VSYNC, 4)).status, 0x012514u);
}

TEST_F(VirtTest, PhysicalCommandsOnAnUnusableVirtualIte) {
    ok(mapd(1, kItt0, 4));
    ok(vmapp(5, 1, vpt_of(5), 13));   // vINTIDs below 16384
    ok(vmapti(1, 3, 6, 8200));        // vPE 6: not mapped
    ok(vmapti(1, 4, 5, 20000));       // past vPE 5's VPT_size
    for (uint32_t ev : {3u, 4u}) {
        EXPECT_EQ(run(build::by_event(ItsOpcode::INT, 1, ev)).status, 0x010310u);
        EXPECT_EQ(run(build::by_event(ItsOpcode::CLEAR, 1, ev)).status, 0x010510u);
        EXPECT_EQ(run(build::by_event(ItsOpcode::INV, 1, ev)).status, 0x010C10u);
        EXPECT_EQ(run(build::by_event(ItsOpcode::DISCARD, 1, ev)).status, 0x010F10u);
    }
    EXPECT_TRUE(env.vops.empty());
    EXPECT_EQ(ite_words(kItt0, 3)[0], 0x8000'0006'0000'2008ull);   // DISCARD left it
    EXPECT_EQ(msi(1, 3).reason, "vpe_unmapped");
    EXPECT_EQ(msi(1, 4).reason, "vintid_out_of_range");
    EXPECT_EQ(core->msis_dropped(), 2u);
}

TEST_F(VirtTest, MemoryErrorsOnTheVpeTable) {
    env.bad.push_back({kBad, FakeEnv::kMemBytes});
    make(config(GicVersion::v4_0), vpe_baser(kBad));
    const CommandRecord r = run(vmapp(2, 1, vpt_of(2), 15));
    EXPECT_TRUE(r.memory_error);
    EXPECT_EQ(r.status, 0u);
    EXPECT_TRUE(run(by_vpe(ItsOpcode::VSYNC, 2)).memory_error);
    ok(mapd(1, kItt0, 4));
    ok(vmapti(1, 3, 2, 8200));
    EXPECT_EQ(msi(1, 3).reason, "memory_error");
}

}  // namespace
