// The streaming reader (trace.h: scan_trace_file, TraceCursor) against
// parse_trace: the same lines and summary for every scenario trace and for
// texts whose lines cross the read buffer, the same errors (the other
// tb/trace tests check that for each of their texts, trace_reader_checks.h),
// a pipe read whole, and a file changed between the passes.
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "trace_reader_checks.h"

namespace itsim {
namespace {

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream o;
    o << in.rdbuf();
    return o.str();
}

TEST(TraceStream, EveryScenarioTraceStreamsAsParsed) {
    unsigned n = 0;
    for (const auto& entry : std::filesystem::directory_iterator("traces")) {
        if (entry.path().extension() != ".its") continue;
        SCOPED_TRACE(entry.path().string());
        const std::string text = slurp(entry.path().string());
        check_stream_same(text, parse_trace(text, "t.its"));
        ++n;
    }
    EXPECT_GE(n, 10u);
}

TEST(TraceStream, LinesAcrossTheBuffer) {
    // Lines of every length around the 64 KiB buffer's edges, a comment
    // longer than the buffer, CRLF ends, a BOM and no final newline.
    std::string text = "\xEF\xBB\xBFitsim-trace 1\r\n";
    for (unsigned i = 0; i < 9000; ++i) {
        text += "+" + std::to_string(i % 7) + "ns msi device=" + std::to_string(i) + " event=" +
                std::to_string(i * 3) + (i % 5 ? "\n" : "\r\n");
        if (i == 4000) text += "# " + std::string(200000, 'c') + "\n";
        if (i == 6000) text += "kick    " + std::string(70000, ' ') + "\n";
    }
    text += "@1ms msi device=1 event=2";   // no final newline
    const Trace want = parse_trace(text, "t.its");
    ASSERT_EQ(want.msi_count, 9001u);
    check_stream_same(text, want);
    // Ending with a newline, and an empty file's error.
    check_stream_same(text + "\n", parse_trace(text + "\n", "t.its"));
    EXPECT_EQ(stream_error(""), "t.its:1:1: error: missing 'itsim-trace 1' header (the trace has no lines)");
}

TEST(TraceStream, ErrorsAfterTheBufferAndReferences) {
    std::string text = H;
    for (unsigned i = 0; i < 20000; ++i) text += "msi device=1 event=" + std::to_string(i) + "\n";
    EXPECT_EQ(stream_error(text + "kick x=1\n"), "t.its:20002:6: error: unknown key 'x' (kick takes no keys)");
    // An expect's reference is checked against the whole file.
    const std::string ref = text + "expect msi=20001 dropped\n";
    EXPECT_EQ(stream_error(ref), "t.its:20002:12: error: expect refers to msi 20001 but the trace has 20000 msi lines");
    EXPECT_EQ(stream_error(text + "expect msi=20000 dropped\n"), "");
}

TEST(TraceStream, FileErrorsAsReadTraceFile) {
    for (const std::string path : {"/nonexistent/dir/x.its", "/tmp"}) {
        std::string want, got;
        try {
            read_trace_file(path);
        } catch (const TraceError& e) {
            want = e.what();
        }
        try {
            scan_trace_file(path);
        } catch (const TraceError& e) {
            got = e.what();
        }
        EXPECT_FALSE(want.empty());
        EXPECT_EQ(got, want);
    }
}

TEST(TraceStream, APipeIsReadWhole) {
    const std::string fifo = ::testing::TempDir() + "itsim_stream_fifo_" + std::to_string(::getpid());
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    const std::string text = H + "@1us msi device=7 event=9\nkick\nexpect msi=1 dropped\n";
    std::thread writer([&] { std::ofstream(fifo, std::ios::binary) << text; });
    unsigned visited = 0;
    const Trace t = scan_trace_file(fifo, [&](const TraceLine&, const Trace&) { ++visited; });
    writer.join();
    std::remove(fifo.c_str());
    EXPECT_FALSE(t.streamed);
    ASSERT_EQ(t.lines.size(), 3u);
    EXPECT_EQ(visited, 3u);
    TraceCursor c(t);
    const TraceLine* l = c.next();
    ASSERT_NE(l, nullptr);
    EXPECT_EQ(l->device, 7u);
    EXPECT_EQ(l->t_ps, 1000000u);
    EXPECT_EQ(c.next()->op, TraceLine::Op::kick);
    EXPECT_EQ(c.next()->op, TraceLine::Op::expect);
    EXPECT_EQ(c.next(), nullptr);
}

TEST(TraceStream, VisitSeesEveryLineWithTheTraceSoFar) {
    TempTrace f(H + "platform cpus=2\nkick\nmsi device=1 event=1\nexpect msi=1 dropped\nmsi device=1 event=2\n");
    std::vector<std::string> seen;
    const Trace t = scan_trace_file(f.path, [&](const TraceLine& l, const Trace& so_far) {
        seen.push_back(std::string(op_name(l.op)) + "/" + std::to_string(so_far.msi_count) + "/" +
                       std::to_string(so_far.platform.size()));
    });
    EXPECT_EQ(seen, (std::vector<std::string>{"platform/0/1", "kick/0/1", "msi/1/1", "expect/1/1", "msi/2/1"}));
    ASSERT_EQ(t.lines.size(), 2u);   // platform and expect
    EXPECT_EQ(t.msi_count, 2u);
}

TEST(TraceStream, AFileChangedBetweenThePassesIsAnError) {
    TempTrace f(H + "msi device=1 event=1\nmsi device=1 event=2\n");
    const Trace t = scan_trace_file(f.path);
    std::ofstream(f.path, std::ios::binary) << H << "msi device=1 event=1\nmsi device=1 evnt=2\n";
    TraceCursor c(t);
    EXPECT_EQ(c.next()->event, 1u);
    try {
        c.next();
        ADD_FAILURE() << "no error";
    } catch (const TraceError& e) {
        EXPECT_EQ(e.pos().line, 3u);
        EXPECT_EQ(e.pos().column, 14u);
    }
}

}  // namespace
}  // namespace itsim
