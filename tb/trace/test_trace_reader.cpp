// The stimulus-trace reader against trace-format.md: every construct, and
// every class of error with its exact file:line:column.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <unistd.h>

#include "trace/trace.h"

namespace itsim {
namespace {

const std::string H = "itsim-trace 1\n";

Trace parse(const std::string& body) { return parse_trace(body, "t.its"); }

void check_error(const std::string& text, unsigned line, unsigned column, const std::string& fragment) {
    try {
        parse_trace(text, "t.its");
        ADD_FAILURE() << "no error for:\n" << text;
    } catch (const TraceError& e) {
        const std::string what = e.what();
        const std::string prefix = "t.its:" + std::to_string(line) + ":" + std::to_string(column) + ": error: ";
        EXPECT_EQ(what.substr(0, prefix.size()), prefix) << what;
        EXPECT_NE(what.find(fragment), std::string::npos) << "'" << fragment << "' not in: " << what;
        EXPECT_EQ(what.find('\n'), std::string::npos) << what;
        EXPECT_EQ(e.pos().file, "t.its");
        EXPECT_EQ(e.pos().line, line);
        EXPECT_EQ(e.pos().column, column);
        EXPECT_EQ(what, prefix + e.message());
    }
}

#define EXPECT_TRACE_ERROR(text, line, column, fragment)      \
    do {                                                      \
        SCOPED_TRACE(std::string("trace:\n") + (text));       \
        check_error((text), (line), (column), (fragment));    \
    } while (0)

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

// ---------------------------------------------------------------- errors

TEST(TraceReaderErrors, NonexistentFile) {
    try {
        read_trace_file("/nonexistent/dir/x.its");
        ADD_FAILURE() << "no error";
    } catch (const TraceError& e) {
        EXPECT_EQ(std::string(e.what()),
                  "/nonexistent/dir/x.its: error: cannot read trace file: No such file or directory");
    }
    try {
        read_trace_file("/tmp");
        ADD_FAILURE() << "no error";
    } catch (const TraceError& e) {
        EXPECT_EQ(std::string(e.what()), "/tmp: error: cannot read trace file: it is a directory");
    }
}

TEST(TraceReaderErrors, Header) {
    EXPECT_TRACE_ERROR("", 1, 1, "missing 'itsim-trace 1' header");
    EXPECT_TRACE_ERROR("# only a comment\n\n", 1, 1, "missing 'itsim-trace 1' header");
    EXPECT_TRACE_ERROR("kick\n", 1, 1, "expected the header 'itsim-trace 1'");
    EXPECT_TRACE_ERROR("# c\n\n  itsim-trace 2\n", 3, 15, "unsupported trace version '2'");
    EXPECT_TRACE_ERROR("itsim-trace 0x2\n", 1, 13, "unsupported trace version");
    EXPECT_TRACE_ERROR("itsim-trace one\n", 1, 13, "malformed trace version 'one'");
    EXPECT_TRACE_ERROR("itsim-trace\n", 1, 1, "missing trace version");
    EXPECT_TRACE_ERROR("itsim-trace 1 extra\n", 1, 15, "unexpected 'extra'");
    EXPECT_TRACE_ERROR("itsim-trace 1\nitsim-trace 1\n", 2, 1, "unknown op 'itsim-trace'");
}

TEST(TraceReaderErrors, UnknownOp) {
    EXPECT_TRACE_ERROR(H + "kick\nfoo x=1\n", 3, 1, "unknown op 'foo'");
    EXPECT_TRACE_ERROR(H + "@5ns   MSI device=1 event=1\n", 2, 8, "unknown op 'MSI'");
    EXPECT_TRACE_ERROR(H + "@5ns @6ns kick\n", 2, 6, "at most one TIME");
    EXPECT_TRACE_ERROR(H + "cmd op=VMAPP vpeid=1\n", 2, 8, "unknown command 'VMAPP'");
    EXPECT_TRACE_ERROR(H + "cmd op=mapx device=1\n", 2, 8, "unknown command 'mapx'");
    // Architected names in any case are accepted.
    EXPECT_EQ(parse_trace(H + "cmd op=mapd device=1 itt=0 size=1 valid=1\n", "t.its").lines.at(0).cmd.opcode, 0x08);
}

TEST(TraceReaderErrors, MissingKey) {
    EXPECT_TRACE_ERROR(H + "msi device=1\n", 2, 1, "missing key 'event' for msi");
    EXPECT_TRACE_ERROR(H + "+1ns msi event=1\n", 2, 6, "missing key 'device' for msi");
    EXPECT_TRACE_ERROR(H + "cmd op=MAPD device=1 itt=0 size=1\n", 2, 1, "missing key 'valid' for MAPD");
    EXPECT_TRACE_ERROR(H + "cmd device=1\n", 2, 1, "missing key 'op' for cmd");
    EXPECT_TRACE_ERROR(H + "write addr=0 value=0\n", 2, 1, "missing key 'size' for write");
    EXPECT_TRACE_ERROR(H + "lpi intid=8192 enable=1\n", 2, 1, "missing key 'priority' for lpi");
    EXPECT_TRACE_ERROR(H + "wait\n", 2, 1, "missing key 'until' for wait");
}

TEST(TraceReaderErrors, UnknownKey) {
    EXPECT_TRACE_ERROR(H + "msi device=1 event=2 foo=3\n", 2, 22, "unknown key 'foo' for msi");
    EXPECT_TRACE_ERROR(H + "cmd op=MAPI device=1 event=2 intid=8192 icid=0\n", 2, 30, "unknown key 'intid' for MAPI");
    EXPECT_TRACE_ERROR(H + "cmd op=MOVALL rdbase=1 rdbase2=2\n", 2, 15, "unknown key 'rdbase' for MOVALL");
    EXPECT_TRACE_ERROR(H + "kick now=1\n", 2, 6, "unknown key 'now' (kick takes no keys)");
    EXPECT_TRACE_ERROR(H + "wait for=drained\n", 2, 6, "unknown key 'for' for wait");
    EXPECT_TRACE_ERROR(H + "msi device=1 event=2 later\n", 2, 22, "expected key=value, got 'later'");
    EXPECT_TRACE_ERROR(H + "msi =1 event=2\n", 2, 5, "missing key before '='");
    EXPECT_TRACE_ERROR(H + "cmd raw=1,2,3,4 device=1\n", 2, 17, "'device' cannot be combined with raw=");
    EXPECT_TRACE_ERROR(H + "cmd op=INT raw=1,2,3,4\n", 2, 5, "'op' cannot be combined with raw=");
}

TEST(TraceReaderErrors, DuplicateKey) {
    EXPECT_TRACE_ERROR(H + "msi device=1 device=2 event=3\n", 2, 14, "duplicate key 'device' (first at column 5)");
    EXPECT_TRACE_ERROR(H + "cmd op=SYNC op=SYNC rdbase=1\n", 2, 13, "duplicate key 'op'");
    EXPECT_TRACE_ERROR(H + "platform cpus=2 cpus=4\n", 2, 17, "duplicate key 'cpus'");
    EXPECT_TRACE_ERROR(H + "platform cpus=2\nplatform x=1 cpus=4\n", 3, 14, "'cpus' is already set at line 2, column 10");
    EXPECT_TRACE_ERROR(H + "expect cmd=1 ok ok\ncmd op=SYNC rdbase=0\n", 2, 17, "duplicate 'ok'");
}

TEST(TraceReaderErrors, MalformedNumber) {
    EXPECT_TRACE_ERROR(H + "msi device=1x event=2\n", 2, 12, "malformed number '1x' for key 'device'");
    EXPECT_TRACE_ERROR(H + "msi device=0xg event=2\n", 2, 12, "malformed number '0xg'");
    EXPECT_TRACE_ERROR(H + "msi device=-1 event=2\n", 2, 12, "malformed number '-1'");
    EXPECT_TRACE_ERROR(H + "msi device=4K event=2\n", 2, 12, "malformed number '4K'");  // no suffix on IDs
    EXPECT_TRACE_ERROR(H + "msi device= event=2\n", 2, 12, "missing value for key 'device'");
    EXPECT_TRACE_ERROR(H + "write addr=0x10000000000000000 value=0 size=1\n", 2, 12, "does not fit in 64 bits");
    EXPECT_TRACE_ERROR(H + "write addr=17179869184G value=0 size=1\n", 2, 12, "does not fit in 64 bits");
    EXPECT_TRACE_ERROR(H + "write addr=4k value=0 size=1\n", 2, 12, "malformed number '4k'");
    EXPECT_TRACE_ERROR(H + "cmd raw=1,2,zz,4\n", 2, 13, "malformed number 'zz' in raw=");
    EXPECT_TRACE_ERROR(H + "cmd raw=1,2,3\n", 2, 9, "four comma-separated");
    EXPECT_TRACE_ERROR(H + "cmd raw=1,2,,4\n", 2, 13, "four comma-separated");
    EXPECT_TRACE_ERROR(H + "cmd raw=1,2,3,4,5\n", 2, 16, "exactly four");
    EXPECT_TRACE_ERROR(H + "cmd raw=1,2,3,0x10000000000000000\n", 2, 15, "does not fit in 64 bits");
    EXPECT_TRACE_ERROR(H + "platform cpus=four\n", 2, 15, "cpus=four is not a number of CPUs");
    EXPECT_TRACE_ERROR(H + "platform cpus=0\n", 2, 15, "cpus=0 is not a number of CPUs");
}

TEST(TraceReaderErrors, BadTime) {
    EXPECT_TRACE_ERROR(H + "@5xs kick\n", 2, 1, "unknown time unit 'xs'");
    EXPECT_TRACE_ERROR(H + "@5NS kick\n", 2, 1, "unknown time unit 'NS'");
    EXPECT_TRACE_ERROR(H + "kick\n  +5 kick\n", 3, 3, "missing time unit in '+5'");
    EXPECT_TRACE_ERROR(H + "@ns kick\n", 2, 1, "malformed time '@ns'");
    EXPECT_TRACE_ERROR(H + "@.5ns kick\n", 2, 1, "malformed time");
    EXPECT_TRACE_ERROR(H + "@5.ns kick\n", 2, 1, "malformed time");
    EXPECT_TRACE_ERROR(H + "@0x1.5ns kick\n", 2, 1, "a hex time has no fraction");
    EXPECT_TRACE_ERROR(H + "@-5ns kick\n", 2, 1, "malformed time");
    EXPECT_TRACE_ERROR(H + "@1.0005ns kick\n", 2, 1, "not a whole number of picoseconds");
    EXPECT_TRACE_ERROR(H + "@0.5ps\n", 2, 1, "not a whole number of picoseconds");
    EXPECT_TRACE_ERROR(H + "@18446745s\n", 2, 1, "too large");
    EXPECT_TRACE_ERROR(H + "@18446744073709551616ps\n", 2, 1, "too large");
    EXPECT_TRACE_ERROR(H + "@18446744073709551615ps\n+1ps kick\n", 3, 1, "too large");
}

TEST(TraceReaderErrors, TimeBackwards) {
    EXPECT_TRACE_ERROR(H + "@10ns kick\n@5ns kick\n", 3, 1,
                       "time goes backwards: '@5ns' is before the previous line's time 10ns");
    EXPECT_TRACE_ERROR(H + "@1us kick\n+1ns kick\nkick\n  @1000ns kick\n", 5, 3,
                       "before the previous line's time 1.001us");
    // Equal is fine.
    EXPECT_EQ(parse(H + "@10ns kick\n@10ns kick\n").end_ps, 10000u);
}

TEST(TraceReaderErrors, ValueTooWide) {
    EXPECT_TRACE_ERROR(H + "cmd op=MAPC icid=0x10000 rdbase=0 valid=1\n", 2, 18, "icid=0x10000 is out of range (at most 0xffff");
    EXPECT_TRACE_ERROR(H + "cmd op=MAPD device=1 itt=0 size=32 valid=1\n", 2, 33, "size=32 is out of range (at most 31");
    EXPECT_TRACE_ERROR(H + "cmd op=MAPD device=1 itt=0 size=1 valid=2\n", 2, 41, "valid=2 is out of range (at most 1");
    EXPECT_TRACE_ERROR(H + "cmd op=MAPD device=0x100000000 itt=0 size=1 valid=1\n", 2, 20, "out of range (at most 0xffffffff");
    EXPECT_TRACE_ERROR(H + "cmd op=MAPD device=1 itt=0x40001080 size=1 valid=1\n", 2, 26, "not 256-byte aligned");
    EXPECT_TRACE_ERROR(H + "cmd op=MAPD device=1 itt=0x10000000000000 size=1 valid=1\n", 2, 26, "out of range");
    EXPECT_TRACE_ERROR(H + "cmd op=SYNC rdbase=0x1000000000\n", 2, 20, "out of range (at most 0xfffffffff");
    EXPECT_TRACE_ERROR(H + "cmd op=MAPTI device=1 event=0x100000000 intid=8192 icid=0\n", 2, 29, "out of range");
    EXPECT_TRACE_ERROR(H + "lpi intid=100 priority=0 enable=1\n", 2, 11, "intid=100 is not an LPI");
    EXPECT_TRACE_ERROR(H + "lpi intid=8192 priority=256 enable=1\n", 2, 25, "priority=256 is out of range (at most 255");
    EXPECT_TRACE_ERROR(H + "lpi intid=8192 priority=0 enable=2\n", 2, 34, "enable=2 is out of range");
    EXPECT_TRACE_ERROR(H + "write addr=0 value=0x100 size=1\n", 2, 20, "value=0x100 does not fit in size=1 (at most 0xff)");
    EXPECT_TRACE_ERROR(H + "write addr=0 value=0x10000 size=2\n", 2, 20, "does not fit in size=2 (at most 0xffff)");
    EXPECT_TRACE_ERROR(H + "write addr=0 value=4G size=4\n", 2, 20, "does not fit in size=4");
    EXPECT_TRACE_ERROR(H + "write addr=0 value=0 size=3\n", 2, 27, "size=3 is not 1, 2, 4 or 8");
    EXPECT_TRACE_ERROR(H + "write addr=0 value=0 size=16\n", 2, 27, "out of range");
    EXPECT_TRACE_ERROR(H + "write addr=0 value=0 size=0\n", 2, 27, "out of range (at least 1)");
}

TEST(TraceReaderErrors, PlatformAfterTimedOp) {
    EXPECT_TRACE_ERROR(H + "platform cpus=2\nkick\nplatform cpus=4\n", 4, 1,
                       "'platform' must come before any timed line (line 3 is one)");
    EXPECT_TRACE_ERROR(H + "@0ns\nplatform cpus=4\n", 3, 1, "must come before any timed line");
    EXPECT_TRACE_ERROR(H + "expect cmd=1 ok\nplatform cpus=4\n", 3, 1, "must come before any timed line");
    EXPECT_TRACE_ERROR(H + "@0ns platform cpus=4\n", 2, 1, "a platform line takes no TIME");
    EXPECT_TRACE_ERROR(H + "platform verbose\n", 2, 10, "expected key=value");
}

TEST(TraceReaderErrors, BadExpect) {
    const std::string cmds = "cmd op=SYNC rdbase=0\nmsi device=1 event=1\n";
    EXPECT_TRACE_ERROR(H + cmds + "expect\n", 4, 1, "expect needs msi=N, cmd=N or taken");
    EXPECT_TRACE_ERROR(H + cmds + "expect intid=8192 cpu=0\n", 4, 1, "expect needs msi=N");
    EXPECT_TRACE_ERROR(H + cmds + "expect msi=1\n", 4, 1, "missing key 'intid' (or the word 'dropped') for expect");
    EXPECT_TRACE_ERROR(H + cmds + "expect msi=1 intid=8192\n", 4, 1, "missing key 'cpu' for expect");
    EXPECT_TRACE_ERROR(H + cmds + "expect msi=1 dropped intid=8192\n", 4, 22, "'intid' cannot be combined with 'dropped'");
    EXPECT_TRACE_ERROR(H + cmds + "expect msi=1 ok\n", 4, 14, "'ok' cannot be combined with msi=");
    EXPECT_TRACE_ERROR(H + cmds + "expect msi=1 cmd=1 dropped\n", 4, 14, "unknown key 'cmd' for this expect form");
    EXPECT_TRACE_ERROR(H + cmds + "expect cmd=1\n", 4, 1, "missing 'ok' or error=CODE for expect");
    EXPECT_TRACE_ERROR(H + cmds + "expect cmd=1 ok error=0x10307\n", 4, 17, "'error' cannot be combined with 'ok'");
    EXPECT_TRACE_ERROR(H + cmds + "expect cmd=1 error=0\n", 4, 20, "error=0 is not an error code");
    EXPECT_TRACE_ERROR(H + cmds + "expect cmd=1 error=x\n", 4, 20, "malformed number 'x'");
    EXPECT_TRACE_ERROR(H + cmds + "expect cmd=1 dropped\n", 4, 14, "'dropped' cannot be combined with cmd=");
    EXPECT_TRACE_ERROR(H + cmds + "expect taken intid=8192 cpu=0\n", 4, 1, "missing key 'count' for expect");
    EXPECT_TRACE_ERROR(H + cmds + "expect taken intid=8192 cpu=0 count=1 msi=1\n", 4, 39, "unknown key 'msi'");
    EXPECT_TRACE_ERROR(H + cmds + "expect taken intid=12 cpu=0 count=1\n", 4, 20, "intid=12 is not an LPI");
    EXPECT_TRACE_ERROR(H + cmds + "expect msi=1 intid=8192 cpu=0x100000000\n", 4, 29, "out of range");
    EXPECT_TRACE_ERROR(H + cmds + "expect msi=1 intid=8192 cpu=0 bogus\n", 4, 31, "expected key=value, got 'bogus'");
    // References to lines that do not exist.
    EXPECT_TRACE_ERROR(H + cmds + "expect msi=0 dropped\n", 4, 12, "msi=0: msi lines are counted from 1");
    EXPECT_TRACE_ERROR(H + cmds + "expect cmd=0 ok\n", 4, 12, "cmd lines are counted from 1");
    EXPECT_TRACE_ERROR(H + cmds + "expect msi=2 dropped\n", 4, 12, "expect refers to msi 2 but the trace has 1 msi line");
    EXPECT_TRACE_ERROR(H + cmds + "expect cmd=3 ok\nkick\n", 4, 12, "expect refers to cmd 3 but the trace has 1 cmd line");
    EXPECT_TRACE_ERROR(H + "expect cmd=1 ok\n", 2, 12, "the trace has 0 cmd lines");
}

TEST(TraceReaderErrors, BadWait) {
    EXPECT_TRACE_ERROR(H + "wait until=empty\n", 2, 12, "unknown wait condition 'empty'");
}

TEST(TraceReaderErrors, MessagesStayOnOneLine) {
    const std::string long_op(200, 'x');
    try {
        parse(H + long_op + "\x01\n");
        ADD_FAILURE();
    } catch (const TraceError& e) {
        const std::string what = e.what();
        EXPECT_EQ(what.find('\n'), std::string::npos);
        EXPECT_LT(what.size(), 200u);
        EXPECT_NE(what.find("..."), std::string::npos);
    }
    try {
        parse(H + "msi device=\x02 event=1\n");
        ADD_FAILURE();
    } catch (const TraceError& e) {
        EXPECT_NE(std::string(e.what()).find("'\\x02'"), std::string::npos) << e.what();
    }
}

}  // namespace
}  // namespace itsim

