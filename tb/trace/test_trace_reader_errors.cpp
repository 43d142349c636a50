// The stimulus-trace reader against trace-format.md: every class of error
// with its exact file:line:column, and mutated traces that must parse or
// fail cleanly (trace_reader_checks.h: the helpers).
#include "trace_reader_checks.h"

namespace itsim {
namespace {

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
    // There is no VINT: INT acts on virtual ITEs too. (VMAPP and the other
    // GICv4 commands are read: test_trace_reader_v4.cpp.)
    EXPECT_TRACE_ERROR(H + "cmd op=VINT vpeid=1\n", 2, 8, "unknown command 'VINT'");
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
    EXPECT_TRACE_ERROR(H + cmds + "expect\n", 4, 1, "expect needs msi=N, cmd=N, taken, vtaken or doorbell");
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
