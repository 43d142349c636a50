// The stimulus-trace reader against trace-format.md: every construct
// (trace_reader_checks.h: the helpers).
#include <cstdio>
#include <fstream>
#include <unistd.h>

#include "trace_reader_checks.h"

namespace itsim {
namespace {

// ---------------------------------------------------------------- constructs

TEST(TraceReader, HeaderCommentsBlankLines) {
    Trace t = parse("# a comment\n\n   # indented comment\n\titsim-trace 1   # trailing\n\n# more\n");
    EXPECT_EQ(t.file, "t.its");
    EXPECT_TRUE(t.lines.empty());
    EXPECT_EQ(t.end_ps, 0u);
    // A byte-order mark and CRLF line ends are accepted.
    Trace u = parse("\xEF\xBB\xBFitsim-trace 1\r\nkick\r\n@5ns msi device=1 event=2\r\n");
    ASSERT_EQ(u.lines.size(), 2u);
    EXPECT_EQ(u.lines[1].t_ps, 5000u);
    EXPECT_EQ(u.lines[1].event, 2u);
    // A comment can start anywhere, even inside a token.
    Trace v = parse(H + "msi device=3 event=4#5\n");
    EXPECT_EQ(v.lines[0].event, 4u);
}

TEST(TraceReader, TimesAbsoluteRelativeImplicit) {
    Trace t = parse(H +
                    "kick\n"              // 0
                    "+40ns kick\n"        // 40 ns
                    "@250ns kick\n"       // 250 ns
                    "+40ns kick\n"        // 290 ns
                    "kick\n"              // 290 ns (implicit)
                    "@1.5us kick\n"       // 1 500 000 ps
                    "+7ps\n"              // TIME alone
                    "@2ms\n"              // 2e9 ps
                    "+0x10ns kick\n"      // +16 ns
                    "@3s kick\n"          // 3e12
                    "@3.000000000001s\n"  // +1 ps
                    "+1.2500ns kick\n");  // trailing zeros: 1250 ps
    const uint64_t expected[] = {0,       40000,      250000,         290000,         290000,
                                 1500000, 1500007,    2000000000,     2000016000,     3000000000000,
                                 3000000000001, 3000000001251};
    ASSERT_EQ(t.lines.size(), 12u);
    for (size_t i = 0; i < 12; ++i) EXPECT_EQ(t.lines[i].t_ps, expected[i]) << "line " << i + 2;
    EXPECT_EQ(t.lines[6].op, TraceLine::Op::time_only);
    EXPECT_EQ(t.lines[6].pos.column, 1u);
    EXPECT_EQ(t.lines[6].pos.line, 8u);
    EXPECT_EQ(t.lines[7].op, TraceLine::Op::time_only);
    EXPECT_EQ(t.lines[1].time_column, 1u);
    EXPECT_EQ(t.lines[1].pos.column, 7u);  // the op
    EXPECT_EQ(t.lines[0].time_column, 0u);
    EXPECT_EQ(t.end_ps, 3000000001251u);
    // The first line's relative time counts from 0; the largest time fits.
    EXPECT_EQ(parse(H + "+3ns kick\n").lines[0].t_ps, 3000u);
    EXPECT_EQ(parse(H + "@18446744073709551615ps\n").end_ps, UINT64_MAX);
    EXPECT_EQ(parse(H + "@18446744.073709551615s\n").end_ps, UINT64_MAX);
}

TEST(TraceReader, Platform) {
    Trace t = parse(H + "platform cpus=8 its.cache_entries=64\nplatform error_policy=stall\nkick\n");
    ASSERT_EQ(t.platform.size(), 3u);
    EXPECT_EQ(t.platform[0].key, "cpus");
    EXPECT_EQ(t.platform[0].value, "8");
    EXPECT_EQ(t.platform[0].pos.str(), "t.its:2:10");
    EXPECT_EQ(t.platform[0].value_pos.str(), "t.its:2:15");
    EXPECT_EQ(t.platform[1].key, "its.cache_entries");
    EXPECT_EQ(t.platform[1].value, "64");
    EXPECT_EQ(t.platform[1].value_pos.column, 35u);
    EXPECT_EQ(t.platform[2].key, "error_policy");
    EXPECT_EQ(t.platform[2].value, "stall");
    EXPECT_EQ(t.platform[2].pos.line, 3u);
    ASSERT_EQ(t.lines.size(), 3u);
    EXPECT_EQ(t.lines[0].op, TraceLine::Op::platform);
    EXPECT_EQ(t.lines[0].settings.size(), 2u);
    EXPECT_EQ(t.lines[1].settings.size(), 1u);
    EXPECT_EQ(t.lines[0].t_ps, 0u);
}

TEST(TraceReader, CommandsByName) {
    Trace t = parse(H +
                    "cmd op=MAPD device=0x10 itt=0x40001000 size=4 valid=1\n"
                    "cmd valid=1 rdbase=2 icid=3 op=MAPC\n"
                    "cmd op=MAPTI device=0x10 event=3 intid=8195 icid=1\n"
                    "cmd op=MAPI device=5 event=17 icid=0xFFFF\n"
                    "cmd op=MOVI device=0xFFFFFFFF event=0xFFFFFFFF icid=1\n"
                    "cmd op=MOVALL rdbase1=1 rdbase2=3\n"
                    "cmd op=DISCARD device=2 event=3\n"
                    "cmd op=CLEAR device=2 event=3\n"
                    "cmd op=INT device=0x20 event=0\n"
                    "cmd op=INV device=1 event=0x100\n"
                    "cmd op=INVALL icid=0x1234\n"
                    "cmd op=SYNC rdbase=0xFFFFFFFFF\n");
    const CmdWords expected[] = {
        {0x0000001000000008, 0x4, 0x8000000040001000, 0},
        {0x9, 0, 0x8000000000020003, 0},
        {0x000000100000000A, 0x0000200300000003, 0x1, 0},
        {0x000000050000000B, 0x11, 0xFFFF, 0},
        {0xFFFFFFFF00000001, 0xFFFFFFFF, 0x1, 0},
        {0xE, 0, 0x10000, 0x30000},
        {0x000000020000000F, 0x3, 0, 0},
        {0x0000000200000004, 0x3, 0, 0},
        {0x0000002000000003, 0, 0, 0},
        {0x000000010000000C, 0x100, 0, 0},
        {0xD, 0, 0x1234, 0},
        {0x5, 0, 0x000FFFFFFFFF0000, 0},
    };
    ASSERT_EQ(t.lines.size(), 12u);
    EXPECT_EQ(t.cmd_count, 12u);
    for (size_t i = 0; i < 12; ++i) {
        const TraceLine& l = t.lines[i];
        EXPECT_EQ(l.op, TraceLine::Op::cmd);
        EXPECT_EQ(l.cmd_seq, i + 1);
        EXPECT_FALSE(l.raw_form);
        EXPECT_EQ(l.cmd.raw, expected[i]) << "line " << i + 2 << ": " << to_string(l.cmd);
        EXPECT_TRUE(l.cmd == decode(expected[i])) << to_string(l.cmd);
    }
    EXPECT_EQ(t.lines[0].cmd.itt_addr, 0x40001000u);
    EXPECT_EQ(t.lines[1].cmd.icid, 3u);
    EXPECT_EQ(t.lines[5].cmd.rdbase, 1u);
    EXPECT_EQ(t.lines[5].cmd.rdbase2, 3u);
    // Positions of each key are kept.
    const TraceKey* k = t.lines[1].find("rdbase");
    ASSERT_NE(k, nullptr);
    EXPECT_EQ(k->key_column, 13u);
    EXPECT_EQ(k->value_column, 20u);
    EXPECT_EQ(t.lines[1].value_pos("icid").str(), "t.its:3:27");
    EXPECT_EQ(t.lines[1].value_pos("nothing").str(), "t.its:3:1");
}

TEST(TraceReader, RawCommands) {
    Trace t = parse(H +
                    "cmd raw=0x0000001000000008,4,0x8000000040001000,0\n"
                    "cmd raw=0xdeadbeef00000042,1,2,18446744073709551615\n");
    ASSERT_EQ(t.lines.size(), 2u);
    EXPECT_TRUE(t.lines[0].raw_form);
    EXPECT_EQ(t.lines[0].cmd.opcode, 0x08);
    EXPECT_EQ(t.lines[0].cmd.device, 0x10u);
    EXPECT_EQ(t.lines[0].cmd.size, 4);
    EXPECT_TRUE(t.lines[0].cmd.valid);
    EXPECT_EQ(t.lines[0].cmd.itt_addr, 0x40001000u);
    EXPECT_EQ(t.lines[1].cmd.opcode, 0x42);
    EXPECT_EQ(t.lines[1].cmd.device, 0u);
    EXPECT_EQ(t.lines[1].cmd.raw, (CmdWords{0xdeadbeef00000042, 1, 2, UINT64_MAX}));
    EXPECT_EQ(t.lines[1].cmd_seq, 2u);
}

TEST(TraceReader, MsiWriteLpiWaitKick) {
    Trace t = parse(H +
                    "msi device=1 event=2\n"
                    "msi event=0xFFFFFFFF device=0xFFFFFFFF\n"
                    "write addr=0x40000000 value=0xff size=1\n"
                    "write size=8 value=0xFFFFFFFFFFFFFFFF addr=1G\n"
                    "write addr=0x40000000 value=4K size=2\n"
                    "lpi intid=8192 priority=0xa0 enable=1\n"
                    "lpi enable=0 priority=255 intid=0xFFFFFFFF\n"
                    "wait until=drained\n"
                    "kick\n");
    ASSERT_EQ(t.lines.size(), 9u);
    EXPECT_EQ(t.lines[0].op, TraceLine::Op::msi);
    EXPECT_EQ(t.lines[0].device, 1u);
    EXPECT_EQ(t.lines[0].event, 2u);
    EXPECT_EQ(t.lines[0].msi_seq, 1u);
    EXPECT_EQ(t.lines[1].device, 0xFFFFFFFFu);
    EXPECT_EQ(t.lines[1].msi_seq, 2u);
    EXPECT_EQ(t.msi_count, 2u);
    EXPECT_EQ(t.lines[2].op, TraceLine::Op::write);
    EXPECT_EQ(t.lines[2].addr, 0x40000000u);
    EXPECT_EQ(t.lines[2].value, 0xFFu);
    EXPECT_EQ(t.lines[2].size, 1u);
    EXPECT_EQ(t.lines[3].addr, 0x40000000u);
    EXPECT_EQ(t.lines[3].value, UINT64_MAX);
    EXPECT_EQ(t.lines[3].size, 8u);
    EXPECT_EQ(t.lines[4].value, 4096u);
    EXPECT_EQ(t.lines[5].op, TraceLine::Op::lpi);
    EXPECT_EQ(t.lines[5].intid, 8192u);
    EXPECT_EQ(t.lines[5].priority, 0xA0);
    EXPECT_TRUE(t.lines[5].enable);
    EXPECT_EQ(t.lines[6].intid, 0xFFFFFFFFu);
    EXPECT_EQ(t.lines[6].priority, 255);
    EXPECT_FALSE(t.lines[6].enable);
    EXPECT_EQ(t.lines[7].op, TraceLine::Op::wait);
    EXPECT_EQ(t.lines[7].until, TraceLine::WaitUntil::drained);
    EXPECT_EQ(t.lines[8].op, TraceLine::Op::kick);
    EXPECT_EQ(t.lines[8].pos.str(), "t.its:10:1");
}

TEST(TraceReader, SizeSuffixes) {
    Trace t = parse(H +
                    "cmd op=MAPD device=1 itt=1G size=0 valid=1\n"
                    "cmd op=MAPD device=1 itt=0x10M size=0 valid=1\n"
                    "write addr=0x1K value=3G size=8\n"
                    "write addr=0 value=1K size=2\n");
    EXPECT_EQ(t.lines[0].cmd.itt_addr, 0x40000000u);
    EXPECT_EQ(t.lines[1].cmd.itt_addr, 0x1000000u);
    EXPECT_EQ(t.lines[2].addr, 0x400u);
    EXPECT_EQ(t.lines[2].value, 0xC0000000u);
    EXPECT_EQ(t.lines[3].value, 1024u);
    uint64_t v = 0;
    EXPECT_TRUE(parse_trace_number("16M", true, v));
    EXPECT_EQ(v, 16u << 20);
    EXPECT_FALSE(parse_trace_number("16M", false, v));
    EXPECT_TRUE(parse_trace_number("0X1f", false, v));
    EXPECT_EQ(v, 31u);
    EXPECT_TRUE(parse_trace_number("007", false, v));
    EXPECT_EQ(v, 7u);
    EXPECT_TRUE(parse_trace_number("16G", true, v));
    EXPECT_EQ(v, uint64_t{16} << 30);
    EXPECT_FALSE(parse_trace_number("17179869184G", true, v));  // 2^34 G = 2^64
    EXPECT_FALSE(parse_trace_number("4k", true, v));
    EXPECT_FALSE(parse_trace_number("-1", false, v));
    EXPECT_FALSE(parse_trace_number("0x", false, v));
    EXPECT_FALSE(parse_trace_number("", false, v));
    EXPECT_FALSE(parse_trace_number("1_000", false, v));
}

TEST(TraceReader, ExpectForms) {
    Trace t = parse(H +
                    "msi device=1 event=2\n"
                    "msi device=1 event=3\n"
                    "cmd op=SYNC rdbase=0\n"
                    "cmd op=INT device=9 event=9\n"
                    "expect msi=1 intid=8192 cpu=3\n"
                    "expect dropped msi=2\n"
                    "expect cmd=1 ok\n"
                    "expect cmd=2 error=0x010307\n"
                    "expect taken intid=8200 cpu=0 count=2\n"
                    "expect count=0 cpu=1 intid=8193 taken\n"
                    "expect msi=3 dropped\n"  // refers to a later msi line
                    "msi device=0 event=0\n");
    ASSERT_EQ(t.expects.size(), 7u);
    EXPECT_EQ(t.expects[0].kind, Expect::Kind::msi_delivered);
    EXPECT_EQ(t.expects[0].msi, 1u);
    EXPECT_EQ(t.expects[0].intid, 8192u);
    EXPECT_EQ(t.expects[0].cpu, 3u);
    EXPECT_EQ(t.expects[0].pos.str(), "t.its:6:1");
    EXPECT_EQ(t.expects[1].kind, Expect::Kind::msi_dropped);
    EXPECT_EQ(t.expects[1].msi, 2u);
    EXPECT_EQ(t.expects[2].kind, Expect::Kind::cmd_ok);
    EXPECT_EQ(t.expects[2].cmd, 1u);
    EXPECT_EQ(t.expects[3].kind, Expect::Kind::cmd_error);
    EXPECT_EQ(t.expects[3].cmd, 2u);
    EXPECT_EQ(t.expects[3].code, 0x010307u);
    EXPECT_EQ(t.expects[4].kind, Expect::Kind::taken);
    EXPECT_EQ(t.expects[4].intid, 8200u);
    EXPECT_EQ(t.expects[4].cpu, 0u);
    EXPECT_EQ(t.expects[4].count, 2u);
    EXPECT_EQ(t.expects[5].kind, Expect::Kind::taken);
    EXPECT_EQ(t.expects[5].count, 0u);
    EXPECT_EQ(t.expects[5].intid, 8193u);
    EXPECT_EQ(t.expects[6].msi, 3u);
    EXPECT_EQ(t.lines[4].op, TraceLine::Op::expect);
    EXPECT_EQ(t.lines[4].expect.intid, 8192u);
}

TEST(TraceReader, CommandFieldNames) {
    ItsCommand c = decode({0x000000100000000A, 0x0000200300000003, 0x1, 0});
    auto f = command_fields(c);
    ASSERT_EQ(f.size(), 4u);
    EXPECT_STREQ(f[0].name, "device");
    EXPECT_EQ(f[0].value, 0x10u);
    EXPECT_STREQ(f[1].name, "event");
    EXPECT_EQ(f[1].value, 3u);
    EXPECT_STREQ(f[2].name, "intid");
    EXPECT_EQ(f[2].value, 8195u);
    EXPECT_STREQ(f[3].name, "icid");
    EXPECT_EQ(f[3].value, 1u);
    auto m = command_fields(decode({0xE, 0, 0x10000, 0x30000}));
    ASSERT_EQ(m.size(), 2u);
    EXPECT_STREQ(m[0].name, "rdbase1");
    EXPECT_EQ(m[0].value, 1u);
    EXPECT_STREQ(m[1].name, "rdbase2");
    EXPECT_EQ(m[1].value, 3u);
    auto d = command_fields(decode({0x0000001000000008, 0x4, 0x8000000040001000, 0}));
    ASSERT_EQ(d.size(), 4u);
    EXPECT_STREQ(d[1].name, "itt");
    EXPECT_EQ(d[1].value, 0x40001000u);
    EXPECT_STREQ(d[3].name, "valid");
    EXPECT_EQ(d[3].value, 1u);
    EXPECT_TRUE(command_fields(decode({0x42, 0, 0, 0})).empty());
}

TEST(TraceReader, FormatPs) {
    EXPECT_EQ(format_ps(0), "0ps");
    EXPECT_EQ(format_ps(999), "999ps");
    EXPECT_EQ(format_ps(1000), "1ns");
    EXPECT_EQ(format_ps(1500), "1.5ns");
    EXPECT_EQ(format_ps(250000), "250ns");
    EXPECT_EQ(format_ps(1234567), "1.234567us");
    EXPECT_EQ(format_ps(1000001), "1.000001us");
    EXPECT_EQ(format_ps(2000000000), "2ms");
    EXPECT_EQ(format_ps(3000000000000), "3s");
    EXPECT_EQ(format_ps(UINT64_MAX), "18446744.073709551615s");
    // The reader reads back what format_ps writes.
    for (uint64_t ps : {uint64_t{1}, uint64_t{1500}, uint64_t{1234567}, uint64_t{3000000000001}, UINT64_MAX})
        EXPECT_EQ(parse(H + "@" + format_ps(ps) + "\n").end_ps, ps);
}

TEST(TraceReader, ReadsFile) {
    char path[] = "/tmp/itsim_trace_XXXXXX";
    int fd = mkstemp(path);
    ASSERT_GE(fd, 0);
    close(fd);
    {
        std::ofstream out(path);
        out << "itsim-trace 1\n@1us msi device=1 event=1\nkick\nbogus\n";
    }
    try {
        read_trace_file(path);
        ADD_FAILURE() << "no error";
    } catch (const TraceError& e) {
        EXPECT_EQ(std::string(e.what()), std::string(path) + ":4:1: error: " + e.message());
    }
    {
        std::ofstream out(path);
        out << "itsim-trace 1\n@1us msi device=1 event=1\n";
    }
    Trace t = read_trace_file(path);
    EXPECT_EQ(t.file, path);
    ASSERT_EQ(t.lines.size(), 1u);
    EXPECT_EQ(t.lines[0].pos.file, path);
    EXPECT_EQ(t.lines[0].t_ps, 1000000u);
    std::remove(path);
}

}  // namespace
}  // namespace itsim
