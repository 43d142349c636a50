// The trace reader and the GICv4 ops of the trace (trace.h): its=N on the
// lines that reach an ITS, VMAPP's fields left to the software, vlpi,
// schedule, deschedule, sgi, and the expect forms msi=N vintid vpeid,
// vtaken and doorbell; each bad input is one error at its file:line:column.
#include "trace_reader_checks.h"

namespace itsim {
namespace {

TEST(TraceReaderV4Ops, ItsKeyOnTheLinesThatReachAnIts) {
    Trace t = parse(H +
                    "cmd op=SYNC rdbase=0 its=1\n"
                    "kick its=1\n"
                    "wait until=drained its=15\n"
                    "msi device=1 event=2 its=3\n"
                    "sgi vpeid=4 vintid=15 its=2\n"
                    "cmd raw=0x5,0,0,0 its=1\n"
                    "msi device=1 event=2\n");
    ASSERT_EQ(t.lines.size(), 7u);
    const unsigned its[] = {1, 1, 15, 3, 2, 1, 0};
    for (size_t i = 0; i < 7; ++i) EXPECT_EQ(t.lines[i].its, its[i]) << "line " << i + 2;
    EXPECT_TRUE(t.lines[5].raw_form);
    EXPECT_EQ(t.lines[5].cmd.opcode, 0x05);
    // The key stays on the line (for positions), not in the command.
    ASSERT_NE(t.lines[0].find("its"), nullptr);
    EXPECT_EQ(t.lines[0].find("its")->value_column, 26u);   // "cmd op=SYNC rdbase=0 its=" is 25 characters
    EXPECT_EQ(t.lines[0].cmd.raw, encode(build::sync(0)));
    // ITS_Number is 4 bits: 0..15.
    EXPECT_TRACE_ERROR(H + "kick its=16\n", 2, 10, "its=16 is out of range (at most 15: ITS number");
    EXPECT_TRACE_ERROR(H + "msi device=1 event=2 its=x\n", 2, 26, "malformed number 'x' for key 'its'");
    // Only those ops take it.
    EXPECT_TRACE_ERROR(H + "lpi intid=8192 priority=0 enable=1 its=0\n", 2, 36, "unknown key 'its' for lpi");
    EXPECT_TRACE_ERROR(H + "vlpi vpeid=0 vintid=8192 priority=0 enable=1 its=0\n", 2, 46, "unknown key 'its' for vlpi");
    EXPECT_TRACE_ERROR(H + "kick its=1 its=2\n", 2, 12, "duplicate key 'its'");
}

TEST(TraceReaderV4Ops, VmappFieldsLeftToTheSoftware) {
    // VMAPP's field order: vpeid rdbase vpt vpt_size valid vconf default_doorbell alloc ptz.
    Trace t = parse(H + "cmd op=VMAPP vpeid=3 rdbase=1 valid=1\n"
                        "cmd op=VMAPP vpeid=3 rdbase=1 valid=0 vpt=64K vpt_size=15 vconf=128K default_doorbell=1023 "
                        "alloc=1 ptz=0\n"
                        "cmd op=VMAPP vpeid=3 rdbase=1 valid=1 alloc=0\n"
                        "cmd op=VMAPTI device=1 event=2 vpeid=3 vintid=8192 doorbell=1023\n");
    EXPECT_EQ(t.lines[0].cmd_defaulted, (1u << 2) | (1u << 3) | (1u << 5) | (1u << 6) | (1u << 7) | (1u << 8));
    EXPECT_EQ(t.lines[0].cmd.vpt_addr, 0u);
    EXPECT_TRUE(t.lines[0].cmd.valid);
    EXPECT_EQ(t.lines[0].cmd.rdbase, 1u);
    EXPECT_EQ(t.lines[1].cmd_defaulted, 0u);
    EXPECT_EQ(t.lines[2].cmd_defaulted, (1u << 2) | (1u << 3) | (1u << 5) | (1u << 6) | (1u << 8));
    EXPECT_EQ(t.lines[3].cmd_defaulted, 0u);
}

TEST(TraceReaderV4Ops, VlpiScheduleDescheduleSgi) {
    Trace t = parse(H +
                    "vlpi vpeid=2 vintid=8200 priority=0xA0 enable=1\n"
                    "@1us schedule cpu=3 vpeid=0xFFFF\n"
                    "deschedule cpu=3\n"
                    "deschedule doorbell=1 cpu=1\n"
                    "sgi vintid=0 vpeid=7\n");
    ASSERT_EQ(t.lines.size(), 5u);
    const TraceLine& v = t.lines[0];
    EXPECT_EQ(v.op, TraceLine::Op::vlpi);
    EXPECT_EQ(v.vpeid, 2u);
    EXPECT_EQ(v.vintid, 8200u);
    EXPECT_EQ(v.priority, 0xA0);
    EXPECT_TRUE(v.enable);
    EXPECT_EQ(t.lines[1].op, TraceLine::Op::schedule);
    EXPECT_EQ(t.lines[1].t_ps, 1000000u);
    EXPECT_EQ(t.lines[1].cpu, 3u);
    EXPECT_EQ(t.lines[1].vpeid, 0xFFFFu);
    EXPECT_EQ(t.lines[2].op, TraceLine::Op::deschedule);
    EXPECT_FALSE(t.lines[2].doorbell);   // the default
    EXPECT_EQ(t.lines[2].t_ps, 1000000u);
    EXPECT_TRUE(t.lines[3].doorbell);
    EXPECT_EQ(t.lines[3].cpu, 1u);
    EXPECT_EQ(t.lines[4].op, TraceLine::Op::sgi);
    EXPECT_EQ(t.lines[4].vintid, 0u);
    EXPECT_EQ(t.lines[4].vpeid, 7u);
    EXPECT_STREQ(op_name(TraceLine::Op::deschedule), "deschedule");

    // "vlpi vpeid=" is 11 characters, "vlpi vpeid=0 vintid=" 20.
    EXPECT_TRACE_ERROR(H + "vlpi vpeid=0x10000 vintid=8192 priority=0 enable=1\n", 2, 12,
                       "vpeid=0x10000 is out of range (at most 0xffff: 16-bit vPEID)");
    EXPECT_TRACE_ERROR(H + "vlpi vpeid=0 vintid=8191 priority=0 enable=1\n", 2, 21,
                       "vintid=8191 is not an LPI (LPI INTIDs start at 8192)");
    EXPECT_TRACE_ERROR(H + "vlpi vpeid=0 vintid=8192 priority=256 enable=1\n", 2, 35, "priority=256 is out of range");
    EXPECT_TRACE_ERROR(H + "vlpi vpeid=0 vintid=8192 priority=0\n", 2, 1, "missing key 'enable' for vlpi");
    EXPECT_TRACE_ERROR(H + "schedule cpu=0\n", 2, 1, "missing key 'vpeid' for schedule");
    EXPECT_TRACE_ERROR(H + "schedule vpeid=0\n", 2, 1, "missing key 'cpu' for schedule");
    EXPECT_TRACE_ERROR(H + "schedule cpu=0 vpeid=1 doorbell=1\n", 2, 24,
                       "unknown key 'doorbell' for schedule (keys: cpu vpeid)");
    EXPECT_TRACE_ERROR(H + "deschedule cpu=0 doorbell=2\n", 2, 27, "doorbell=2 is out of range (at most 1)");
    EXPECT_TRACE_ERROR(H + "deschedule doorbell=1\n", 2, 1, "missing key 'cpu' for deschedule");
    EXPECT_TRACE_ERROR(H + "deschedule cpu=0 vpeid=1\n", 2, 18, "unknown key 'vpeid' for deschedule (keys: cpu doorbell)");
    EXPECT_TRACE_ERROR(H + "sgi vpeid=1 vintid=16\n", 2, 20, "vintid=16 is out of range (at most 15: a vSGI: 0 to 15)");
    EXPECT_TRACE_ERROR(H + "sgi vpeid=1\n", 2, 1, "missing key 'vintid' for sgi");
    EXPECT_TRACE_ERROR(H + "sgi vpeid=1 vintid=0 enable=1\n", 2, 22, "unknown key 'enable' for sgi (keys: vpeid vintid)");
    EXPECT_TRACE_ERROR(H + "vsgi vpeid=1 vintid=0\n", 2, 1, "unknown op 'vsgi' (ops: platform cmd kick wait msi write lpi "
                                                            "expect vlpi schedule deschedule sgi source vsgi_read)");
}

TEST(TraceReaderV4Ops, VirtualExpects) {
    const std::string msi = "msi device=1 event=0\n";
    Trace t = parse(H + msi +
                    "expect msi=1 vintid=8192 vpeid=3\n"
                    "expect vpeid=3 vintid=8300 msi=1\n"
                    "expect vtaken vintid=8192 vpeid=3 count=2\n"
                    "expect vtaken vintid=15 vpeid=0 count=0\n"
                    "expect doorbell vpeid=3 count=1\n"
                    "expect count=4 vpeid=0xFFFF doorbell\n");
    ASSERT_EQ(t.expects.size(), 6u);
    EXPECT_EQ(t.expects[0].kind, Expect::Kind::msi_virtual);
    EXPECT_EQ(t.expects[0].msi, 1u);
    EXPECT_EQ(t.expects[0].vintid, 8192u);
    EXPECT_EQ(t.expects[0].vpeid, 3u);
    EXPECT_EQ(t.expects[1].vintid, 8300u);
    EXPECT_EQ(t.expects[2].kind, Expect::Kind::vtaken);
    EXPECT_EQ(t.expects[2].count, 2u);
    EXPECT_EQ(t.expects[3].vintid, 15u);   // a vSGI
    EXPECT_EQ(t.expects[4].kind, Expect::Kind::doorbell);
    EXPECT_EQ(t.expects[4].vpeid, 3u);
    EXPECT_EQ(t.expects[4].count, 1u);
    EXPECT_EQ(t.expects[5].vpeid, 0xFFFFu);
    EXPECT_EQ(t.expects[5].count, 4u);
    EXPECT_EQ(t.expects[5].pos.column, 1u);

    // "expect msi=1 vintid=8192 " is 25 characters.
    EXPECT_TRACE_ERROR(H + msi + "expect msi=1 vintid=8192 cpu=0\n", 3, 26, "'cpu' cannot be combined with 'vintid'");
    EXPECT_TRACE_ERROR(H + msi + "expect msi=1 intid=8192 vpeid=0\n", 3, 25, "'vpeid' cannot be combined with 'intid'");
    EXPECT_TRACE_ERROR(H + msi + "expect msi=1 vintid=8192\n", 3, 1, "missing key 'vpeid' for expect");
    EXPECT_TRACE_ERROR(H + msi + "expect msi=1 vpeid=2\n", 3, 1, "missing key 'vintid' for expect");
    EXPECT_TRACE_ERROR(H + msi + "expect msi=1 dropped vpeid=2\n", 3, 22, "'vpeid' cannot be combined with 'dropped'");
    EXPECT_TRACE_ERROR(H + msi + "expect msi=1 vintid=16 vpeid=0\n", 3, 21, "vintid=16 is not an LPI");
    // "expect vtaken vintid=" is 21 characters.
    EXPECT_TRACE_ERROR(H + "expect vtaken vintid=16 vpeid=0 count=1\n", 2, 22,
                       "vintid=16 is neither a vSGI (0 to 15) nor a vLPI (8192 and up)");
    EXPECT_TRACE_ERROR(H + "expect vtaken vintid=8192 count=1\n", 2, 1, "missing key 'vpeid' for expect");
    EXPECT_TRACE_ERROR(H + "expect vtaken vintid=8192 vpeid=1\n", 2, 1, "missing key 'count' for expect");
    EXPECT_TRACE_ERROR(H + "expect vtaken vpeid=1 count=1\n", 2, 1, "missing key 'vintid' for expect");
    EXPECT_TRACE_ERROR(H + "expect vtaken vintid=8192 vpeid=1 count=1 cpu=0\n", 2, 43,
                       "unknown key 'cpu' for this expect form (keys: vintid vpeid count, after the word vtaken)");
    EXPECT_TRACE_ERROR(H + "expect doorbell vpeid=1 count=1 vintid=8192\n", 2, 33,
                       "unknown key 'vintid' for this expect form (keys: vpeid count, after the word doorbell)");
    EXPECT_TRACE_ERROR(H + "expect doorbell vpeid=0x10000 count=1\n", 2, 23, "vpeid=0x10000 is out of range");
    EXPECT_TRACE_ERROR(H + "expect doorbell vpeid=1 count=1 doorbell\n", 2, 33, "duplicate 'doorbell'");
    EXPECT_TRACE_ERROR(H + "expect doorbell vpeid=1 count=1 taken\n", 2, 33, "'taken' cannot be combined with doorbell");
    EXPECT_TRACE_ERROR(H + "expect vtaken vintid=8192 vpeid=1 count=x\n", 2, 41, "malformed number 'x' for key 'count'");
}

TEST(TraceReaderV4Ops, VsgiReadBack) {
    Trace t = parse(H +
                    "vsgi_read cpu=2 vpeid=9\n"
                    "vsgi_read vpeid=1 cpu=0\n"
                    "expect vsgi_read=2 pending=0x8001\n"
                    "expect pending=0 vsgi_read=1\n");
    ASSERT_EQ(t.lines.size(), 4u);
    EXPECT_EQ(t.lines[0].op, TraceLine::Op::vsgi_read);
    EXPECT_EQ(t.lines[0].cpu, 2u);
    EXPECT_EQ(t.lines[0].vpeid, 9u);
    EXPECT_EQ(t.lines[0].vsgi_read_seq, 1u);
    EXPECT_EQ(t.lines[1].vsgi_read_seq, 2u);
    EXPECT_EQ(t.vsgi_read_count, 2u);
    ASSERT_EQ(t.expects.size(), 2u);
    EXPECT_EQ(t.expects[0].kind, Expect::Kind::vsgi_pending);
    EXPECT_EQ(t.expects[0].vsgi_read, 2u);
    EXPECT_EQ(t.expects[0].pending, 0x8001u);
    EXPECT_EQ(t.expects[1].vsgi_read, 1u);
    EXPECT_EQ(t.expects[1].pending, 0u);
    EXPECT_STREQ(op_name(TraceLine::Op::vsgi_read), "vsgi_read");
    // "expect vsgi_read=1 pending=" is 27 characters.
    EXPECT_TRACE_ERROR(H + "expect vsgi_read=1 pending=0x10000\n", 2, 28,
                       "pending=0x10000 is out of range (at most 0xffff: Pending[15:0])");
    EXPECT_TRACE_ERROR(H + "expect vsgi_read=0 pending=0\n", 2, 18, "vsgi_read=0 is out of range (at least 1)");
    EXPECT_TRACE_ERROR(H + "expect vsgi_read=1\n", 2, 1, "missing key 'pending' for expect");
    EXPECT_TRACE_ERROR(H + "expect vsgi_read=1 pending=0 cpu=0\n", 2, 30,
                       "unknown key 'cpu' for this expect form (keys: vsgi_read pending)");
    EXPECT_TRACE_ERROR(H + "vsgi_read cpu=0\n", 2, 1, "missing key 'vpeid' for vsgi_read");
    EXPECT_TRACE_ERROR(H + "vsgi_read cpu=0 vpeid=1 its=0\n", 2, 25, "unknown key 'its' for vsgi_read");
}

}  // namespace
}  // namespace itsim
