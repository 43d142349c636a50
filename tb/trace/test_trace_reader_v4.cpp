// The trace reader and the GICv4 commands: `cmd op=VMAPP ...` and the
// other eight read by their fields (the command table's names and widths),
// the words they give (hand-computed, gicv4-facts.md 1.1), values that do
// not fit their field rejected at the value's column.
#include "trace_reader_checks.h"

namespace itsim {
namespace {

TEST(TraceReaderV4, EveryGicv4CommandByName) {
    Trace t = parse(H +
                    "cmd op=VMAPP vpeid=1 rdbase=2 vpt=1M vpt_size=15 valid=1 vconf=64K default_doorbell=8192 "
                    "alloc=0 ptz=1\n"
                    "cmd op=VMAPTI device=7 event=0x20 vpeid=3 vintid=8300 doorbell=8193\n"
                    "cmd op=vmapi doorbell=1023 vpeid=0xFFFF event=0xFFFFFFFF device=0xABCDEF01\n"
                    "cmd op=VMOVI device=1 event=2 vpeid=9 doorbell=0x3FF db_valid=1\n"
                    "cmd op=VMOVP seqnum=1 its_list=0x8001 vpeid=0x40 rdbase=7 db=0 default_doorbell=0\n"
                    "cmd op=VSYNC vpeid=0x40\n"
                    "cmd op=VINVALL vpeid=0\n"
                    "cmd op=INVDB vpeid=0xFFFF\n"
                    "cmd op=VSGI vpeid=2 vintid=7 priority=0x80 group=0 clear=1 enable=1\n");
    const CmdWords expected[] = {
        // VMAPP: DW0 0x29 | PTZ 1<<9 | VCONF_addr 0x10000 in place; DW1 Default_Doorbell
        // 0x2000 | vPEID 1<<32; DW2 RDbase 2<<16 | V<<63; DW3 VPT_size 15 | VPT_addr 0x100000.
        {0x0000000000010229, 0x0000000100002000, 0x8000000000020000, 0x000000000010000F},
        // VMAPTI: vINTID 8300 = 0x206C, Dbell_pINTID 8193 = 0x2001 at DW2[63:32].
        {0x000000070000002A, 0x0000000300000020, 0x000020010000206C, 0},
        {0xABCDEF010000002B, 0x0000FFFFFFFFFFFF, 0x000003FF00000000, 0},
        {0x0000000100000021, 0x0000000900000002, 0x000003FF00000001, 0},
        // VMOVP: SequenceNumber DW0[47:32], ITSList DW1[15:0], RDbase 7<<16.
        {0x0000000100000022, 0x0000004000008001, 0x70000, 0},
        {0x25, 0x0000004000000000, 0, 0},
        {0x2D, 0, 0, 0},
        {0x2E, 0x0000FFFF00000000, 0, 0},
        // VSGI: Enable 0x100 | Clear 0x200 | priority 0x80 -> 8 at [23:20] | vINTID 7 at [35:32].
        {0x0000000700800323, 0x0000000200000000, 0, 0},
    };
    const uint8_t ops[] = {0x29, 0x2A, 0x2B, 0x21, 0x22, 0x25, 0x2D, 0x2E, 0x23};
    ASSERT_EQ(t.lines.size(), 9u);
    EXPECT_EQ(t.cmd_count, 9u);
    for (size_t i = 0; i < 9; ++i) {
        const TraceLine& l = t.lines[i];
        SCOPED_TRACE("line " + std::to_string(i + 2));
        EXPECT_EQ(l.cmd.opcode, ops[i]);
        EXPECT_FALSE(l.raw_form);
        EXPECT_EQ(l.cmd.raw, expected[i]) << to_string(l.cmd, GicVersion::v4_1);
        EXPECT_TRUE(l.cmd == decode(expected[i]));
    }
    EXPECT_EQ(t.lines[0].cmd.vpt_addr, 0x100000u);
    EXPECT_EQ(t.lines[0].cmd.vconf_addr, 0x10000u);
    EXPECT_TRUE(t.lines[0].cmd.ptz);
    EXPECT_FALSE(t.lines[0].cmd.alloc);
    EXPECT_EQ(t.lines[1].cmd.vintid, 8300u);
    EXPECT_EQ(t.lines[2].cmd.device, 0xABCDEF01u);
    EXPECT_TRUE(t.lines[3].cmd.db_valid);
    EXPECT_EQ(t.lines[4].cmd.its_list, 0x8001u);
    EXPECT_EQ(t.lines[8].cmd.priority, 0x80);
    EXPECT_TRUE(t.lines[8].cmd.clear);
    // The fields by name, in the table's order, for the event log.
    const auto f = command_fields(t.lines[3].cmd);
    ASSERT_EQ(f.size(), 5u);
    const char* names[] = {"device", "event", "vpeid", "doorbell", "db_valid"};
    const uint64_t values[] = {1, 2, 9, 1023, 1};
    for (size_t i = 0; i < 5; ++i) {
        EXPECT_STREQ(f[i].name, names[i]);
        EXPECT_EQ(f[i].value, values[i]) << names[i];
    }
}

TEST(TraceReaderV4, RawGicv4Words) {
    Trace t = parse(H + "cmd raw=0xFF25,0x0000000500000000,0,0\n");
    EXPECT_TRUE(t.lines[0].raw_form);
    EXPECT_EQ(t.lines[0].cmd.opcode, 0x25);
    EXPECT_EQ(t.lines[0].cmd.vpeid, 5u);
    EXPECT_EQ(t.lines[0].cmd.raw[0], 0xFF25u);   // RES0 bits as given
}

TEST(TraceReaderV4, ValuesMustFitTheirField) {
    // "cmd op=VMAPTI device=1 event=2 vpeid=" is 37 characters.
    EXPECT_TRACE_ERROR(H + "cmd op=VMAPTI device=1 event=2 vpeid=0x10000 vintid=0 doorbell=1023\n", 2, 38,
                       "vpeid=0x10000 is out of range (at most 0xffff: 16-bit vPEID)");
    EXPECT_TRACE_ERROR(H + "cmd op=VMAPTI device=1 event=2 vpeid=1 vintid=0x100000000 doorbell=1023\n", 2, 47,
                       "out of range (at most 0xffffffff: 32-bit vINTID)");
    EXPECT_TRACE_ERROR(H + "cmd op=VMAPI device=1 event=2 vpeid=1 doorbell=0x100000000\n", 2, 48,
                       "doorbell=0x100000000 is out of range (at most 0xffffffff: 32-bit Dbell_pINTID)");
    EXPECT_TRACE_ERROR(H + "cmd op=VMOVI device=1 event=2 vpeid=1 doorbell=1023 db_valid=2\n", 2, 62,
                       "db_valid=2 is out of range (at most 1: 1-bit D)");
    // VSGI: the vSGI's INTID is 4 bits; Priority holds priority[7:4].
    const std::string vsgi = "cmd op=VSGI vpeid=1 group=0 clear=0 enable=1 ";   // 45 characters
    EXPECT_TRACE_ERROR(H + vsgi + "vintid=16 priority=0\n", 2, 53, "vintid=16 is out of range (at most 15: 4-bit vINTID)");
    EXPECT_TRACE_ERROR(H + vsgi + "vintid=1 priority=0x18\n", 2, 64,
                       "priority=0x18 is not a multiple of 16 (Priority holds priority[7:4])");
    EXPECT_TRACE_ERROR(H + vsgi + "vintid=1 priority=256\n", 2, 64,
                       "priority=256 is out of range (at most 255: Priority, priority[7:4])");
    // VMAPP: VPT_addr and VCONF_addr are PA[51:16]; VPT_size 8 bits; flags 0..1.
    const std::string vmapp = "cmd op=VMAPP vpeid=1 rdbase=0 valid=1 default_doorbell=0 alloc=0 ptz=0 ";   // 71 characters
    EXPECT_TRACE_ERROR(H + vmapp + "vpt=0x40001000 vpt_size=15 vconf=0\n", 2, 76,
                       "vpt=0x40001000 is not 65536-byte aligned (VPT_addr is PA[51:16])");
    EXPECT_TRACE_ERROR(H + vmapp + "vpt=0 vpt_size=256 vconf=0\n", 2, 87, "vpt_size=256 is out of range (at most 255");
    EXPECT_TRACE_ERROR(H + vmapp + "vpt=0 vpt_size=1 vconf=0x10000000000000\n", 2, 95,
                       "vconf=0x10000000000000 is out of range (at most 0xfffffffffffff: VCONF_addr, PA[51:16])");
    EXPECT_TRACE_ERROR(H + "cmd op=VMAPP vpeid=1 rdbase=0 valid=1 default_doorbell=0 alloc=2 ptz=0 vpt=0 "
                           "vpt_size=1 vconf=0\n",
                       2, 64, "alloc=2 is out of range (at most 1: 1-bit Alloc)");
    // VMOVP: SequenceNumber and ITSList are 16 bits.
    EXPECT_TRACE_ERROR(H + "cmd op=VMOVP seqnum=0x10000 its_list=0 vpeid=0 rdbase=0 db=0 default_doorbell=0\n", 2,
                       21, "seqnum=0x10000 is out of range (at most 0xffff: 16-bit SequenceNumber)");
    EXPECT_TRACE_ERROR(H + "cmd op=VMOVP seqnum=0 its_list=65536 vpeid=0 rdbase=0 db=0 default_doorbell=0\n", 2,
                       32, "its_list=65536 is out of range (at most 0xffff: 16-bit ITSList)");
    // The largest values fit.
    Trace ok = parse(H + vmapp + "vpt=0xFFFFFFFFF0000 vpt_size=255 vconf=0xFFFFFFFFF0000\n");
    EXPECT_EQ(ok.lines[0].cmd.raw[3], 0x000FFFFFFFFF00FFu);
}

TEST(TraceReaderV4, KeysOfGicv4Commands) {
    EXPECT_TRACE_ERROR(H + "cmd op=VSYNC\n", 2, 1, "missing key 'vpeid' for VSYNC");
    EXPECT_TRACE_ERROR(H + "cmd op=VINVALL vpeid=1 icid=2\n", 2, 24, "unknown key 'icid' for VINVALL (keys: vpeid)");
    // Every field is required but VMAPP's that the software fills in (vpt,
    // vpt_size, vconf, default_doorbell, alloc, ptz): vpeid, rdbase, valid.
    EXPECT_TRACE_ERROR(H + "cmd op=VMAPP vpeid=1 rdbase=0 vpt=0 vpt_size=15\n", 2, 1,
                       "missing key 'valid' for VMAPP");
    EXPECT_TRACE_ERROR(H + "cmd op=VMAPP vpeid=1 valid=1\n", 2, 1, "missing key 'rdbase' for VMAPP");
    EXPECT_TRACE_ERROR(H + "cmd op=VMAPTI device=1 event=2 vpeid=1 vintid=8192\n", 2, 1,
                       "missing key 'doorbell' for VMAPTI");
    EXPECT_TRACE_ERROR(H + "cmd op=VMAPTI device=1 event=2 vpeid=1 intid=8192 doorbell=1023\n", 2, 40,
                       "unknown key 'intid' for VMAPTI (keys: device event vpeid vintid doorbell)");
    // The unknown-command message lists every command of the table.
    EXPECT_TRACE_ERROR(H + "cmd op=VMAPX vpeid=1\n", 2, 8, "(commands: MAPD MAPC MAPTI MAPI MOVI MOVALL DISCARD");
    EXPECT_TRACE_ERROR(H + "cmd op=VMAPX vpeid=1\n", 2, 8, "VMAPP VMAPTI VMAPI VMOVI VMOVP VSYNC VINVALL INVDB VSGI)");
}

}  // namespace
}  // namespace itsim
