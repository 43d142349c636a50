// GICv4 ItsCore, plain C++ (its_virtual_fixture.h): the GITS registers a
// GICv4.0 / 4.1 ITS has (gicv4-design.md 1), the vPE table geometry, the
// ITE size, and a GICv3 ITS that stays as it was.
#include "its_virtual_fixture.h"

namespace {

// ---------------------------------------------------------------------------
// Registers
// ---------------------------------------------------------------------------
// GICv3 defaults (test_its_core_regs.cpp): Physical, ITT_entry_size 7,
// ID_bits 15, Devbits 15 = 0x1EF71.
constexpr uint64_t kTyperV3 = 0x1EF71;

TEST(ItsVirtualRegs, TyperByVersion) {
    ItsConfig c;
    EXPECT_EQ(ItsCore(c).typer(), kTyperV3);
    c.version = GicVersion::v4_0;
    // Virtual[1], ITT_entry_size 15 (0xF0 instead of 0x70), VMOVP[37].
    EXPECT_EQ(ItsCore(c).typer(), kTyperV3 - 0x70 + 0xF0 + 0x2 + (uint64_t{1} << 37));
    c.vmovp = false;
    EXPECT_EQ(ItsCore(c).typer(), kTyperV3 - 0x70 + 0xF0 + 0x2);
    c.version = GicVersion::v4_1;
    // + VSGI[39], VMAPP[40]; SVPET[42:41] = 0.
    EXPECT_EQ(ItsCore(c).typer(), 0x180'0001'EFF3ull);
    c.vmovp = true;
    EXPECT_EQ(ItsCore(c).typer(), 0x1A0'0001'EFF3ull);
}

TEST(ItsVirtualRegs, Baser2IsTheVpeTableOnlyWithV4) {
    ItsCore v3{ItsConfig{}};
    uint64_t v = 1;
    ASSERT_TRUE(v3.write_register(gits::BASER(2), 8, ~uint64_t{0}));
    ASSERT_TRUE(v3.read_register(gits::BASER(2), 8, &v));
    EXPECT_EQ(v, 0u);   // RAZ/WI
    ItsConfig c;
    c.version = GicVersion::v4_0;
    ItsCore v4(c);
    ASSERT_TRUE(v4.read_register(gits::BASER(2), 8, &v));
    EXPECT_EQ(v, 0x021F'0000'0000'0000ull);   // Type 2 [58:56], Entry_Size 31 [52:48]
    ASSERT_TRUE(v4.write_register(gits::BASER(2), 8, ~uint64_t{0}));
    ASSERT_TRUE(v4.read_register(gits::BASER(2), 8, &v));
    // Everything but Type and Entry_Size is writable (Indirect included);
    // Page_Size 0b11 is stored as 64K (0b10).
    EXPECT_EQ(v, 0xFAFF'FFFF'FFFF'FEFFull);
    EXPECT_EQ(baser_type(v), BaserType::vpe);
}

TEST(ItsVirtualRegs, PidrAndItsNumber) {
    ItsConfig c;
    c.its_number = 5;
    uint64_t v = 0;
    ItsCore v3(c);
    ASSERT_TRUE(v3.read_register(gits::PIDR2, 4, &v));
    EXPECT_EQ(v, 0x3Bu);
    ASSERT_TRUE(v3.read_register(gits::CTLR, 4, &v));
    EXPECT_EQ(v, uint64_t{gits::CTLR_Quiescent});   // no ITS_Number in GICv3
    c.version = GicVersion::v4_1;
    ItsCore v4(c);
    ASSERT_TRUE(v4.read_register(gits::PIDR2, 4, &v));
    EXPECT_EQ(v, 0x4Bu);   // ArchRev 4
    ASSERT_TRUE(v4.read_register(gits::CTLR, 4, &v));
    EXPECT_EQ(v, 0x8000'0050u);   // Quiescent, ITS_Number[7:4] = 5
    v4.write_register(gits::CTLR, 4, 0xF0);   // RO
    ASSERT_TRUE(v4.read_register(gits::CTLR, 4, &v));
    EXPECT_EQ(v, 0x8000'0050u);
    c.its_number = 16;
    EXPECT_THROW(ItsCore{c}, std::invalid_argument);
}

TEST_F(VirtTest, VpeTableLatchedAtEnable) {
    EXPECT_TRUE(core->vpe_table().valid);
    EXPECT_EQ(core->vpe_table().base, kVt);
    EXPECT_EQ(core->vpe_table().entry_bytes, 32u);
    EXPECT_EQ(core->max_vpeids(), 4096u / 32);   // one 4K page
    // Two-level, 64K pages: 2 * 8192 descriptors of 2048 VTEs each, more
    // than 16 vPEID bits reach.
    ItsConfig c = config(GicVersion::v4_0);
    make(c, baser::kValid | baser::kIndirect | (baser::kPage64K << 8) | kVt | 1);
    EXPECT_TRUE(core->vpe_table().indirect);
    EXPECT_EQ(core->max_vpeids(), 65536u);
}

TEST(ItsVirtualRegs, V3ReportsVirtualOpcodesAsUnknown) {
    VirtEnv env;
    ItsCore core{ItsConfig{}};
    core.set_redistributors(four_rds());
    core.write_register(gits::BASER0, 8, baser_value(kDt, 0, 1));
    core.write_register(gits::CTLR, 4, 1);
    for (const ItsCommand& cmd : {vmapp(1, 0, vpt_of(1), 15), vmapti(1, 2, 1, 8200), by_vpe(ItsOpcode::VSYNC, 1),
                                  vsgi(1, 2, 0x80, true, false, true)}) {
        CommandRecord rec;
        core.execute(cmd, env, rec);
        EXPECT_EQ(rec.status, cmd_error::unknown_opcode(cmd.opcode)) << int(cmd.opcode);
    }
    EXPECT_TRUE(env.vops.empty());
    EXPECT_EQ(env.writes(), 0u);
    EXPECT_EQ(core.write_sgir(uint64_t{1} << 32, env), false);
    // A GICv4.0 ITS does not have the GICv4.1 commands.
    ItsConfig c;
    c.version = GicVersion::v4_0;
    ItsCore v40(c);
    CommandRecord rec;
    v40.execute(by_vpe(ItsOpcode::INVDB, 1), env, rec);
    EXPECT_EQ(rec.status, 0x012EFFu);
}

TEST(ItsVirtualRegs, V3ItesStayEightBytes) {
    // MAPTI on a GICv3 ITS writes an 8-byte ITE at ITT + 8 * EventID.
    VirtEnv env;
    ItsCore core{ItsConfig{}};
    core.set_redistributors(four_rds());
    core.write_register(gits::BASER0, 8, baser_value(kDt, 0, 1));
    core.write_register(gits::BASER(1), 8, baser_value(kCt, 0, 1));
    core.write_register(gits::CTLR, 4, 1);
    CommandRecord rec;
    core.execute(mapd(1, kItt0, 4), env, rec);
    env.clear_logs();
    core.execute(mapti(1, 3, 8195, 2), env, rec);
    ASSERT_EQ(env.log.size(), 2u);   // DTE read, ITE write
    EXPECT_EQ(env.log[1].addr, kItt0 + 24);
    EXPECT_EQ(env.log[1].len, 8u);
    EXPECT_EQ(env.get64(kItt0 + 24), 0xC000'0002'0000'2003ull);
}

TEST_F(VirtTest, V4ItesAreSixteenBytes) {
    ok(mapd(1, kItt0, 4));
    env.clear_logs();
    ok(mapti(1, 3, 8195, 2));
    ASSERT_EQ(env.log.size(), 2u);
    EXPECT_EQ(env.log[1].addr, kItt0 + 48);
    EXPECT_EQ(env.log[1].len, 16u);
    EXPECT_EQ(ite_words(kItt0, 3), (IteWords{0xC000'0002'0000'2003ull, 0}));
}

}  // namespace
