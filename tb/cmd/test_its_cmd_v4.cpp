// The command table (its_cmd_table.h) and the GICv4 commands: every GICv4
// command against hand-computed words (gicv4-facts.md 1.1), with a
// non-trivial value in every field; decode(encode(x)) == x for all 21
// commands with seeded random values; the table's rows against the
// architecture's opcode list; what a GICv3 ITS makes of a GICv4 command.
#include <gtest/gtest.h>

#include <random>
#include <set>
#include <string>

#include "itsim/common/its_cmd.h"

namespace itsim {
namespace {

void expect_words(const ItsCommand& c, const CmdWords& expected) {
    const CmdWords w = encode(c);
    for (unsigned i = 0; i < 4; ++i)
        EXPECT_EQ(w[i], expected[i]) << to_string(c, GicVersion::v4_1) << " DW" << i << " got " << hex(w[i]);
    const ItsCommand d = decode(expected);
    EXPECT_TRUE(d == c) << to_string(d, GicVersion::v4_1) << " vs " << to_string(c, GicVersion::v4_1);
    EXPECT_EQ(d.raw, expected);
}

TEST(ItsCmdV4, Vmapp) {
    ItsCommand c = build::vmapp(0x1234, 0x9ABCD, 0x000ABCDEF0120000, 0xC5);
    c.vconf_addr = 0x0001234567890000;
    c.default_doorbell = 0x87654321;
    c.alloc = true;
    c.ptz = true;
    // DW0: 0x29 | Alloc 1<<8 | PTZ 1<<9 | VCONF_addr PA[51:16] in place
    //      = 0x0001234567890000 + 0x329
    // DW1: Default_Doorbell 0x87654321 | vPEID 0x1234 << 32
    // DW2: RDbase 0x9ABCD << 16 = 0x9ABCD0000 | V 1 << 63
    // DW3: VPT_size 0xC5 | VPT_addr PA[51:16] in place 0x000ABCDEF0120000
    expect_words(c, {0x0001234567890329, 0x0000123487654321, 0x80000009ABCD0000, 0x000ABCDEF01200C5});
    // Every field at its widest: VCONF_addr and VPT_addr PA[51:16] all ones
    // (0x000FFFFFFFFF0000), vPEID 16 bits, RDbase 36, VPT_size 8.
    ItsCommand m = build::vmapp(0xFFFF, 0xFFFFFFFFF, 0x000FFFFFFFFF0000, 0xFF);
    m.vconf_addr = 0x000FFFFFFFFF0000;
    m.default_doorbell = 0xFFFFFFFF;
    m.alloc = m.ptz = true;
    expect_words(m, {0x000FFFFFFFFF0329, 0x0000FFFFFFFFFFFF, 0x800FFFFFFFFF0000, 0x000FFFFFFFFF00FF});
    // Unmap, v4.0 style: only vPEID (V = 0).
    expect_words(build::vmapp(7, 0, 0, 0, false), {0x29, 0x0000000700000000, 0, 0});
}

TEST(ItsCmdV4, VmaptiVmapiVmovi) {
    // VMAPTI: DW0 DeviceID << 32; DW1 EventID | vPEID << 32; DW2 vINTID | Dbell_pINTID << 32.
    expect_words(build::vmapti(0xDEADBEEF, 0x13579BDF, 0xFEDC, 0x2468ACE0, 0x10002001),
                 {0xDEADBEEF0000002A, 0x0000FEDC13579BDF, 0x100020012468ACE0, 0});
    // VMAPI: no vINTID (= EventID); doorbell 8200 = 0x2008.
    expect_words(build::vmapi(0x00C0FFEE, 7, 0x0ABC, 8200), {0x00C0FFEE0000002B, 0x00000ABC00000007, 0x0000200800000000, 0});
    // The default doorbell argument is 1023 = 0x3FF: no doorbell.
    EXPECT_EQ(encode(build::vmapi(1, 2, 3))[2], 0x000003FF00000000u);
    // VMOVI: D is DW2[0].
    expect_words(build::vmovi(0x11223344, 0x55667788, 0x99AA, 0xBBCCDDEE, true),
                 {0x1122334400000021, 0x000099AA55667788, 0xBBCCDDEE00000001, 0});
    expect_words(build::vmovi(1, 2, 3, 4, false), {0x0000000100000021, 0x0000000300000002, 0x0000000400000000, 0});
}

TEST(ItsCmdV4, Vmovp) {
    // DW0 SequenceNumber 0xA5A5 << 32; DW1 ITSList 0x5A5A | vPEID 0x0F0F << 32;
    // DW2 RDbase 0x123456789 << 16 = 0x0001234567890000 | DB << 63; DW3 Default_Doorbell.
    expect_words(build::vmovp(0xA5A5, 0x5A5A, 0x0F0F, 0x123456789, true, 0xCAFEBABE),
                 {0x0000A5A500000022, 0x00000F0F00005A5A, 0x8001234567890000, 0x00000000CAFEBABE});
}

TEST(ItsCmdV4, VpeOnlyCommands) {
    // vPEID is DW1[47:32] in each.
    expect_words(build::by_vpe(ItsOpcode::VSYNC, 0xBEEF), {0x25, 0x0000BEEF00000000, 0, 0});
    expect_words(build::by_vpe(ItsOpcode::VINVALL, 0x1357), {0x2D, 0x0000135700000000, 0, 0});
    expect_words(build::by_vpe(ItsOpcode::INVDB, 0x8001), {0x2E, 0x0000800100000000, 0, 0});
}

TEST(ItsCmdV4, Vsgi) {
    // DW0: 0x23 | Enable 1<<8 (0x100) | Group 1<<10 (0x400) | priority 0xA0:
    // [7:4] = 0xA at [23:20] (0xA00000) | vINTID 11 at [35:32] (0xB00000000).
    expect_words(build::vsgi(0x4321, 11, 0xA0, true, false, true), {0x0000000B00A00523, 0x0000432100000000, 0, 0});
    // Clear 1<<9 (0x200), priority 0xF0 -> 0xF00000, vINTID 15 -> 0xF00000000.
    expect_words(build::vsgi(1, 15, 0xF0, false, true, false), {0x0000000F00F00223, 0x0000000100000000, 0, 0});
    // Priority's low four bits are not in the command.
    EXPECT_EQ(encode(build::vsgi(0, 0, 0x5F, false, false, false))[0], 0x0000000000500023u);
}

TEST(ItsCmdV4, EncodeTruncatesToTheTableWidths) {
    ItsCommand c = build::vmapti(0, 0, 0x12345, 0, 0);   // vPEID: 16 bits kept
    EXPECT_EQ(encode(c)[1], 0x0000234500000000u);
    ItsCommand p = build::vmapp(0, 0, 0xFFFFFFFFFFFFFFFF, 0xFF);
    EXPECT_EQ(encode(p)[3], 0x000FFFFFFFFF00FFu);   // VPT_addr [51:16], VPT_size [7:0]
    ItsCommand s = build::vsgi(0x10000, 0x1F, 0, false, false, false);
    EXPECT_EQ(encode(s)[0], 0x0000000F00000023u);   // vINTID [3:0]
    EXPECT_EQ(encode(s)[1], 0u);                    // vPEID 0x10000 has no bit in [15:0]
}

// What each field of each command can hold, set at random (seeded) and
// masked to the field: decode(encode(x)) gives every value back, and the
// fields the command does not carry stay 0.
TEST(ItsCmdTable, RandomRoundTripOfEveryCommand) {
    std::mt19937_64 rng(0x17500901);
    unsigned commands = 0;
    for (const CmdInfo& info : command_table()) {
        ++commands;
        for (int round = 0; round < 200; ++round) {
            ItsCommand c;
            c.opcode = info.opcode();
            for (const CmdFieldInfo& f : info) set_field_value(c, f.member, (rng() & f.mask()) << f.value_lsb);
            const CmdWords w = encode(c);
            EXPECT_EQ(w[0] & 0xFF, info.opcode());
            const ItsCommand d = decode(w);
            EXPECT_TRUE(d == c) << to_string(c, GicVersion::v4_1);
            for (const CmdFieldInfo& f : info)
                EXPECT_EQ(field_value(d, f.member), field_value(c, f.member)) << info.name << " " << f.name;
            // Nothing but the command's own fields is set by decode().
            ItsCommand only = d;
            for (const CmdFieldInfo& f : info) set_field_value(only, f.member, 0);
            for (int m = 0; m <= int(CmdField::enable); ++m)
                EXPECT_EQ(field_value(only, CmdField(m)), 0u) << info.name << " member " << m;
            EXPECT_EQ(encode(d), w);
        }
    }
    EXPECT_EQ(commands, 21u);
}

TEST(ItsCmdTable, RowsMatchTheArchitecture) {
    // Opcodes, names and versions: its-facts.md 2.1, gicv4-facts.md 1.1.
    struct Want {
        uint8_t op;
        const char* name;
        GicVersion since;
        CmdFamily family;
        unsigned fields;
    };
    const Want want[] = {
        {0x01, "MOVI", GicVersion::v3, CmdFamily::per_interrupt, 3},
        {0x03, "INT", GicVersion::v3, CmdFamily::per_interrupt, 2},
        {0x04, "CLEAR", GicVersion::v3, CmdFamily::per_interrupt, 2},
        {0x05, "SYNC", GicVersion::v3, CmdFamily::per_redistributor, 1},
        {0x08, "MAPD", GicVersion::v3, CmdFamily::mapping, 4},
        {0x09, "MAPC", GicVersion::v3, CmdFamily::mapping, 3},
        {0x0A, "MAPTI", GicVersion::v3, CmdFamily::mapping, 4},
        {0x0B, "MAPI", GicVersion::v3, CmdFamily::mapping, 3},
        {0x0C, "INV", GicVersion::v3, CmdFamily::per_interrupt, 2},
        {0x0D, "INVALL", GicVersion::v3, CmdFamily::per_redistributor, 1},
        {0x0E, "MOVALL", GicVersion::v3, CmdFamily::per_redistributor, 2},
        {0x0F, "DISCARD", GicVersion::v3, CmdFamily::per_interrupt, 2},
        {0x21, "VMOVI", GicVersion::v4_0, CmdFamily::virtual_, 5},
        {0x22, "VMOVP", GicVersion::v4_0, CmdFamily::virtual_, 6},
        {0x23, "VSGI", GicVersion::v4_1, CmdFamily::virtual_, 6},
        {0x25, "VSYNC", GicVersion::v4_0, CmdFamily::virtual_, 1},
        {0x29, "VMAPP", GicVersion::v4_0, CmdFamily::virtual_, 9},
        {0x2A, "VMAPTI", GicVersion::v4_0, CmdFamily::virtual_, 5},
        {0x2B, "VMAPI", GicVersion::v4_0, CmdFamily::virtual_, 4},
        {0x2D, "VINVALL", GicVersion::v4_0, CmdFamily::virtual_, 1},
        {0x2E, "INVDB", GicVersion::v4_1, CmdFamily::virtual_, 1},
    };
    std::set<int> listed;
    for (const Want& w : want) {
        SCOPED_TRACE(w.name);
        listed.insert(w.op);
        const CmdInfo* c = command_info(w.op);
        ASSERT_NE(c, nullptr);
        EXPECT_STREQ(c->name, w.name);
        EXPECT_EQ(c->since, w.since);
        EXPECT_EQ(c->family, w.family);
        EXPECT_EQ(c->field_count, w.fields);
        EXPECT_EQ(command_named(w.name), c);
        EXPECT_EQ(is_virtual(w.op), w.since != GicVersion::v3);
        // The names a GICv3 ITS knows are the twelve physical ones.
        EXPECT_EQ(is_known_opcode(w.op), w.since == GicVersion::v3);
        EXPECT_EQ(opcode_name(w.op) != nullptr, w.since == GicVersion::v3);
    }
    for (int op = 0; op < 256; ++op) {
        if (!listed.count(op)) {
            EXPECT_EQ(command_info(uint8_t(op)), nullptr) << op;
        }
    }
    EXPECT_EQ(command_named("vmapp"), nullptr);   // architected spelling only
    EXPECT_EQ(command_table().size(), 21u);
    // Which table a command maps an entry of (the driver's two-level pages).
    EXPECT_EQ(command_info(ItsOpcode::MAPD)->maps, CmdMaps::device);
    EXPECT_EQ(command_info(ItsOpcode::MAPC)->maps, CmdMaps::collection);
    EXPECT_EQ(command_info(ItsOpcode::VMAPP)->maps, CmdMaps::vpe);
    EXPECT_EQ(command_info(ItsOpcode::MAPTI)->maps, CmdMaps::none);
}

TEST(ItsCmdTable, FieldRows) {
    const CmdInfo& vmapp = *command_info(ItsOpcode::VMAPP);
    const CmdFieldInfo* vpt = vmapp.field("vpt");
    ASSERT_NE(vpt, nullptr);
    EXPECT_EQ(vpt->dw, 3);
    EXPECT_EQ(vpt->lsb, 16);
    EXPECT_EQ(vpt->width, 36);
    EXPECT_EQ(vpt->value_lsb, 16);
    EXPECT_EQ(vpt->max_value(), (uint64_t{1} << 52) - 1);
    EXPECT_FALSE(vpt->fits(0x10000 + 0x100));   // not 64 KB aligned
    EXPECT_TRUE(vpt->fits(0x000FFFFFFFFF0000));
    EXPECT_FALSE(vpt->fits(uint64_t{1} << 52));
    EXPECT_EQ(vmapp.field("vconf")->since, GicVersion::v4_1);
    EXPECT_EQ(vmapp.field("vpt_size")->since, GicVersion::v4_0);
    EXPECT_EQ(vmapp.field(CmdField::rdbase), vmapp.field("rdbase"));
    EXPECT_EQ(vmapp.field("itt"), nullptr);
    const CmdFieldInfo* prio = command_info(ItsOpcode::VSGI)->field("priority");
    EXPECT_EQ(prio->max_value(), 255u);
    EXPECT_TRUE(prio->fits(0xF0));
    EXPECT_FALSE(prio->fits(0x18));
    EXPECT_EQ(describe(*prio), "Priority, priority[7:4]");
    EXPECT_EQ(describe(*vpt), "VPT_addr, PA[51:16]");
    EXPECT_EQ(describe(*command_info(ItsOpcode::MAPD)->field("itt")), "ITT_addr, PA[51:8]");
    EXPECT_EQ(describe(*command_info(ItsOpcode::VMOVP)->field("seqnum")), "16-bit SequenceNumber");
    EXPECT_EQ(describe(*command_info(ItsOpcode::VSGI)->field("vintid")), "4-bit vINTID");
    EXPECT_EQ(describe(*command_info(ItsOpcode::VMOVI)->field("db_valid")), "1-bit D");
    // RDbase holds the field value: DW2[51:16], value bit 0 at bit 16.
    const CmdFieldInfo* rd = command_info(ItsOpcode::VMOVP)->field("rdbase");
    EXPECT_EQ(rd->place(1), 0x10000u);
    EXPECT_EQ(rd->extract(0x0001234567890000), 0x123456789u);
}

TEST(ItsCmdV4, AsAGicv3ItsSeesThem) {
    const ItsCommand c = build::vmapti(0x10, 3, 2, 40);
    // A GICv3 ITS does not implement it: UNKNOWN, with the words it would write.
    EXPECT_EQ(to_string(c), "UNKNOWN opcode=0x2a raw=0x100000002a,0x200000003,0x3ff00000028,0x0");
    EXPECT_EQ(to_string(c, GicVersion::v4_0), "VMAPTI device=0x10 event=3 vpeid=2 vintid=40 doorbell=1023");
    // GICv4.0 has no VSGI, and no VMAPP Default_Doorbell, VCONF_addr, Alloc, PTZ.
    EXPECT_EQ(to_string(build::vsgi(1, 2, 0x30, true, false, true), GicVersion::v4_0).rfind("UNKNOWN opcode=0x23 ", 0), 0u);
    EXPECT_EQ(to_string(build::vsgi(1, 2, 0x30, true, false, true), GicVersion::v4_1),
              "VSGI vpeid=1 vintid=2 priority=48 group=1 clear=0 enable=1");
    ItsCommand p = build::vmapp(5, 1, 0x40010000, 15);
    p.vconf_addr = 0x50000;
    p.alloc = true;
    EXPECT_EQ(to_string(p, GicVersion::v4_0), "VMAPP vpeid=5 rdbase=1 vpt=0x40010000 vpt_size=15 valid=1");
    EXPECT_EQ(to_string(p, GicVersion::v4_1), "VMAPP vpeid=5 rdbase=1 vpt=0x40010000 vpt_size=15 valid=1 "
                                              "vconf=0x50000 default_doorbell=0 alloc=1 ptz=0");
    EXPECT_EQ(to_string(build::vmovp(1, 2, 3, 4), GicVersion::v4_0), "VMOVP seqnum=1 its_list=2 vpeid=3 rdbase=4");
    // Physical commands read the same under every version.
    EXPECT_EQ(to_string(build::mapc(2, 1), GicVersion::v4_1), "MAPC icid=2 rdbase=1 valid=1");
}

TEST(ItsCmdV4, WordsOfAnUnimplementedCommandSurvive) {
    // RES0 bits around VSYNC's vPEID, as the queue held them: decode names the
    // vPEID, encode gives the words back (the ITS reports them as read).
    const CmdWords w{0xFFFFFFFFFFFFFF25, 0xFFFF1234FFFFFFFF, 5, 6};
    const ItsCommand d = decode(w);
    EXPECT_EQ(d.vpeid, 0x1234u);
    EXPECT_EQ(encode(d), w);
    // The fields win over the raw bits they cover.
    ItsCommand e = d;
    e.vpeid = 0xABCD;
    EXPECT_EQ(encode(e)[1], 0xFFFFABCDFFFFFFFFu);
    // Two commands that mean the same compare equal whatever their RES0 bits.
    EXPECT_TRUE(d == build::by_vpe(ItsOpcode::VSYNC, 0x1234));
    EXPECT_FALSE(d == build::by_vpe(ItsOpcode::VINVALL, 0x1234));
    // A GICv3 command built from fields ignores raw (as before).
    ItsCommand s = build::sync(1);
    s.raw = w;
    EXPECT_EQ(encode(s), (CmdWords{0x5, 0, 0x10000, 0}));
}

}  // namespace
}  // namespace itsim
