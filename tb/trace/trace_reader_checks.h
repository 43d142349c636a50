// What the trace reader tests (tb/trace/test_trace_reader_*.cpp) share: the
// header line, parse(), and EXPECT_TRACE_ERROR - the error's exact
// file:line:column, a fragment of its message, one line. Header-only.
// Every text they give is also read by the streaming reader (written to a
// file, scan_trace_file then a TraceCursor over it), which must give the
// same lines, summary and error as parse_trace (the file's name aside).
#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>

#include "trace/trace.h"

namespace itsim {
namespace {

const std::string H = "itsim-trace 1\n";

// Every field of a line, as text (SourcePos without the file).
inline std::string dump_pos(const SourcePos& p) { return std::to_string(p.line) + ":" + std::to_string(p.column); }
inline std::string dump_line(const TraceLine& l) {
    std::ostringstream o;
    o << op_name(l.op) << " t=" << l.t_ps << " at " << dump_pos(l.pos) << " tc=" << l.time_column << " keys:";
    for (const TraceKey& k : l.keys) o << " " << k.key << "@" << k.key_column << "/" << k.value_column;
    for (const PlatformSetting& s : l.settings)
        o << " set " << s.key << "=" << s.value << "@" << dump_pos(s.pos) << "/" << dump_pos(s.value_pos);
    o << " raw=" << l.cmd.raw[0] << "," << l.cmd.raw[1] << "," << l.cmd.raw[2] << "," << l.cmd.raw[3]
      << " rf=" << l.raw_form << " cseq=" << l.cmd_seq << " def=" << l.cmd_defaulted << " its=" << l.its
      << " vpe=" << l.vpeid << " vint=" << l.vintid << " cpu=" << l.cpu << " db=" << l.doorbell
      << " vseq=" << l.vsgi_read_seq << " dev=" << l.device << " ev=" << l.event << " mseq=" << l.msi_seq
      << " addr=" << l.addr << " val=" << l.value << " size=" << l.size << " intid=" << l.intid
      << " prio=" << unsigned(l.priority) << " en=" << l.enable << " src=" << l.source;
    const Expect& e = l.expect;
    o << " expect " << int(e.kind) << " " << e.msi << " " << e.cmd << " " << e.intid << " " << e.cpu << " "
      << e.code << " " << e.count << " " << e.vpeid << " " << e.vintid << " " << e.vsgi_read << " " << e.pending
      << " " << dump_pos(e.pos);
    return o.str();
}

// A file of the tests' own holding `text`, removed when it goes.
struct TempTrace {
    std::string path;
    explicit TempTrace(const std::string& text)
        : path(::testing::TempDir() + "itsim_stream_" + std::to_string(::getpid()) + ".its") {
        std::ofstream(path, std::ios::binary) << text;
    }
    ~TempTrace() { std::remove(path.c_str()); }
};

// The streaming reader over `text` gives `want` (parse_trace's) exactly.
inline void check_stream_same(const std::string& text, const Trace& want) {
    TempTrace f(text);
    const Trace got = scan_trace_file(f.path);
    EXPECT_TRUE(got.streamed);
    EXPECT_EQ(got.cmd_count, want.cmd_count);
    EXPECT_EQ(got.msi_count, want.msi_count);
    EXPECT_EQ(got.vsgi_read_count, want.vsgi_read_count);
    EXPECT_EQ(got.end_ps, want.end_ps);
    EXPECT_EQ(got.platform.size(), want.platform.size());
    EXPECT_EQ(got.expects.size(), want.expects.size());
    EXPECT_EQ(got.sources.size(), want.sources.size());
    // The summary keeps the platform, expect and source lines.
    size_t kept = 0;
    for (const TraceLine& l : want.lines)
        if (l.op == TraceLine::Op::platform || l.op == TraceLine::Op::expect || l.op == TraceLine::Op::source) {
            ASSERT_LT(kept, got.lines.size());
            EXPECT_EQ(dump_line(got.lines[kept++]), dump_line(l));
        }
    EXPECT_EQ(kept, got.lines.size());
    TraceCursor cursor(got);
    size_t i = 0;
    while (const TraceLine* l = cursor.next()) {
        ASSERT_LT(i, want.lines.size()) << "the cursor has more lines";
        EXPECT_EQ(dump_line(*l), dump_line(want.lines[i])) << "line " << i;
        EXPECT_EQ(l->pos.file, f.path);
        ++i;
    }
    EXPECT_EQ(i, want.lines.size());
}

inline Trace parse(const std::string& body) {
    Trace t = parse_trace(body, "t.its");
    check_stream_same(body, t);
    return t;
}

// The streaming reader's error for `text`, with the file's name put back
// to "t.its" ("" when it reads the text without an error).
inline std::string stream_error(const std::string& text) {
    TempTrace f(text);
    try {
        scan_trace_file(f.path);
    } catch (const TraceError& e) {
        const std::string what = e.what();
        if (what.compare(0, f.path.size(), f.path) != 0) return "(not at the file) " + what;
        return "t.its" + what.substr(f.path.size());
    }
    return "";
}

inline void check_error(const std::string& text, unsigned line, unsigned column, const std::string& fragment) {
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
        EXPECT_EQ(stream_error(text), what) << "the streaming reader differs";
    }
}

#define EXPECT_TRACE_ERROR(text, line, column, fragment)      \
    do {                                                      \
        SCOPED_TRACE(std::string("trace:\n") + (text));       \
        check_error((text), (line), (column), (fragment));    \
    } while (0)

}  // namespace
}  // namespace itsim