namespace itsim {
namespace {

// Mutated traces: every outcome is a Trace or a TraceError, never a crash,
// another exception or (under the sanitizers) undefined behaviour.
TEST(TraceReaderRobustness, MutatedTracesParseOrFailCleanly) {
    const std::string base =
        "itsim-trace 1\n"
        "platform cpus=4 x=y\n"
        "cmd op=MAPD device=0x10 itt=0x40001000 size=4 valid=1\n"
        "cmd op=MAPC icid=1 rdbase=2 valid=1\n"
        "cmd op=MAPTI device=0x10 event=3 intid=8195 icid=1\n"
        "cmd raw=0x42,0,0,0\n"
        "kick\n"
        "@1.5us msi device=0x10 event=3\n"
        "+40ns write addr=1G value=0xff size=1\n"
        "lpi intid=8195 priority=0xa0 enable=1\n"
        "wait until=drained\n"
        "@2us\n"
        "expect msi=1 intid=8195 cpu=2\n"
        "expect cmd=2 ok\n"
        "expect taken intid=8195 cpu=2 count=1\n";
    const char alphabet[] = "@+=,.# \t\n0x1fKMGnsu9-_zmsi";
    uint64_t state = 0x2545F4914F6CDD1Dull;
    auto next = [&] {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        return state;
    };
    int parsed = 0, rejected = 0;
    for (int round = 0; round < 3000; ++round) {
        std::string s = base;
        const int edits = 1 + int(next() % 4);
        for (int e = 0; e < edits; ++e) {
            const size_t at = next() % (s.size() + 1);
            switch (next() % 3) {
            case 0: s.insert(at, 1, alphabet[next() % (sizeof alphabet - 1)]); break;
            case 1: if (at < s.size()) s.erase(at, 1); break;
            default: if (at < s.size()) s[at] = static_cast<char>(next() & 0xFF); break;
            }
        }
        try {
            Trace t = parse_trace(s, "m.its");
            ++parsed;
            for (const TraceLine& l : t.lines) EXPECT_LE(l.t_ps, t.end_ps);
        } catch (const TraceError& e) {
            ++rejected;
            const std::string what = e.what();
            EXPECT_EQ(what.rfind("m.its:", 0), 0u) << what;
            EXPECT_EQ(what.find('\n'), std::string::npos) << what;
            EXPECT_GE(e.pos().line, 1u);
            EXPECT_GE(e.pos().column, 1u);
        }
    }
    // Both outcomes occur, so the loop exercises the checks at all.
    EXPECT_GT(parsed, 10);
    EXPECT_GT(rejected, 1000);
}

}  // namespace
}  // namespace itsim
